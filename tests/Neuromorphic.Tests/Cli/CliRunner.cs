using Neuromorphic.Cli;

namespace Neuromorphic.Tests.Cli;

/// <summary>Runs the command line in-process and captures what it prints.</summary>
internal static class CliRunner
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CliApp.Run(args, stdout, stderr, interactive: false);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>Runs the command line as if a person watched it on a terminal (progress shown; Spectre's plain rendering).</summary>
    public static (int Exit, string Out, string Err) RunOnTerminal(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = CliApp.Run(args, stdout, stderr, interactive: true);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    /// <summary>
    /// Runs a command line that must be refused as bad input: exit 2, nothing on standard output, one line on standard
    /// error, which it returns.
    /// </summary>
    public static string Refused(params string[] args)
    {
        var (exit, output, error) = Run(args);
        NUnit.Framework.Assert.That(exit, NUnit.Framework.Is.EqualTo(2), error);
        NUnit.Framework.Assert.That(output, NUnit.Framework.Is.Empty);
        NUnit.Framework.Assert.That(error.TrimEnd().Split('\n'), NUnit.Framework.Has.Length.EqualTo(1), error);
        return error;
    }

    /// <summary>The default LSM preset cut to 3 samples per class (36 samples), written to <paramref name="dir"/>/small.yaml.</summary>
    public static string SmallLsmConfig(string dir)
    {
        Neuromorphic.Arch.Architecture.Presets.TryRead("rram-lsm-40nm", out var preset, out _);
        var path = Path.Combine(dir, "small.yaml");
        File.WriteAllText(path, preset.Replace("samples_per_class: 60", "samples_per_class: 3"));
        return path;
    }
}
