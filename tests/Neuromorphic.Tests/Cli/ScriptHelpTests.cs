using System.Diagnostics;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

/// <summary>
/// The user-facing scripts answer <c>--help</c> with their usage at once (exit 0) and refuse an unknown
/// option: <c>scripts/lsm/seeds.sh --help</c> and <c>scripts/sweeps/check-sweep.sh --help</c> took
/// '--help' for a configuration and started minutes of builds and runs.
/// </summary>
public sealed class ScriptHelpTests
{
    private static string Root()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Neuromorphic.sln"))) dir = dir.Parent;
        if (dir is null) Assert.Ignore("the repository is not above the tests");
        return dir!.FullName;
    }

    private static (int Exit, string Out, string Err) Bash(string script, params string[] arguments) => Run("bash", script, arguments);

    private static (int Exit, string Out, string Err) Run(string interpreter, string script, params string[] arguments) =>
        RunWith(null, interpreter, script, arguments);

    /// <summary><see cref="Run"/> with <c>PYTHONPATH</c> set to <paramref name="pythonPath"/> (null: inherited).</summary>
    private static (int Exit, string Out, string Err) RunWith(string? pythonPath, string interpreter, string script, params string[] arguments)
    {
        var info = new ProcessStartInfo(interpreter) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (pythonPath is not null) info.Environment["PYTHONPATH"] = pythonPath;
        info.ArgumentList.Add(script);
        foreach (var a in arguments) info.ArgumentList.Add(a);
        var argument = string.Join(' ', arguments);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(10_000))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{script} {argument} was still running after 10 s: it did not stop at the option");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }

    // Not scripts/slurm/local-cluster.sh: it installs packages as root, so a regression here must not be able to run it.
    [TestCase("scripts/lsm/seeds.sh")]
    [TestCase("scripts/sweeps/check-sweep.sh")]
    [TestCase("scripts/vcd/check-vcd.sh")]
    [TestCase("scripts/report/check-html.sh")]
    [TestCase("scripts/fashion-mnist-events.sh")]
    [TestCase("scripts/fuzz/run.sh")]
    public void HelpPrintsTheUsageAndUnknownOptionsExitTwo(string script)
    {
        var path = Path.Combine(Root(), script);
        var (exit, output, error) = Bash(path, "--help");
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain(Path.GetFileName(script)), "the usage names the script");
        var (badExit, _, badError) = Bash(path, "--no-such-option");
        Assert.That(badExit, Is.EqualTo(2), badError);
        Assert.That(badError, Does.Contain("--no-such-option"));
    }

    [TestCase("--count", "abc")]
    [TestCase("--count")]
    [TestCase("--seed", "-3")]
    public void FashionMnistEventsRefusesABadValueWithExitTwo(params string[] args)
    {
        // A bad value exited 1, like a failed conversion, where an unknown option exited 2.
        var (exit, _, error) = Bash(Path.Combine(Root(), "scripts/fashion-mnist-events.sh"), args);
        Assert.That(exit, Is.EqualTo(2), error);
        Assert.That(error, Does.StartWith("fashion-mnist-events: error: " + args[0]));
    }

    [TestCase("scripts/sdt/convert_checkpoint.py")]
    [TestCase("scripts/sdt/random_weights.py")]
    [TestCase("scripts/lsm/paper_reference.py")]
    public void PythonScriptsAnswerHelpWithoutTheirHeavyDependencies(string script)
    {
        // convert_checkpoint.py imported torch before reading its arguments: --help was a traceback without PyTorch.
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) Assert.Ignore("no /usr/bin/python3");
        var (exit, output, error) = Run(python, Path.Combine(Root(), script), "--help");
        if (error.Contains("No module named 'numpy'", StringComparison.Ordinal)) Assert.Ignore("numpy is not installed for /usr/bin/python3");
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.StartWith("usage: " + Path.GetFileName(script)));
    }

    [Test]
    public void PaperReferenceNamesTheNumpyPackageItNeeds()
    {
        // It stopped with a ModuleNotFoundError traceback on a machine without numpy (README runs it with /usr/bin/python3).
        const string python = "/usr/bin/python3";
        if (!File.Exists(python)) Assert.Ignore("no /usr/bin/python3");
        // numpy hidden whether or not the machine has it (CI installs it): a module of that name that fails to import,
        // first on the path.
        var hidden = Directory.CreateTempSubdirectory("nm-no-numpy-").FullName;
        File.WriteAllText(Path.Combine(hidden, "numpy.py"), "raise ImportError('numpy hidden by the test')\n");
        Assert.That(RunWith(hidden, python, "-c", "import numpy").Exit, Is.Not.Zero, "numpy is hidden");
        var (exit, output, error) = RunWith(hidden, python, Path.Combine(Root(), "scripts/lsm/paper_reference.py"), "no-such-folder");
        Directory.Delete(hidden, recursive: true);
        Assert.That(exit, Is.EqualTo(1));
        Assert.That(output, Is.Empty);
        Assert.That(error, Is.EqualTo("paper_reference.py: needs numpy: install Debian's python3-numpy (sudo apt-get install -y python3-numpy) or pip's numpy\n"));
    }
}
