using System.Text.Json;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

/// <summary>
/// The built-in example's mean rate is over the neurons that can spike: it divided 1384 spikes by 210 neurons,
/// 10 of them leaky integrators that never spike (13.18 Hz where the 200 LIF neurons fire at 13.84 Hz).
/// </summary>
public sealed class ExampleRateCliTests
{
    [Test]
    public void TheMeanRateIsOverTheSpikingNeuronsAndSaysSo()
    {
        var (exit, output, error) = CliRunner.Run("run", "--example", "--json");
        Assert.That(exit, Is.EqualTo(0), error);
        var summary = JsonDocument.Parse(output).RootElement;
        Assert.That(summary.GetProperty("neurons").GetInt64(), Is.EqualTo(210));
        Assert.That(summary.GetProperty("spiking_neurons").GetInt64(), Is.EqualTo(200));
        var spikes = summary.GetProperty("spikes").GetInt64();
        var seconds = summary.GetProperty("duration_s").GetDouble();
        Assert.That(summary.GetProperty("firing_rate_Hz").GetDouble(), Is.EqualTo(spikes / (200 * seconds)).Within(1e-12));
        var table = CliRunner.Run("run", "--example");
        Assert.That(table.Out, Does.Contain("mean rate (200 spiking neurons)"));
    }
}
