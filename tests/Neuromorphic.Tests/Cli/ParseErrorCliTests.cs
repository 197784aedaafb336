using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

/// <summary>
/// A command line that does not parse is refused on one line naming the token that is wrong (not the word after it),
/// the option a bad value was given to, a close option or command, and the help of the command at hand.
/// </summary>
public sealed class ParseErrorCliTests
{
    [TestCase(new[] { "run", "--sed", "3", "--example" }, "error: unknown option '--sed' for 'neuromorphic run' (did you mean '--seed'?) (see 'neuromorphic run --help')")]
    [TestCase(new[] { "run", "--sed" }, "error: unknown option '--sed' for 'neuromorphic run' (did you mean '--seed'?)")]
    [TestCase(new[] { "inspect", "--jsn", "rram-40nm-256kb" }, "error: unknown option '--jsn' for 'neuromorphic inspect' (did you mean '--json'?) (see 'neuromorphic inspect --help')")]
    [TestCase(new[] { "run", "--example", "--frobnicate-everything" }, "error: unknown option '--frobnicate-everything' for 'neuromorphic run' (see 'neuromorphic run --help')")]
    public void AMistypedOptionIsNamedNotTheTokenAfterIt(string[] args, string expected)
    {
        // Was: "Unrecognized command or argument '3'" / "'rram-40nm-256kb'" (the valid preset), and for `run --sed`
        // "--sed: no such file or run preset".
        Assert.That(CliRunner.Refused(args), Does.StartWith(expected));
    }

    [Test]
    public void AnUnknownCommandIsNamedWithTheValidOnes()
    {
        // Was: "Required command was not provided." for both.
        Assert.That(CliRunner.Refused("bench", "cubaa"),
            Is.EqualTo("error: unknown command 'cubaa' for 'neuromorphic bench' (did you mean 'cuba'?); commands: cuba (see 'neuromorphic bench --help')\n"));
        Assert.That(CliRunner.Refused("frobnicate"),
            Does.StartWith("error: unknown command 'frobnicate' for 'neuromorphic'; commands: run, inspect, bench, convert, report, sweep, replay (see 'neuromorphic --help')"));
        Assert.That(CliRunner.Refused("bench"), Does.StartWith("error: 'neuromorphic bench' needs a command: cuba"));
    }

    [Test]
    public void ABadChoiceNamesItsOption()
    {
        // Was: "Argument 'nosuch' not recognized. Must be one of: ..." without --placement.
        Assert.That(CliRunner.Refused("bench", "cuba", "--hardware", "rram-40nm-256kb", "--placement", "packd"),
            Is.EqualTo("error: --placement: 'packd' is not one of packed, spread, by_layer, near_synapses (did you mean 'packed'?) (see 'neuromorphic bench cuba --help')\n"));
    }

    [Test]
    public void AMissingValueOrArgumentSaysWhich()
    {
        Assert.That(CliRunner.Refused("run", "--example", "--seed"), Does.StartWith("error: --seed needs a value (see 'neuromorphic run --help')"));
        Assert.That(CliRunner.Refused("convert", "events", "a"), Does.StartWith("error: 'neuromorphic convert events' needs its arguments IN OUT (see 'neuromorphic convert events --help')"));
    }

    [Test]
    public void ANegativeNumberIsAValueNotAnOption()
    {
        Assert.That(CliRunner.Refused("run", "--example", "--seed", "-1"), Does.StartWith("error: --seed: '-1' is not a whole number"));
    }
}
