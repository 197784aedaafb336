using Neuromorphic.Tests.Traces.Events.Recordings;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

/// <summary>
/// Outputs that cannot be written (a run directory that is a file, an output file that is a folder or
/// whose folder is missing) are refused before any work: exit 2, one line naming the path and the
/// option, and nothing written. They used to fail only when the results were written (an internal
/// error, exit 1, for a path that was a file or a folder), some files already out.
/// </summary>
public sealed class OutputPathCliTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-out-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private static void AssertRefused((int Exit, string Out, string Err) result, string path, string option)
    {
        Assert.That(result.Exit, Is.EqualTo(2), result.Err);
        Assert.That(result.Err.TrimEnd().Split('\n'), Has.Length.EqualTo(1), result.Err);
        Assert.That(result.Err, Does.StartWith($"error: {path}: {option}: "));
        Assert.That(result.Out, Is.Empty);
    }

    private string AFile()
    {
        var path = Path.Combine(_dir, "a-file");
        File.WriteAllText(path, "keep me");
        return path;
    }

    [Test]
    public void RunDirectoryThatIsAFileIsRefusedForEveryCommand()
    {
        var file = AFile();
        AssertRefused(CliRunner.Run("run", "--example", "--out", file), file, "--out");
        AssertRefused(CliRunner.Run("run", CliRunner.SmallLsmConfig(_dir), "--out", file), file, "--out");
        AssertRefused(CliRunner.Run("bench", "cuba", "--hardware", "rram-40nm-256kb", "--duration", "0.01", "--out", file), file, "--out");
        var sweep = Path.Combine(_dir, "sweep.yaml");
        File.WriteAllText(sweep, "name: tiny\nbase: rram-lsm-40nm\nparameters:\n  - path: architecture.macro.adc.bits\n    values: [4, 6]\n");
        AssertRefused(CliRunner.Run("sweep", sweep, "--out", file), file, "--out");
        var under = Path.Combine(file, "run");
        AssertRefused(CliRunner.Run("run", "--example", "--out", under), under, "--out");
        Assert.That(File.ReadAllText(file), Is.EqualTo("keep me"));
    }

    [Test]
    public void OutputFileThatIsAFolderIsRefused()
    {
        AssertRefused(CliRunner.Run("run", "--example", "--record-output", _dir), _dir, "--record-output");
        AssertRefused(CliRunner.Run("bench", "cuba", "--duration", "0.01", "--rates", _dir), _dir, "--rates");
        AssertRefused(CliRunner.Run("inspect", EventFixtures.Path("davis.aedat4"), "--plot", _dir), _dir, "--plot");
        AssertRefused(CliRunner.Run("run", CliRunner.SmallLsmConfig(_dir), "--out", Path.Combine(_dir, "run"), "--vcd", _dir), _dir, "--vcd");
    }

    [Test]
    public void OutputFileInAMissingFolderIsRefusedBeforeTheRunWritesAnything()
    {
        var run = Path.Combine(_dir, "run");
        var trace = Path.Combine(_dir, "missing", "run.nmtrace");
        AssertRefused(CliRunner.Run("run", CliRunner.SmallLsmConfig(_dir), "--out", run, "--trace", trace), trace, "--trace");
        var output = Path.Combine(_dir, "missing", "out.csv");
        AssertRefused(CliRunner.Run("run", "--example", "--out", run, "--record-output", output), output, "--record-output");
        Assert.That(Directory.Exists(run), Is.False, "the run directory must not be written when another output cannot be");
    }

    [TestCase("run", "--example", "--out")]
    [TestCase("run", "--example", "--record-output")]
    [TestCase("bench", "cuba", "--rates")]
    public void AnEmptyOutputPathIsRefused(string command, string argument, string option)
    {
        // --out "" (an unset shell variable) was an internal error, exit 1.
        string[] args = command == "bench" ? [command, argument, "--duration", "0.01", option, ""] : [command, argument, option, ""];
        var (exit, output, error) = CliRunner.Run(args);
        Assert.That(exit, Is.EqualTo(2), error);
        Assert.That(error.Trim(), Is.EqualTo($"error: {option} needs a value, found an empty one (an unset shell variable?)"));
        Assert.That(output, Is.Empty);
    }
}
