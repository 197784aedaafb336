using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Traces;
using CsCheck;
using NUnit.Framework;

namespace Neuromorphic.Tests.Neurons;

/// <summary>The three semantics on the LIF fixtures, on hand-checked steps, and what each changes.</summary>
public sealed class NirSemanticsTests
{
    private const double Dt = 1e-4;

    private static (int[] Spikes, float[] Membrane) RunLifGraph(Discretisation d, GoldenTrace golden)
    {
        var network = NirReader.Read(FixturePaths.Nir("lif_norse.nir"));
        var input = new SpikeRaster(golden.Input.Length, 1, golden.Input.Select(x => (float)x).ToArray());
        var result = new NetworkExecutor<float>(network, Dt, d).Run(input, new RecordRequest([], ["1"]));
        var output = result.Outputs["output"];
        var spikes = Enumerable.Range(0, output.Timesteps).Where(t => output[t, 0] > 0).ToArray();
        return (spikes, Enumerable.Range(0, output.Timesteps).Select(t => result.Membranes["1"][t, 0]).ToArray());
    }

    [TestCase(NirSemantics.Nir)]
    [TestCase(NirSemantics.Norse)]
    public void LifNorseGraphReproducesNorsesTrace(NirSemantics semantics)
    {
        var golden = GoldenTrace.Load(FixturePaths.Nir("lif_norse.csv"));
        var (spikes, membrane) = RunLifGraph(new Discretisation(semantics), golden);
        Assert.That(spikes, Is.EqualTo(golden.OutputSpikeSteps).And.Not.Empty);
        for (var t = 0; t < membrane.Length; t++) Assert.That(membrane[t], Is.EqualTo(golden.Membrane[t]).Within(1e-5), $"step {t}");
    }

    [Test]
    public void LifNorseGraphUnderSnnTorchSemanticsReproducesSnnTorchsTraceInItsUnits()
    {
        // snnTorch's importer leaves the input unscaled and divides the threshold by dt/tau r = 0.04,
        // so its membrane is NIR's x 25 (1.0 after the first input spike, as the file shows).
        var golden = GoldenTrace.Load(FixturePaths.Nir("lif_snntorch.csv"));
        var (spikes, membrane) = RunLifGraph(new Discretisation(NirSemantics.SnnTorch), golden);
        Assert.That(spikes, Is.EqualTo(golden.OutputSpikeSteps).And.Not.Empty);
        for (var t = 0; t < membrane.Length; t++) Assert.That(membrane[t], Is.EqualTo(golden.Membrane[t]).Within(1e-5), $"step {t}");
    }

    [TestCase(NirSemantics.Nir)]
    [TestCase(NirSemantics.SnnTorch)]
    [TestCase(NirSemantics.Norse)]
    public void EverySemanticsSpikesWithinAStepOfTheExactSolution(NirSemantics semantics)
    {
        var exact = GoldenTrace.Load(FixturePaths.Nir("lif_exact.csv"));
        var (spikes, _) = RunLifGraph(new Discretisation(semantics), exact);
        Assert.That(spikes, Has.Length.EqualTo(exact.OutputSpikeSteps.Length));
        for (var i = 0; i < spikes.Length; i++) Assert.That(spikes[i], Is.EqualTo(exact.OutputSpikeSteps[i]).Within(1));
    }

    [Test]
    public void NorseLeavesOutRAndVResetOfALif()
    {
        // r = 2, v_reset = -0.5: NIR's step lifts v by dt/tau r = 0.2 and resets to -0.5; Norse's importer
        // passes neither r nor v_reset, so its LIFBoxCell lifts v by 0.1 and resets to 0.
        var model = new LifModel([1e-3], [2.0], [0.0], [0.25], [-0.5]);
        var (nirOut, nirV) = NeuronRunner.Run(model.CreateDynamics<double>(Dt, Discretisation.Nir), [1.0, 1.0]);
        var (norseOut, norseV) = NeuronRunner.Run(model.CreateDynamics<double>(Dt, new Discretisation(NirSemantics.Norse)), [1.0, 1.0, 1.0]);
        Assert.That(nirV[0], Is.EqualTo(0.2).Within(1e-12));
        Assert.That((nirOut[1], nirV[1]), Is.EqualTo((1.0, -0.5)), "0.18 + 0.2 > 0.25: spike, reset to v_reset");
        Assert.That(norseV[0], Is.EqualTo(0.1).Within(1e-12));
        Assert.That(norseV[1], Is.EqualTo(0.19).Within(1e-12));
        Assert.That((norseOut[2], norseV[2]), Is.EqualTo((1.0, 0.0)), "0.271 > 0.25: spike, reset to 0");
    }

    [Test]
    public void SnnTorchSubtractTakesItsFlagFromThePreviousMembrane()
    {
        // beta 0.5 (tau = 2 dt), unit input scale, threshold 1, input 3 then 0: snnTorch's
        // reset_delay=False rule vs a plain subtraction (hand-computed).
        var model = new LifModel([2 * Dt], [2.0], [0.0], [1.0]);
        var snn = new Discretisation(NirSemantics.SnnTorch, ResetMechanism.Subtract);
        var nir = new Discretisation(NirSemantics.Nir, ResetMechanism.Subtract);
        var (snnOut, snnV) = NeuronRunner.Run(model.CreateDynamics<double>(Dt, snn), [3.0, 0.0, 0.0]);
        var (nirOut, nirV) = NeuronRunner.Run(model.CreateDynamics<double>(Dt, nir), [3.0, 0.0, 0.0]);
        // step 0: both 3 -> spike, 2. step 1: plain 1.0 -> no spike (1 > 1 false), stays 1.0;
        // snnTorch: flag (2 > 1) subtracts first: 1.0 - 1 = 0 -> no spike, then -(0 - 1) 1 -> 1.0.
        Assert.That(snnOut, Is.EqualTo(new[] { 1.0, 0.0, 0.0 }));
        Assert.That(nirOut, Is.EqualTo(new[] { 1.0, 0.0, 0.0 }));
        Assert.That(snnV, Is.EqualTo(new[] { 2.0, 1.0, 0.5 }));
        Assert.That(nirV, Is.EqualTo(new[] { 2.0, 1.0, 0.5 }));
        // With input 5: plain 4 then 2 -> spike at step 1 (2 > 1), v 1; snnTorch: flag 1: 2 - 1 = 1, no spike, v 2.
        var (snn5, snnV5) = NeuronRunner.Run(model.CreateDynamics<double>(Dt, snn), [5.0, 0.0]);
        var (nir5, nirV5) = NeuronRunner.Run(model.CreateDynamics<double>(Dt, nir), [5.0, 0.0]);
        Assert.That((nir5[1], nirV5[1]), Is.EqualTo((1.0, 1.0)));
        Assert.That((snn5[1], snnV5[1]), Is.EqualTo((0.0, 2.0)));
    }

    [Test]
    public void SnnTorchCubaLifStateIsNirsDividedByTheInputScale()
    {
        var model = new CubaLifModel([1e-3], [5e-4], [3.0], [0.0], [10.0], null, [2.0]);
        var input = Enumerable.Range(0, 40).Select(t => t % 3 == 0 ? 1.0 : 0.0).ToArray();
        var (nirOut, nirV) = NeuronRunner.Run(model.CreateDynamics<double>(Dt, Discretisation.Nir), input);
        var snnRule = model.UpdateRule(Dt, new Discretisation(NirSemantics.SnnTorch));
        var (snnOut, snnV) = NeuronRunner.Run(model.CreateDynamics<double>(Dt, new Discretisation(NirSemantics.SnnTorch)), input);
        var scale = (Dt / 5e-4 * 2.0) * (Dt / 1e-3 * 3.0);
        Assert.That(snnRule.StateScale[0], Is.EqualTo(scale).Within(1e-15));
        Assert.That(snnRule.Threshold![0], Is.EqualTo(10.0 / scale).Within(1e-12));
        Assert.That(snnOut, Is.EqualTo(nirOut));
        for (var t = 0; t < input.Length; t++) Assert.That(snnV[t] * scale, Is.EqualTo(nirV[t]).Within(1e-9), $"step {t}");
    }

    [Test]
    public void SnnTorchUnitsAreNirsScaledForAnyParameters()
    {
        // The snnTorch form only moves the input gains into the threshold: spikes equal NIR's, and the
        // state times StateScale is NIR's membrane. (Rounding could flip a step landing within an ulp of
        // the threshold; with continuous random parameters that chance is about 1e-12 per run.)
        Gen.Select(Gen.Double[2, 50], Gen.Double[1.5, 20], Gen.Double[0.1, 10], Gen.Double[0.1, 10], Gen.Double[0.2, 3],
            Gen.Double[0, 3].Array[60]).Sample((tm, ts, r, w, th, input) =>
        {
            var model = new CubaLifModel([tm * Dt], [ts * Dt], [r], [0.05], [th], [0.0], [w]);
            var (nirOut, nirV) = NeuronRunner.Run(model.CreateDynamics<double>(Dt, Discretisation.Nir), input);
            var snnTorch = new Discretisation(NirSemantics.SnnTorch);
            var scale = model.UpdateRule(Dt, snnTorch).StateScale[0];
            var (snnOut, snnV) = NeuronRunner.Run(model.CreateDynamics<double>(Dt, snnTorch), input);
            for (var t = 0; t < input.Length; t++)
            {
                if (snnOut[t] != nirOut[t]) return false;
                if (Math.Abs(snnV[t] * scale - nirV[t]) > 1e-9 * (1 + Math.Abs(nirV[t]))) return false;
            }
            return true;
        });
    }

    [Test]
    public void NorseCubaLifSynapseLeaksTowardsVLeak()
    {
        // Norse's importer passes v_leak to the synapse's LIBoxCell as well: with no input the
        // current still grows, I_1 = dt/tau_syn v_leak.
        var model = new CubaLifModel([1e-3], [5e-4], [1.0], [0.5], [10.0]);
        var rule = model.UpdateRule(Dt, new Discretisation(NirSemantics.Norse));
        Assert.That(rule.SynapseLeak![0], Is.EqualTo(0.2 * 0.5).Within(1e-15));
        Assert.That(model.UpdateRule(Dt, Discretisation.Nir).SynapseLeak![0], Is.Zero);
    }

    [Test]
    public void NonSpikingModelsKeepNirsUnitsUnderEverySemantics()
    {
        var li = new LifModel([1e-3], [4.0], [0.2], null);
        foreach (var s in Enum.GetValues<NirSemantics>())
        {
            var rule = li.UpdateRule(Dt, new Discretisation(s));
            Assert.That(rule.StateScale[0], Is.EqualTo(1.0), s.ToString());
            Assert.That(rule.MembraneGain[0], Is.EqualTo(0.4).Within(1e-15), s.ToString());
        }
    }

    [Test]
    public void NorseIfIgnoresRAndSnnTorchIfDividesTheThreshold()
    {
        var model = new IntegratorModel([2.0], [3.0]);
        Assert.That(model.UpdateRule(Dt, new Discretisation(NirSemantics.Norse)).MembraneGain[0], Is.EqualTo(1.0));
        var snn = model.UpdateRule(Dt, new Discretisation(NirSemantics.SnnTorch));
        Assert.That((snn.MembraneGain[0], snn.Threshold![0], snn.StateScale[0]), Is.EqualTo((1.0, 1.5, 2.0)));
        var nir = model.UpdateRule(Dt, Discretisation.Nir);
        Assert.That((nir.MembraneGain[0], nir.Threshold![0]), Is.EqualTo((2.0, 3.0)));
    }

    /// <summary>input (1) -> fc (w 0) -> lif, lif -> rec (Affine w 0, bias 5) -> lif: only the bias drives lif.</summary>
    private static Network LoopWithBias() => new(
        [
            new InputNode("in", [1]),
            new DenseNode("fc", [0f], 1, 1),
            new NeuronNode("lif", new LifModel([Dt], [1.0], [0.0], [100.0])),
            new DenseNode("rec", [0f], 1, 1, [5f]),
            new OutputNode("out", [1]),
        ],
        [new Edge("in", "fc"), new Edge("fc", "lif"), new Edge("lif", "rec"), new Edge("rec", "lif"), new Edge("lif", "out")]);

    [Test]
    public void RecurrentBiasReachesTheFirstStepExceptUnderNorse()
    {
        // tau = dt: v = the step's input. NIR/snnTorch: the loop's Affine at rest gives 5 from step 0;
        // Norse (NIRTorch) feeds zero into the recurrent edge until its source has run.
        var input = new SpikeRaster(3, 1);
        var nir = new NetworkExecutor<double>(LoopWithBias(), Dt).Run(input, new RecordRequest([], ["lif"])).Membranes["lif"];
        var norse = new NetworkExecutor<double>(LoopWithBias(), Dt, new Discretisation(NirSemantics.Norse))
            .Run(input, new RecordRequest([], ["lif"])).Membranes["lif"];
        Assert.That(new[] { nir[0, 0], nir[1, 0], nir[2, 0] }, Is.EqualTo(new[] { 5f, 5f, 5f }));
        Assert.That(new[] { norse[0, 0], norse[1, 0], norse[2, 0] }, Is.EqualTo(new[] { 0f, 5f, 5f }));
    }

    [TestCase(NirSemantics.Nir, ResetMechanism.ToValue)]
    [TestCase(NirSemantics.SnnTorch, ResetMechanism.Subtract)]
    [TestCase(NirSemantics.Norse, ResetMechanism.Subtract)]
    [TestCase(NirSemantics.SnnTorch, ResetMechanism.ToValue)]
    public void SteppingTheBrailleGraphAllocatesNothing(NirSemantics semantics, ResetMechanism reset)
    {
        var network = NirReader.Read(FixturePaths.Nir("braille_noDelay_noBias_subtract.nir"));
        var input = SpikeRaster.Load(FixturePaths.Nir("braille-activity/input_sample0.npy"));
        var executor = new NetworkExecutor<float>(network, Dt, new Discretisation(semantics, reset));
        executor.Reset();
        for (var t = 0; t < 10; t++) executor.Step(input.Row(t));
        Assert.That(ThreadAllocation.During(() =>
        {
            for (var t = 10; t < 200; t++) executor.Step(input.Row(t));
        }), Is.Zero);
    }
}
