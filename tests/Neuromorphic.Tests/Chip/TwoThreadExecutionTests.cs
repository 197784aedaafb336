using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Benchmarks;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using Neuromorphic.Traces.Events.Formats;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// The chip executor on two threads (the function pass on a producer ahead of the timing) gives the
/// same run as on one, file for file; and a failure on the producer reaches the caller.
/// </summary>
public class TwoThreadExecutionTests
{
    /// <summary>Everything a run leaves: its run directory's files, the outputs of every sample, the spikes as SpikesOf saw them, the ledger.</summary>
    private sealed record RunTrace(Dictionary<string, byte[]> Files, List<float[]> Outputs, List<string> Spikes, List<string> Ledger);

    private static RunTrace Run(ChipProgram program, double dt, IReadOnlyList<SpikeRaster> samples, int threads, bool golden = true, int lookahead = ChipExecutor.DefaultLookahead,
        IReadOnlyList<IReadOnlyDictionary<string, SpikeRaster>?>? recorded = null)
    {
        // Every sample on two threads, however short; the producer parked between samples however slow the machine.
        var executor = new ChipExecutor(program, dt, seed: 1, golden, threads: threads, lookahead: lookahead)
        {
            MinimumStepsOnTwoThreads = 0,
            ProducerIdleTimeout = TimeSpan.FromMinutes(1),
        };
        Assert.That(executor.Threads, Is.EqualTo(Math.Min(threads, 2)));
        var spikes = new List<string>();
        var observers = new HashSet<int>();
        executor.SpikesOf = (node, step, fired) =>
        {
            observers.Add(Environment.CurrentManagedThreadId);
            spikes.Add($"{node} {step}: {string.Join(' ', fired.ToArray())}");
        };
        var outputs = new List<float[]>();
        for (var s = 0; s < samples.Count; s++)
        {
            var result = executor.RunSample(samples[s], recorded?[s]);
            foreach (var name in result.Keys.Order(StringComparer.Ordinal)) outputs.Add(result[name].Data.ToArray());
            foreach (var name in executor.LastSoftwareOutputs.Keys.Order(StringComparer.Ordinal)) outputs.Add(executor.LastSoftwareOutputs[name].Data.ToArray());
        }
        // The function pass really ran on a producer with two threads (and on the caller's thread with one): a run that
        // fell back to one thread would pass every comparison below.
        if (spikes.Count > 0)
            Assert.That(observers, threads > 1 ? Does.Not.Contain(Environment.CurrentManagedThreadId) : Is.EquivalentTo(new[] { Environment.CurrentManagedThreadId }));
        // One producer thread served every sample (parked between them), none with one thread.
        Assert.That(executor.ProducerThreadsStarted, Is.EqualTo(threads > 1 ? 1 : 0));
        if (spikes.Count > 0 && threads > 1) Assert.That(observers, Has.Count.EqualTo(1));
        var ledger = ChipRunSnapshot.Ledger(executor.Ledger);
        var run = executor.Finish();
        var files = ChipRunSnapshot.Files(program, run, dt);
        return new RunTrace(files, outputs, spikes, ledger);
    }

    private static void AssertSame(RunTrace one, RunTrace two)
    {
        ChipRunSnapshot.AssertSameFiles(one.Files, two.Files);
        Assert.That(two.Outputs, Is.EqualTo(one.Outputs));
        Assert.That(two.Spikes, Is.EqualTo(one.Spikes));
        Assert.That(two.Ledger, Is.EqualTo(one.Ledger));
    }

    private static ChipProgram Map(Sim.Networks.Network network, ArchitectureSpec spec, ExecutionMode mode) =>
        NetworkMapper.Map(network, new ChipModel(spec with { Chip = spec.Chip with { Execution = mode } }), seed: 1);

    [TestCase(ExecutionMode.Barrier, true)]
    [TestCase(ExecutionMode.Barrier, false)]
    [TestCase(ExecutionMode.Pipelined, false)]
    public void The_braille_srnn_runs_the_same_on_two_threads(ExecutionMode mode, bool ideal)
    {
        // Recurrent, with the preset's read noise (drawn by the producer in step order) and the golden model; three samples in one executor.
        var network = NirReader.Read(FixturePaths.Nir("braille_noDelay_bias_zero.nir"));
        var input = SpikeRaster.Load(ChipTestData.BrailleInput);
        var program = Map(network, ideal ? ChipTestData.Ideal() : ArchitectureLoader.Load("rram-40nm-256kb"), mode);
        var samples = new[] { input, input, input };
        var one = Run(program, 1e-4, samples, threads: 1);
        Assert.That(one.Spikes, Is.Not.Empty);
        AssertSame(one, Run(program, 1e-4, samples, threads: 2));
        // The smallest ring: the producer waits for room every few steps.
        AssertSame(one, Run(program, 1e-4, samples, threads: 2, lookahead: 1));
    }

    [TestCase(ExecutionMode.Barrier)]
    [TestCase(ExecutionMode.Pipelined)]
    public void The_sinabs_cnn_runs_the_same_on_two_threads(ExecutionMode mode)
    {
        var network = NirReader.Read(FixturePaths.Nir("cnn_sinabs.nir"));
        var events = EventFile.Read(ChipTestData.Nmnist);
        var input = EventBinning.ToRaster(events, new BinningOptions { BinUs = 1000, CropWidth = 34, CropHeight = 34 });
        input = new SpikeRaster(40, input.Channels, input.Data[..(40 * input.Channels)]);
        var program = Map(network, ArchitectureLoader.Load("rram-40nm-256kb"), mode);
        AssertSame(Run(program, 1e-3, [input], threads: 1, golden: false), Run(program, 1e-3, [input], threads: 2, golden: false));
    }

    [Test]
    public void Replay_of_recorded_activity_runs_the_same_on_two_threads()
    {
        var network = NirReader.Read(FixturePaths.Nir("braille_noDelay_bias_zero.nir"));
        var input = SpikeRaster.Load(ChipTestData.BrailleInput);
        var program = Map(network, ArchitectureLoader.Load("rram-40nm-256kb"), ExecutionMode.Barrier);
        // The activity recorded by a first run drives the replay.
        var recorder = new ChipExecutor(program, 1e-4, seed: 1, golden: false);
        var neurons = program.Nodes.Single(n => n.Name == "lif1.lif").Slices.Sum(s => s.Count);
        var activity = new SpikeRaster(input.Timesteps, neurons);
        recorder.SpikesOf = (node, step, fired) =>
        {
            if (node == "lif1.lif") foreach (var k in fired) activity.MutableRow(step)[k] = 1;
        };
        recorder.RunSample(input);
        Assert.That(activity.CountNonZero(), Is.GreaterThan(0));
        var recorded = new IReadOnlyDictionary<string, SpikeRaster>?[] { new Dictionary<string, SpikeRaster> { ["lif1.lif"] = activity } };
        AssertSame(Run(program, 1e-4, [input], threads: 1, golden: false, recorded: recorded),
            Run(program, 1e-4, [input], threads: 2, golden: false, recorded: recorded));
    }

    [TestCase(false, ExecutionMode.Barrier)]
    [TestCase(true, ExecutionMode.Barrier)]
    [TestCase(false, ExecutionMode.Pipelined)]
    public void Cuba_on_the_chip_gives_the_same_report_on_two_threads(bool fixedPoint, ExecutionMode mode)
    {
        var parameters = new CubaParameters { Neurons = 1000 };
        var preset = ArchitectureLoader.Load("rram-40nm-256kb");
        var spec = preset with { Chip = preset.Chip with { Execution = mode } };
        var one = CubaOnChip.Run(spec, parameters, 0.06, 3, fixedPoint, threads: 1);
        var two = CubaOnChip.Run(spec, parameters, 0.06, 3, fixedPoint, threads: 2);
        Assert.That((one.Threads, two.Threads), Is.EqualTo((1, 2)));
        Assert.That(one.Functional.Spikes, Is.GreaterThan(0));
        Assert.That(two.SpikeTrainHash, Is.EqualTo(one.SpikeTrainHash));
        Assert.That(two.Functional.Spikes, Is.EqualTo(one.Functional.Spikes));
        Assert.That(two.EnergyJ, Is.EqualTo(one.EnergyJ));
        Assert.That(two.LatencyCycles, Is.EqualTo(one.LatencyCycles));
        Assert.That(two.MacroOperations, Is.EqualTo(one.MacroOperations));
        Assert.That(two.KernelEventsPerStep, Is.EqualTo(one.KernelEventsPerStep));
        Assert.That(two.Saturations, Is.EqualTo(one.Saturations));
        Assert.That(two.Account.Lines.Select(l => (l.Layer, l.Component, l.Action, l.Count, l.DynamicPj, l.LeakagePj)),
            Is.EqualTo(one.Account.Lines.Select(l => (l.Layer, l.Component, l.Action, l.Count, l.DynamicPj, l.LeakagePj))));
        Assert.That(two.FunctionPassSeconds, Is.GreaterThan(0));
        Assert.That(one.TimingWaitSeconds, Is.Zero);
    }

    [Test]
    public void A_sample_shorter_than_the_minimum_stays_on_the_callers_thread_and_a_longer_one_goes_to_the_producer()
    {
        var network = NirReader.Read(FixturePaths.Nir("braille_noDelay_bias_zero.nir"));
        var input = SpikeRaster.Load(ChipTestData.BrailleInput);
        var executor = new ChipExecutor(Map(network, ChipTestData.Ideal(), ExecutionMode.Barrier), 1e-4, seed: 1, threads: 2);
        var minimum = ChipExecutor.DefaultMinimumStepsOnTwoThreads;
        Assert.That(executor.MinimumStepsOnTwoThreads, Is.EqualTo(minimum));
        Assert.That(input.Timesteps, Is.GreaterThanOrEqualTo(minimum));
        var observers = new HashSet<int>();
        executor.SpikesOf = (_, _, _) => observers.Add(Environment.CurrentManagedThreadId);
        SpikeRaster First(int steps) => new(steps, input.Channels, input.Data[..(steps * input.Channels)]);

        executor.RunSample(First(minimum - 1));
        Assert.That(observers, Is.EquivalentTo(new[] { Environment.CurrentManagedThreadId }));
        Assert.That(executor.ProducerThreadsStarted, Is.Zero);

        observers.Clear();
        executor.RunSample(First(minimum));
        Assert.That(observers, Is.Not.Empty.And.Not.Contain(Environment.CurrentManagedThreadId));
        Assert.That(executor.ProducerThreadsStarted, Is.EqualTo(1));
    }

    [TestCase(ExecutionMode.Barrier)]
    [TestCase(ExecutionMode.Pipelined)]
    public void A_failure_in_the_function_pass_reaches_the_caller_on_two_threads(ExecutionMode mode)
    {
        var network = NirReader.Read(FixturePaths.Nir("braille_noDelay_bias_zero.nir"));
        var input = SpikeRaster.Load(ChipTestData.BrailleInput);
        var program = Map(network, ChipTestData.Ideal(), mode);
        var executor = new ChipExecutor(program, 1e-4, seed: 1, threads: 2, lookahead: 4) { MinimumStepsOnTwoThreads = 0 };
        // The observer of the spikes fails mid-sample, on the producer's thread.
        executor.SpikesOf = (_, step, _) =>
        {
            if (step == 37) throw new InvalidDataException("observer failed at step 37");
        };
        var run = Task.Run(() => executor.RunSample(input));
        var returned = Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))).GetAwaiter().GetResult() == run;
        Assert.That(returned, "RunSample must return, not hang");
        Assert.That(run.IsFaulted);
        var error = run.Exception!.InnerException;
        Assert.That(error, Is.TypeOf<InvalidDataException>());
        Assert.That(error!.Message, Is.EqualTo("observer failed at step 37"));
        // The failed sample's steps are left half done (in the ring, on the kernel's agenda): the executor refuses to go
        // on rather than time them into the next sample or price them.
        Assert.That(() => executor.RunSample(input), Throws.InvalidOperationException.With.Message.Contain("failed part-way"));
        Assert.That(() => executor.Finish(), Throws.InvalidOperationException.With.Message.Contain("failed part-way"));
    }

    [Test]
    public void A_bad_recording_is_refused_before_the_run_on_two_threads()
    {
        var network = NirReader.Read(FixturePaths.Nir("braille_noDelay_bias_zero.nir"));
        var input = SpikeRaster.Load(ChipTestData.BrailleInput);
        var executor = new ChipExecutor(Map(network, ChipTestData.Ideal(), ExecutionMode.Barrier), 1e-4, seed: 1, threads: 2) { MinimumStepsOnTwoThreads = 0 };
        var recorded = new Dictionary<string, SpikeRaster> { ["lif1.lif"] = new SpikeRaster(input.Timesteps, 3) };
        Assert.That(() => executor.RunSample(input, recorded), Throws.TypeOf<ChipExecutionException>().With.Message.Contain("lif1.lif"));
        // Refused before any step ran: the executor is still good.
        Assert.That(() => executor.RunSample(input), Throws.Nothing);
    }
}
