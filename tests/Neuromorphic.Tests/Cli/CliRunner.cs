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
}
