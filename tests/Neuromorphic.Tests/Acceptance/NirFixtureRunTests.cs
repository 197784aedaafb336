using Neuromorphic.Sim.Builders;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Tests.Neurons;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Acceptance;

/// <summary>The third-party NIR graphs imported and run end to end (issue 2's acceptance).</summary>
public sealed class NirFixtureRunTests
{
    [Test]
    public void LifNorseGraphReproducesTheNorseTrace()
    {
        var golden = GoldenTrace.Load(FixturePaths.Nir("lif_norse.csv"));
        var network = NirReader.Read(FixturePaths.Nir("lif_norse.nir"));
        var input = new SpikeRaster(golden.Input.Length, 1, golden.Input.Select(x => (float)x).ToArray());
        var result = new NetworkExecutor<float>(network, 1e-4).Run(input, new RecordRequest([], ["1"]));

        var output = result.Outputs["output"];
        var spikes = Enumerable.Range(0, output.Timesteps).Where(t => output[t, 0] > 0).ToArray();
        Assert.That(spikes, Is.EqualTo(golden.OutputSpikeSteps));
        var membrane = result.Membranes["1"];
        for (var t = 0; t < golden.Membrane.Length; t++)
            Assert.That(membrane[t, 0], Is.EqualTo(golden.Membrane[t]).Within(1e-5), $"step {t}");
    }

    [Test]
    public void RockpoolExportOfTheSameNeuronSpikesAlike()
    {
        // Rockpool exports w = 0.04 and r = 24.02 (its own scaling): dt/tau r w = 0.038, a little
        // under Norse's 0.04, so spikes may come later but never earlier, and not many fewer.
        var golden = GoldenTrace.Load(FixturePaths.Nir("lif_norse.csv"));
        var network = NirReader.Read(FixturePaths.Nir("lif_rockpool.nir"));
        var input = new SpikeRaster(golden.Input.Length, 1, golden.Input.Select(x => (float)x).ToArray());
        var output = new NetworkExecutor<float>(network, 1e-4).Run(input).Outputs["output"];
        Assert.That(output.CountNonZero(), Is.InRange(1, golden.OutputSpikeSteps.Length));
    }

    [TestCase("braille_noDelay_bias_zero.nir", 38)]
    [TestCase("braille_noDelay_noBias_subtract.nir", 40)]
    public void BrailleGraphsRunWithTheirHiddenLayerShape(string file, int hidden)
    {
        var network = NirReader.Read(FixturePaths.Nir(file));
        var input = PoissonInput.Generate(256, 12, 200, 1e-3, new DeterministicRandom(3));
        var result = new NetworkExecutor<float>(network, 1e-4).Run(input, new RecordRequest(["lif1.lif"], []));
        var activity = result.Activity["lif1.lif"];
        Assert.That((activity.Timesteps, activity.Channels), Is.EqualTo((256, hidden)));
        Assert.That(result.Outputs["output"].Channels, Is.EqualTo(7));
        Assert.That(activity.CountNonZero(), Is.GreaterThan(0), "the recurrent layer responds to input");
    }

    [Test]
    public void SinabsCnnRunsOnTwoByThirtyFourSquaredInput()
    {
        var network = NirReader.Read(FixturePaths.Nir("cnn_sinabs.nir"));
        var input = PoissonInput.Generate(20, 2 * 34 * 34, 300, 1e-3, new DeterministicRandom(4));
        var result = new NetworkExecutor<float>(network, 1e-3).Run(input, new RecordRequest(["1"], []));
        Assert.That(result.Outputs["output"].Channels, Is.EqualTo(10));
        Assert.That(result.Activity["1"].Channels, Is.EqualTo(16 * 16 * 16));
        Assert.That(result.Activity["1"].CountNonZero(), Is.GreaterThan(0), "the first IF layer spikes");
    }

    [Test]
    public void TwoLifNeuronsSelfSpikeAndDrive()
    {
        // lif1 has v_leak 1.2 > threshold 1, so it fires without input; lif2 (threshold 20) integrates it.
        var network = NirReader.Read(FixturePaths.Nir("two_lif_neurons.nir"));
        var result = new NetworkExecutor<double>(network, 1e-3).Run(new SpikeRaster(300, 1), new RecordRequest(["lif1"], ["lif2"]));
        Assert.That(result.Activity["lif1"].CountNonZero(), Is.GreaterThan(0));
        Assert.That(result.Membranes["lif2"].Row(299)[0], Is.Not.EqualTo(0f));
    }
}
