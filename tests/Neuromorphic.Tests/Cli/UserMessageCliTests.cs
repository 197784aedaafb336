using Neuromorphic.Tests.Nir;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

/// <summary>
/// Bad input reads as the program's own one-line form, <c>FILE: PROBLEM</c> or <c>--option: PROBLEM</c>:
/// no .NET type names (<c>System.Nullable`1[System.UInt64]</c>), no "Could not find file '/full/path'".
/// </summary>
public sealed class UserMessageCliTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-msg-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private static string Refused(params string[] args)
    {
        var (exit, output, error) = CliRunner.Run(args);
        Assert.That(exit, Is.EqualTo(2), error);
        Assert.That(output, Is.Empty);
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1), error);
        Assert.That(error, Does.Not.Contain("System."), error);
        return error;
    }

    [TestCase("--seed", "-1", "a whole number from 0 to 18446744073709551615")]
    [TestCase("--timesteps", "1.5", "a whole number from -2147483648 to 2147483647")]
    [TestCase("--dt", "fast", "a number")]
    public void AValueOfTheWrongTypeSaysWhatIsExpected(string option, string value, string expected)
    {
        var error = Refused("run", "--example", option, value);
        Assert.That(error, Does.StartWith($"error: {option}: '{value}' is not {expected}"));
    }

    [Test]
    public void AMissingInputFileIsNamedAsGiven()
    {
        var missing = Path.Combine(_dir, "absent.csv");
        Assert.That(Refused("run", FixturePaths.Nir("lif_norse.nir"), "--input", missing, "--dt", "1e-4"), Does.StartWith($"error: {missing}: no such file"));
        var sweep = Path.Combine(_dir, "absent.yaml");
        Assert.That(Refused("sweep", sweep), Does.StartWith($"error: {sweep}: no such file"));
        Assert.That(Refused("convert", "fashion-mnist", "--images", missing, "--labels", missing, "--out", _dir), Does.StartWith($"error: {missing}: no such file"));
    }

    [Test]
    public void EmptyInputsAreRefusedNotInternalErrors()
    {
        // --input "", replay --network "" and report "" were internal errors (ArgumentException, exit 1).
        Assert.That(Refused("run", FixturePaths.Nir("lif_norse.nir"), "--input", "", "--dt", "1e-4"), Is.EqualTo("error: --input needs a value, found an empty one (an unset shell variable?)\n"));
        Assert.That(Refused("replay", Path.Combine(_dir, "t.nmtrace"), "--network", ""), Does.StartWith("error: --network needs a value"));
        Assert.That(Refused("report", ""), Does.StartWith("error: argument 2 is empty"));
    }
}
