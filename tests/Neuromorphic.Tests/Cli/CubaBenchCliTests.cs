using System.Text.Json;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

/// <summary><c>bench cuba</c>'s functional options: --threads and --sweep-neurons (behaviour, never speed).</summary>
public sealed class CubaBenchCliTests
{
    [Test]
    public void SweepPrintsOneReportPerSizeWithTheSameSpikesOnOneAndTwoThreads()
    {
        var (exit1, out1, err1) = CliRunner.Run("bench", "cuba", "--sweep-neurons", "500,1000", "--duration", "0.02", "--threads", "1", "--json");
        Assert.That(exit1, Is.Zero, err1);
        var (exit2, out2, err2) = CliRunner.Run("bench", "cuba", "--sweep-neurons", "500,1000", "--duration", "0.02", "--threads", "2", "--json");
        Assert.That(exit2, Is.Zero, err2);
        var one = JsonDocument.Parse(out1).RootElement;
        var two = JsonDocument.Parse(out2).RootElement;
        Assert.That(one.GetArrayLength(), Is.EqualTo(2));
        for (var k = 0; k < 2; k++)
        {
            Assert.That(one[k].GetProperty("neurons").GetInt32(), Is.EqualTo(new[] { 500, 1000 }[k]));
            Assert.That(one[k].GetProperty("threads").GetInt32(), Is.EqualTo(1));
            Assert.That(two[k].GetProperty("threads").GetInt32(), Is.EqualTo(2));
            Assert.That(two[k].GetProperty("spikes").GetInt64(), Is.EqualTo(one[k].GetProperty("spikes").GetInt64()));
            Assert.That(one[k].GetProperty("bytes_per_synapse").GetDouble(), Is.GreaterThan(2.0));
        }
    }

    [Test]
    public void TheTablePrintsEventsPerSecondWithATwoDigitExponent()
    {
        // .NET's "E3" gave 8.539E+007.
        var (exit, output, error) = CliRunner.Run("bench", "cuba", "--neurons", "500", "--duration", "0.02", "--threads", "1");
        Assert.That(exit, Is.Zero, error);
        Assert.That(output, Does.Match(@"synaptic events / s\s+\u2502\s+\d\.\d{3}E[+-]\d\d \u2502"));
        var (sweepExit, sweep, sweepError) = CliRunner.Run("bench", "cuba", "--sweep-neurons", "500,1000", "--duration", "0.02", "--threads", "1");
        Assert.That(sweepExit, Is.Zero, sweepError);
        Assert.That(sweep, Does.Match(@"\d\.\d\dE\+\d\d \u2502").And.Not.Match(@"E[+-]\d{3}"), "the scaling table's events/s (1.09E+008 before)");
    }

    [TestCase("--sweep-neurons", "4000,abc", "'abc'")]
    [TestCase("--sweep-neurons", "4000,-5", "'-5'")]
    [TestCase("--threads", "0", "--threads")]
    [TestCase("--neurons", "1000000000", "--neurons")]
    public void BadValuesExitTwoNamingThem(string option, string value, string named)
    {
        var (exit, _, error) = CliRunner.Run("bench", "cuba", option, value, "--duration", "0.01");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain(named));
    }

    [TestCase("0")]
    [TestCase("2000")]
    public void RunRefusesAThreadCountOutOfRange(string threads)
    {
        var (exit, _, error) = CliRunner.Run("run", "--threads", threads);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("--threads"));
    }
}
