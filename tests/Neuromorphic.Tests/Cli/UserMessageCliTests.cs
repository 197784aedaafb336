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
        var error = CliRunner.Refused(args);
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

    [TestCase("--input", "x.csv")]
    [TestCase("--dt", "1e-3")]
    [TestCase("--precision", "float64")]
    [TestCase("--timesteps", "10")]
    [TestCase("--semantics", "norse")]
    [TestCase("--record-output", "out.csv")]
    public void NetworkOptionsOnARunConfigurationAreRefusedNotIgnored(string option, string value)
    {
        // run CONFIG --precision float64 ran the configuration as if the option were not there.
        var error = Refused("run", CliRunner.SmallLsmConfig(_dir), "--out", Path.Combine(_dir, "run"), option, value);
        Assert.That(error, Does.StartWith($"error: {option} applies to NIR graphs and the built-in example, not run configurations"));
        Assert.That(Directory.Exists(Path.Combine(_dir, "run")), Is.False);
    }

    [Test]
    public void ConfigurationOptionsOnTheExampleAreRefusedNotIgnored()
    {
        Assert.That(Refused("run", "--example", "--workload-path", _dir), Does.StartWith("error: --workload-path applies to run configurations"));
        Assert.That(Refused("run", "--example", "--trace", Path.Combine(_dir, "t.nmtrace")), Does.StartWith("error: --trace applies to run configurations"));
        Assert.That(Refused("run", CliRunner.SmallLsmConfig(_dir), "--arch", "rram-40nm-256kb"), Does.StartWith("error: --arch runs a NIR graph on a chip"));
    }

    [TestCase("--record-output", "rec.csv")]
    [TestCase("--export-nir", "x.nir")]
    [TestCase("--record", "lif1.lif")]
    [TestCase("--precision", "float64")]
    [TestCase("--reset", "subtract")]
    public void SoftwareRunOptionsOnAChipRunAreRefusedNotIgnored(string option, string value)
    {
        // run NET.nir --arch ... --record-output rec.csv exited 0 and wrote no rec.csv.
        var error = Refused("run", FixturePaths.Nir("lif_norse.nir"), "--input", Path.Combine(_dir, "in.csv"), "--dt", "1e-4", "--arch", "rram-40nm-256kb",
            "--out", Path.Combine(_dir, "run"), option, value);
        Assert.That(error, Does.StartWith($"error: {option} applies to software runs of a NIR graph, not to --arch"));
        Assert.That(Directory.Exists(Path.Combine(_dir, "run")), Is.False);
    }

    [Test]
    public void InspectOptionsForAnotherKindOfFileAreRefused()
    {
        // --density on a graph was ignored; --workload read a .nir as YAML ("not valid UTF-8 text"); --arch read a recording as HDF5.
        Assert.That(Refused("inspect", FixturePaths.Nir("lif_norse.nir"), "--density", "0.5"), Does.StartWith("error: --density applies to architectures"));
        Assert.That(Refused("inspect", FixturePaths.Nir("lif_norse.nir"), "--workload", "layer:8x8,inputs=2"), Does.StartWith("error: --workload applies to architectures"));
        Assert.That(Refused("inspect", Neuromorphic.Tests.Traces.Events.Recordings.EventFixtures.Path("davis.aedat4"), "--arch", "rram-40nm-256kb"),
            Does.StartWith("error: --arch applies to NIR graphs"));
        Assert.That(Refused("inspect", "model:sdt-v1-8-384", "--density", "0.3"), Does.StartWith("error: --density applies to architectures"));
    }
}
