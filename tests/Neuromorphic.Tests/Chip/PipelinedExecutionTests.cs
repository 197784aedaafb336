using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// <c>chip.execution: pipelined</c>: layers of successive timesteps overlap, the spikes do not change,
/// and the run's latency and throughput follow the closed forms of a pipeline of stages.
/// </summary>
public class PipelinedExecutionTests
{
    /// <summary>in -> lif0 -> lif1 -> ... -> out: populations fed straight by populations, so each stage is one neuron-core batch.</summary>
    private static Network PopulationChain(params int[] sizes)
    {
        var nodes = new List<Node> { new InputNode("in", [sizes[0]]) };
        var edges = new List<Edge>();
        var previous = "in";
        for (var k = 0; k < sizes.Length; k++)
        {
            if (k > 0 && sizes[k] != sizes[k - 1]) throw new ArgumentException("a population feeds the next one element by element");
            // Integrate-and-fire, gain 1, threshold 0.5: an input of 1 fires the neuron (and resets it) every step.
            nodes.Add(new NeuronNode($"lif{k}", new IntegratorModel(NeuronModel.Fill(sizes[k], 1), NeuronModel.Fill(sizes[k], 0.5))));
            edges.Add(new Edge(previous, $"lif{k}"));
            previous = $"lif{k}";
        }
        nodes.Add(new OutputNode("out", [sizes[^1]]));
        edges.Add(new Edge(previous, "out"));
        return new Network(nodes, edges);
    }

    private static ArchitectureSpec Spec(ExecutionMode mode, NeuronPlacement placement) =>
        ChipTestData.Ideal() with { Chip = ChipTestData.Ideal().Chip with { Execution = mode, NeuronPlacement = placement } };

    private static ChipRunResult Run(Network network, ArchitectureSpec spec, SpikeRaster input, out SpikeRaster output)
    {
        var program = NetworkMapper.Map(network, new ChipModel(spec), seed: 1);
        var executor = new ChipExecutor(program, 1e-3, seed: 1);
        output = executor.RunSample(input)["out"];
        return executor.Finish();
    }

    private static SpikeRaster Ones(int steps, int channels)
    {
        var raster = new SpikeRaster(steps, channels);
        for (var t = 0; t < steps; t++) raster.MutableRow(t).Fill(1);
        return raster;
    }

    /// <summary>One population of n neurons updated on its core: ceil(n / lanes) + pipeline core cycles, base cycles per core cycle each.</summary>
    private static long StageCycles(ArchitectureSpec spec, int neurons)
    {
        var edge = (long)Math.Round(spec.BaseClockHz / spec.NeuronCore.ClockHz);
        return ((neurons + spec.NeuronCore.Lanes - 1) / spec.NeuronCore.Lanes + spec.NeuronCore.PipelineLatencyCycles) * edge;
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(7)]
    public void A_balanced_chain_of_L_stages_takes_T_L_c_with_a_barrier_and_L_plus_T_minus_1_times_c_pipelined(int steps)
    {
        var sizes = new[] { 32, 32, 32 };
        var input = Ones(steps, 32);
        var barrierSpec = Spec(ExecutionMode.Barrier, NeuronPlacement.ByLayer);
        var c = StageCycles(barrierSpec, 32);
        Assert.That(c, Is.EqualTo((2 + 2) * 5), "rram-40nm-256kb: 16 lanes, 2 pipeline cycles, 200 MHz core on a 1 GHz base clock");
        const int L = 3;

        var barrier = Run(PopulationChain(sizes), barrierSpec, input, out var barrierOut);
        var pipelined = Run(PopulationChain(sizes), Spec(ExecutionMode.Pipelined, NeuronPlacement.ByLayer), input, out var pipelinedOut);

        Assert.That(barrier.Execution, Is.EqualTo("barrier"));
        Assert.That(pipelined.Execution, Is.EqualTo("pipelined"));
        Assert.That(barrier.TotalCycles, Is.EqualTo(steps * L * c));
        Assert.That(pipelined.TotalCycles, Is.EqualTo((L + steps - 1) * c));
        // Every step's first input to last output: the chain's depth in both modes (a balanced pipeline adds no waiting).
        Assert.That(barrier.StepLatencyCycles, Is.All.EqualTo(L * c));
        Assert.That(pipelined.StepLatencyCycles, Is.All.EqualTo(L * c));
        // One step completes every L c cycles behind a barrier, every c (the slowest stage) pipelined.
        Assert.That(barrier.StepIntervalCycles, Is.EqualTo(L * c));
        Assert.That(pipelined.StepIntervalCycles, Is.EqualTo(steps == 1 ? L * c : c));
        Assert.That(pipelined.ThroughputStepsPerSecond, Is.EqualTo(1e9 / pipelined.StepIntervalCycles).Within(1e-9).Percent);
        Assert.That(pipelined.SampleCycles, Is.EqualTo(new[] { pipelined.TotalCycles }));
        AssertSameSpikes(barrierOut, pipelinedOut);
        Assert.That(pipelinedOut.Row(steps - 1).ToArray(), Is.All.EqualTo(1f), "every neuron fires every step");
    }

    [Test]
    public void Two_stages_on_one_core_share_it_so_pipelining_gains_nothing()
    {
        // Packed: both populations on tile 0's core. The core is the resource: one step needs c0 + c1 of it.
        const int steps = 5;
        var sizes = new[] { 16, 16 };
        var spec = Spec(ExecutionMode.Pipelined, NeuronPlacement.Packed);
        var c = StageCycles(spec, 16);
        var input = Ones(steps, 16);
        var barrier = Run(PopulationChain(sizes), Spec(ExecutionMode.Barrier, NeuronPlacement.Packed), input, out var barrierOut);
        var pipelined = Run(PopulationChain(sizes), spec, input, out var pipelinedOut);
        Assert.That(barrier.TotalCycles, Is.EqualTo(steps * 2 * c));
        Assert.That(pipelined.TotalCycles, Is.EqualTo(steps * 2 * c));
        Assert.That(pipelined.StepIntervalCycles, Is.EqualTo(2 * c));
        AssertSameSpikes(barrierOut, pipelinedOut);
    }

    [TestCase(true)]
    [TestCase(false)]
    public void The_braille_srnn_computes_the_same_spikes_and_energy_counts_pipelined_and_finishes_sooner(bool ideal)
    {
        // Recurrent, crossbars on macros, packets on the NoC; with the preset's device (read noise) too:
        // the function pass draws its noise in the same order whatever the timing.
        var network = NirReader.Read(FixturePaths.Nir("braille_noDelay_bias_zero.nir"));
        var input = SpikeRaster.Load(ChipTestData.BrailleInput);
        var baseSpec = ideal ? ChipTestData.Ideal() : ArchitectureLoader.Load("rram-40nm-256kb");
        (ChipRunResult Result, IReadOnlyDictionary<string, SpikeRaster> Out, List<string> Spikes) RunIn(ExecutionMode mode)
        {
            var program = NetworkMapper.Map(network, new ChipModel(baseSpec with { Chip = baseSpec.Chip with { Execution = mode } }), seed: 1);
            var executor = new ChipExecutor(program, 1e-4, seed: 1);
            var spikes = new List<string>();
            executor.SpikesOf = (node, step, fired) => spikes.Add($"{node} {step}: {string.Join(' ', fired.ToArray())}");
            var outputs = executor.RunSample(input);
            executor.RunSample(input);
            return (executor.Finish(), outputs, spikes);
        }
        var barrier = RunIn(ExecutionMode.Barrier);
        var pipelined = RunIn(ExecutionMode.Pipelined);

        Assert.That(pipelined.Spikes, Is.EqualTo(barrier.Spikes));
        foreach (var (name, raster) in barrier.Out) AssertSameSpikes(raster, pipelined.Out[name]);
        Assert.That(pipelined.Result.Account.Lines.Select(l => (l.Layer, l.Component, l.Action, l.Count)),
            Is.EqualTo(barrier.Result.Account.Lines.Select(l => (l.Layer, l.Component, l.Action, l.Count))), "every action counted the same");
        Assert.That(pipelined.Result.Layers.Select(l => l.Reads), Is.EqualTo(barrier.Result.Layers.Select(l => l.Reads)));

        Assert.That(pipelined.Result.Timesteps, Is.EqualTo(barrier.Result.Timesteps));
        Assert.That(pipelined.Result.SampleCycles, Has.Length.EqualTo(2));
        Assert.That(pipelined.Result.TotalCycles, Is.LessThan(barrier.Result.TotalCycles));
        Assert.That(pipelined.Result.StepIntervalCycles, Is.LessThan(barrier.Result.StepIntervalCycles));
        // A barrier completes one step per step latency; samples follow each other on the chip's clock.
        Assert.That(barrier.Result.SampleCycles.Sum(), Is.EqualTo(barrier.Result.TotalCycles));
        Assert.That(barrier.Result.StepLatencyCycles.Sum(), Is.EqualTo(barrier.Result.TotalCycles));
        Assert.That(pipelined.Result.SampleCycles.Sum(), Is.EqualTo(pipelined.Result.TotalCycles));
        TestContext.Out.WriteLine($"barrier: {barrier.Result.TotalCycles} cycles, {barrier.Result.LatencyPerTimestepCycles} per step, interval {barrier.Result.StepIntervalCycles}; " +
            $"pipelined: {pipelined.Result.TotalCycles} cycles, {pipelined.Result.LatencyPerTimestepCycles} per step, interval {pipelined.Result.StepIntervalCycles}");
    }

    [Test]
    public void The_run_record_names_the_mode_its_step_latency_and_its_throughput()
    {
        var spec = Spec(ExecutionMode.Pipelined, NeuronPlacement.ByLayer);
        var program = NetworkMapper.Map(PopulationChain(32, 32, 32), new ChipModel(spec), seed: 1);
        var executor = new ChipExecutor(program, 1e-3, seed: 1);
        executor.RunSample(Ones(5, 32));
        var result = executor.Finish();
        var json = Neuromorphic.Arch.Reports.ChipRunFiles.Summary(program, result, "chain", 1, 1e-3).ToJson();
        var c = StageCycles(spec, 32);
        Assert.That((string?)json["execution"], Is.EqualTo("pipelined"));
        Assert.That((double?)json["step_interval_cycles"], Is.EqualTo(c));
        Assert.That((double?)json["throughput_steps_per_s"], Is.EqualTo(1e9 / c).Within(1e-9).Percent);
        Assert.That((double?)json["latency_per_timestep_cycles"], Is.EqualTo(3 * c));
        Assert.That((double?)json["latency_cycles"], Is.EqualTo((3 + 5 - 1) * c));
    }

    [Test]
    public void Waveforms_need_a_barrier()
    {
        var program = NetworkMapper.Map(PopulationChain(16), new ChipModel(Spec(ExecutionMode.Pipelined, NeuronPlacement.Packed)), seed: 1);
        var executor = new ChipExecutor(program, 1e-3, seed: 1);
        Assert.That(() => executor.Probe = new NullProbe(), Throws.TypeOf<ChipExecutionException>().With.Message.Contain("execution: barrier"));
    }

    private sealed class NullProbe : IChipRunProbe
    {
        public void Describe(IReadOnlyList<string> macroNodes) { }
        public void StepStarted(int step, long cycle) { }
        public void MacroOperated(int macro, long start, long end, int reads, long conversions) { }
        public void StepEnded(int step, long cycle) { }
    }

    private static void AssertSameSpikes(SpikeRaster a, SpikeRaster b)
    {
        Assert.That((b.Timesteps, b.Channels), Is.EqualTo((a.Timesteps, a.Channels)));
        for (var t = 0; t < a.Timesteps; t++) Assert.That(b.Row(t).ToArray(), Is.EqualTo(a.Row(t).ToArray()), $"step {t}");
    }
}
