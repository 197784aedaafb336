using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Acceptance;

/// <summary>
/// Issue 18's acceptance: the two Braille graphs of the NIR paper on test sample 0, hidden layer
/// <c>lif1.lif</c> against the activity snnTorch (which trained and exported them) and Norse
/// published, and <c>nir</c> against a forward-Euler reference written here.
/// </summary>
public sealed class NirSemanticsAcceptanceTests
{
    private const double Dt = 1e-4;

    private static SpikeRaster Input() => SpikeRaster.Load(FixturePaths.Nir("braille-activity/input_sample0.npy"));

    private static SpikeRaster Hidden(string graph, Discretisation discretisation)
    {
        var network = NirReader.Read(FixturePaths.Nir($"braille_{graph}.nir"));
        var executor = new NetworkExecutor<float>(network, Dt, discretisation);
        return executor.Run(Input(), new RecordRequest(["lif1.lif"], [])).Activity["lif1.lif"];
    }

    private static int CellsDiffering(SpikeRaster ours, SpikeRaster published)
    {
        Assert.That((ours.Timesteps, ours.Channels), Is.EqualTo((published.Timesteps, published.Channels)), "shape");
        var differing = 0;
        for (var t = 0; t < ours.Timesteps; t++)
            for (var c = 0; c < ours.Channels; c++)
                if ((ours[t, c] > 0) != (published[t, c] > 0)) differing++;
        return differing;
    }

    [TestCase("noDelay_bias_zero", ResetMechanism.ToValue)]
    // snnTorch ran this graph with reset_mechanism="subtract", which a NIR file cannot carry.
    [TestCase("noDelay_noBias_subtract", ResetMechanism.Subtract)]
    public void SnnTorchSemanticsReproduceSnnTorchsActivity(string graph, ResetMechanism reset)
    {
        var published = SpikeRaster.Load(FixturePaths.Nir($"braille-activity/snntorch_activity_{graph}.npy"));
        Assert.That(published.CountNonZero(), Is.GreaterThan(100), "the published layer is active");
        Assert.That(CellsDiffering(Hidden(graph, new Discretisation(NirSemantics.SnnTorch, reset)), published), Is.Zero);
    }

    [TestCase("noDelay_bias_zero")]
    [TestCase("noDelay_noBias_subtract")]
    public void NorseSemanticsReproduceNorsesActivity(string graph)
    {
        var published = SpikeRaster.Load(FixturePaths.Nir($"braille-activity/norse_activity_{graph}.npy"));
        Assert.That(published.CountNonZero(), Is.GreaterThan(100));
        Assert.That(CellsDiffering(Hidden(graph, new Discretisation(NirSemantics.Norse)), published), Is.Zero);
    }

    [Test]
    public void TheFrameworksDifferOnTheseGraphsSoTheSemanticsMatter()
    {
        // The measured differences the documentation quotes (docs/nir-semantics.md).
        var snnTorch = SpikeRaster.Load(FixturePaths.Nir("braille-activity/snntorch_activity_noDelay_bias_zero.npy"));
        var norse = SpikeRaster.Load(FixturePaths.Nir("braille-activity/norse_activity_noDelay_bias_zero.npy"));
        Assert.That(CellsDiffering(Hidden("noDelay_bias_zero", new Discretisation(NirSemantics.Norse)), snnTorch), Is.EqualTo(23));
        Assert.That(CellsDiffering(Hidden("noDelay_bias_zero", Discretisation.Nir), norse), Is.EqualTo(23));
        var subtract = SpikeRaster.Load(FixturePaths.Nir("braille-activity/snntorch_activity_noDelay_noBias_subtract.npy"));
        Assert.That(CellsDiffering(Hidden("noDelay_noBias_subtract", new Discretisation(NirSemantics.SnnTorch)), subtract), Is.EqualTo(85),
            "snnTorch semantics with NIR's reset to v_reset");
    }

    [TestCase("noDelay_bias_zero", false)]
    [TestCase("noDelay_bias_zero", true)]
    [TestCase("noDelay_noBias_subtract", false)]
    [TestCase("noDelay_noBias_subtract", true)]
    public void NirSemanticsEqualAForwardEulerReference(string graph, bool useDouble)
    {
        var network = NirReader.Read(FixturePaths.Nir($"braille_{graph}.nir"));
        var input = Input();
        var reference = new ForwardEulerBraille(network).Run(input);
        var record = new RecordRequest(["lif1.lif", "lif2"], ["lif1.lif"]);
        var result = useDouble
            ? new NetworkExecutor<double>(network, Dt).Run(input, record)
            : new NetworkExecutor<float>(network, Dt).Run(input, record);
        Assert.That(reference.Hidden.CountNonZero(), Is.GreaterThan(100), "the reference is active");
        Assert.That(CellsDiffering(result.Activity["lif1.lif"], reference.Hidden), Is.Zero, "hidden layer");
        Assert.That(CellsDiffering(result.Activity["lif2"], reference.Output), Is.Zero, "output layer");
        var tolerance = useDouble ? 1e-6 : 1e-4; // membranes are recorded as float32
        for (var t = 0; t < input.Timesteps; t++)
            for (var c = 0; c < reference.Membrane.Channels; c++)
                Assert.That(result.Membranes["lif1.lif"][t, c], Is.EqualTo(reference.Membrane[t, c]).Within(tolerance), $"v[{t}, {c}]");
    }

    /// <summary>
    /// NIR's CubaLIF equations integrated by forward Euler, written out for the Braille graph
    /// (input -> fc1 -> lif1 (+ w_rec loop) -> fc2 -> lif2): the recurrent input of step t is
    /// w_rec applied to lif1's spikes of step t-1 (none before the first step), plus its bias.
    /// </summary>
    private sealed class ForwardEulerBraille(Network network)
    {
        public (SpikeRaster Hidden, SpikeRaster Output, SpikeRaster Membrane) Run(SpikeRaster input)
        {
            var fc1 = (DenseNode)network["fc1"];
            var rec = (DenseNode)network["lif1.w_rec"];
            var fc2 = (DenseNode)network["fc2"];
            var lif1 = new Layer((CubaLifModel)((NeuronNode)network["lif1.lif"]).Model);
            var lif2 = new Layer((CubaLifModel)((NeuronNode)network["lif2"]).Model);
            var steps = input.Timesteps;
            var hidden = new SpikeRaster(steps, fc1.Outputs);
            var output = new SpikeRaster(steps, fc2.Outputs);
            var membrane = new SpikeRaster(steps, fc1.Outputs);
            var previous = new double[fc1.Outputs];
            for (var t = 0; t < steps; t++)
            {
                var x = input.Row(t).ToArray().Select(v => (double)v).ToArray();
                var drive = Affine(fc1, x).Zip(Affine(rec, previous), (a, b) => a + b).ToArray();
                previous = lif1.Step(drive);
                var spikes2 = lif2.Step(Affine(fc2, previous));
                for (var c = 0; c < previous.Length; c++) { hidden[t, c] = (float)previous[c]; membrane[t, c] = (float)lif1.V[c]; }
                for (var c = 0; c < spikes2.Length; c++) output[t, c] = (float)spikes2[c];
            }
            return (hidden, output, membrane);
        }

        private static double[] Affine(DenseNode d, double[] x)
        {
            var y = new double[d.Outputs];
            for (var o = 0; o < d.Outputs; o++)
            {
                double sum = d.Bias?[o] ?? 0;
                for (var i = 0; i < d.Inputs; i++) sum += d.Weight[o * d.Inputs + i] * x[i];
                y[o] = sum;
            }
            return y;
        }

        private sealed class Layer(CubaLifModel m)
        {
            private readonly double[] _i = new double[m.Size];
            public double[] V { get; } = new double[m.Size];

            public double[] Step(double[] x)
            {
                var spikes = new double[m.Size];
                for (var n = 0; n < m.Size; n++)
                {
                    // tau_syn dI/dt = -I + w_in x;  tau_mem dv/dt = v_leak - v + r I (with the new I)
                    _i[n] += Dt / m.TauSyn[n] * (-_i[n] + m.WIn[n] * x[n]);
                    V[n] += Dt / m.TauMem[n] * (m.VLeak[n] - V[n] + m.R[n] * _i[n]);
                    if (V[n] > m.VThreshold![n]) { spikes[n] = 1; V[n] = m.VReset![n]; }
                }
                return spikes;
            }
        }
    }
}
