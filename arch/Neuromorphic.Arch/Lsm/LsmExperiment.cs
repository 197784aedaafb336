using System.Diagnostics;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Learning;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Lsm;

/// <summary>
/// The whole LSM experiment of the RRAM zero-shot LSM paper: draw the reservoir from the device's
/// stochastic programming, run every sample through it on the chip — the reservoir mapped by the one
/// mapper and run by the chip executor, neurons on the fixed-point neuron core, its golden model in
/// lock-step —
/// through the same reservoir in software (exact weights), and keep the raw binned input; train
/// the same ridge readout on each and test it; price the chip's ledger.
/// </summary>
public static class LsmExperiment
{
    /// <summary>Runs the experiment on encoded samples.</summary>
    /// <param name="architecture">The chip.</param>
    /// <param name="lsm">The reservoir.</param>
    /// <param name="readout">The readout.</param>
    /// <param name="samples">Encoded, labelled samples (all of one input width and length).</param>
    /// <param name="timestepSeconds">Duration of one timestep of the input (the bin width).</param>
    /// <param name="seed">Run seed.</param>
    /// <param name="progress">Called with the finished share.</param>
    /// <param name="probe">Observer of the chip's activity (waveforms), or null.</param>
    /// <param name="semantics">Discretisation of the software model's neurons (null: NIR's forward Euler).</param>
    /// <param name="threads">Threads of the chip executor (2: its function pass on a producer thread); the results do not depend on it.</param>
    public static LsmResult Run(ArchitectureSpec architecture, LsmParameters lsm, ReadoutParameters readout, IReadOnlyList<LsmSample> samples,
        double timestepSeconds, ulong seed, Action<double>? progress = null, ILsmChipProbe? probe = null, Discretisation? semantics = null, int threads = 1)
    {
        var watch = Stopwatch.StartNew();
        var (inputs, _) = Check(readout, samples);
        architecture = WithReadoutMemory(architecture, lsm, readout, samples);
        var chip = new ChipModel(architecture);
        var reservoir = LsmReservoir.Draw(lsm, inputs, chip.Device, seed);
        var onChip = OnChip(chip, reservoir, timestepSeconds, seed, golden: true, probe, threads);
        var software = new NetworkExecutor<double>(reservoir.SoftwareNetwork(timestepSeconds), timestepSeconds, semantics);
        return Assemble(architecture, lsm, readout, samples, timestepSeconds, seed, chip, reservoir, onChip, watch,
            s =>
            {
                onChip.Probe?.SampleStarted(s, samples[s].Input);
                return (onChip.Executor.RunSample(samples[s].Input)["output"], software.Run(samples[s].Input).Outputs["output"]);
            }, golden: null, progress);
    }

    /// <summary>
    /// Replays recorded activity through <paramref name="architecture"/>: the chip executor in its
    /// cost-only mode, the reservoir's recorded spikes standing in for its dynamics' output. The chip does
    /// the same work as in the run (macro reads for the recorded input and reservoir spikes, neuron
    /// updates, readout); the software reservoir's spikes and the golden agreement counts come from the recording.
    /// </summary>
    public static LsmResult Replay(ArchitectureSpec architecture, LsmParameters lsm, ReadoutParameters readout, IReadOnlyList<LsmSample> samples,
        IReadOnlyList<SpikeRaster> chipSpikes, IReadOnlyList<SpikeRaster> softwareSpikes, (long Agree, long ChipOnly, long GoldenOnly) golden,
        double timestepSeconds, ulong seed, Action<double>? progress = null, ILsmChipProbe? probe = null, int threads = 1)
    {
        var watch = Stopwatch.StartNew();
        Check(readout, samples);
        if (chipSpikes.Count != samples.Count || softwareSpikes.Count != samples.Count)
            throw new ArgumentException("one recorded reservoir raster and one software raster per sample are needed");
        architecture = WithReadoutMemory(architecture, lsm, readout, samples);
        var chip = new ChipModel(architecture);
        var reservoir = LsmReservoir.Draw(lsm, samples[0].Input.Channels, chip.Device, seed);
        var onChip = OnChip(chip, reservoir, timestepSeconds, seed, golden: false, probe, threads);
        return Assemble(architecture, lsm, readout, samples, timestepSeconds, seed, chip, reservoir, onChip, watch,
            s =>
            {
                if (chipSpikes[s].Timesteps != samples[s].Input.Timesteps || chipSpikes[s].Channels != lsm.Neurons)
                    throw new ArgumentException($"the recorded reservoir is {chipSpikes[s].Timesteps} x {chipSpikes[s].Channels}, expected {samples[s].Input.Timesteps} x {lsm.Neurons}");
                onChip.Probe?.SampleStarted(s, samples[s].Input);
                var recorded = new Dictionary<string, SpikeRaster> { ["reservoir"] = chipSpikes[s] };
                return (onChip.Executor.RunSample(samples[s].Input, recorded)["output"], softwareSpikes[s]);
            }, golden, progress);
    }

    /// <summary>
    /// <paramref name="architecture"/> with its accumulate cores' weight SRAM sized for the readout they hold: one weight of
    /// <see cref="AccumulateCoreParameters.WeightBits"/> per feature (each neuron's count in each feature bin) and class,
    /// unless the file fixes the size (<c>accumulate_core.weight_memory_bytes</c>), which must then hold them.
    /// </summary>
    /// <exception cref="Mapping.MappingException">The file's size is smaller than the readout's weights.</exception>
    public static ArchitectureSpec WithReadoutMemory(ArchitectureSpec architecture, LsmParameters lsm, ReadoutParameters readout, IReadOnlyList<LsmSample> samples)
    {
        ArgumentNullException.ThrowIfNull(architecture);
        var classes = samples.Max(s => s.Label) + 1;
        var needed = ReadoutWeightBytes(lsm.Neurons, readout.FeatureBins, classes);
        if (architecture.AccumulateWeightMemoryBytes is not { } given) return architecture with { AccumulateWeightMemoryBytes = needed };
        // A readout the SRAM cannot hold does not fit the chip, as a layer too large for its macros does not.
        if (given < needed)
            throw new Mapping.MappingException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the LSM readout needs {needed:N0} B of weights ({lsm.Neurons} neurons x {readout.FeatureBins} bins x {classes} classes x {new AccumulateCoreParameters().WeightBits} bits) in the accumulate core; accumulate_core.weight_memory_bytes gives {given:N0} B: raise it, or leave it out to size it for the readout"));
        return architecture;
    }

    /// <summary>Bytes of a readout of <paramref name="neurons"/> x <paramref name="bins"/> features by <paramref name="classes"/> classes at the core's weight width.</summary>
    public static long ReadoutWeightBytes(int neurons, int bins, int classes) =>
        ((long)neurons * bins * classes * new AccumulateCoreParameters().WeightBits + 7) / 8;

    /// <summary>The reservoir mapped by the one mapper and ready on the chip executor.</summary>
    private sealed record ChipRun(ChipProgram Program, ChipExecutor Executor, LsmProbeAdapter? Probe);

    private static ChipRun OnChip(ChipModel chip, LsmReservoir reservoir, double dt, ulong seed, bool golden, ILsmChipProbe? probe, int threads)
    {
        var (network, cells) = reservoir.ChipNetwork(dt);
        var program = NetworkMapper.Map(network, chip, seed, cells, threads);
        // With a probe (waveforms) the executor keeps to one thread: the probe reads the reservoir's outputs at kernel times.
        var executor = new ChipExecutor(program, dt, seed, golden, threads: threads);
        LsmProbeAdapter? adapter = null;
        if (probe is not null)
        {
            adapter = new LsmProbeAdapter(probe, executor, reservoir.Inputs, reservoir.Parameters.Neurons);
            executor.Probe = adapter;
        }
        return new ChipRun(program, executor, adapter);
    }

    private static (int Inputs, int Steps) Check(ReadoutParameters readout, IReadOnlyList<LsmSample> samples)
    {
        readout.Validate();
        if (samples.Count == 0) throw new ArgumentException("the workload has no samples");
        var inputs = samples[0].Input.Channels;
        var steps = samples[0].Input.Timesteps;
        if (samples.Any(s => s.Input.Channels != inputs || s.Input.Timesteps != steps))
            throw new ArgumentException("every sample must have the same number of channels and timesteps");
        return (inputs, steps);
    }

    private static LsmResult Assemble(ArchitectureSpec architecture, LsmParameters lsm, ReadoutParameters readout, IReadOnlyList<LsmSample> samples,
        double timestepSeconds, ulong seed, ChipModel chip, LsmReservoir reservoir, ChipRun onChip, Stopwatch watch,
        Func<int, (SpikeRaster Chip, SpikeRaster Software)> runSample, (long Agree, long ChipOnly, long GoldenOnly)? golden, Action<double>? progress)
    {
        var inputs = samples[0].Input.Channels;
        var steps = samples[0].Input.Timesteps;
        var classes = samples.Max(s => s.Label) + 1;
        var chipRasters = new SpikeRaster[samples.Count];
        var softwareRasters = new SpikeRaster[samples.Count];
        var chipFeatures = new double[samples.Count][];
        var softwareFeatures = new double[samples.Count][];
        var inputFeatures = new double[samples.Count][];
        long both = 0, either = 0, spikes = 0, softwareSpikes = 0, inputEvents = 0;
        var latencyByStep = new double[steps];
        var inputByStep = new double[steps];
        var reservoirByStep = new double[steps];
        var firedByStep = new int[samples.Count * steps];
        SpikeRaster? firstReservoir = null;
        for (var s = 0; s < samples.Count; s++)
        {
            var input = samples[s].Input;
            var (run, ideal) = runSample(s);
            firstReservoir ??= run;
            (chipRasters[s], softwareRasters[s]) = (run, ideal);
            chipFeatures[s] = Features.BinnedCounts(run, readout.FeatureBins);
            softwareFeatures[s] = Features.BinnedCounts(ideal, readout.FeatureBins);
            inputFeatures[s] = Features.BinnedCounts(input, readout.FeatureBins);
            for (var t = 0; t < steps; t++)
            {
                var chipRow = run.Row(t);
                var idealRow = ideal.Row(t);
                int active = 0, fired = 0;
                for (var i = 0; i < chipRow.Length; i++)
                {
                    var a = chipRow[i] != 0;
                    var b = idealRow[i] != 0;
                    if (a && b) both++;
                    if (a || b) either++;
                    if (a) fired++;
                    if (b) softwareSpikes++;
                }
                foreach (var x in input.Row(t)) if (x != 0) active++;
                spikes += fired;
                firedByStep[s * steps + t] = fired;
                inputEvents += active;
                inputByStep[t] += active / (double)inputs;
                reservoirByStep[t] += fired / (double)lsm.Neurons;
            }
            progress?.Invoke((s + 1) / (double)samples.Count * 0.9);
        }

        // The chip's timeline and its golden model's divergence, node by node.
        var chipRun = onChip.Executor.Finish();
        // An inference's timesteps last from its first step's start to its last step's end (pipelined, steps overlap:
        // their latencies add up to more); its readout follows (below).
        var stepCycles = chipRun.SampleCycles.Sum();
        for (var k = 0; k < chipRun.StepLatencyCycles.Length; k++) latencyByStep[k % steps] += chipRun.StepLatencyCycles[k];
        var layer = chipRun.Layers.Single(l => l.Node == "reservoir");
        var (agree, chipOnly, goldenOnly) = layer.SoftwareSpikes < 0 ? (0L, 0L, 0L)
            : (layer.BothSpiked, layer.ChipSpikes - layer.BothSpiked, layer.SoftwareSpikes - layer.BothSpiked);

        // The readout on the accumulate core: each spike increments its neuron's counter for the
        // current feature bin; at the end of an inference the non-zero counts are multiplied by
        // their weight rows (one weight per class), silent features skipped.
        var macs = chipFeatures.Select(f => (long)f.Count(x => x != 0) * classes).ToArray();
        long nonZeroFeatures = macs.Sum() / classes;
        var ledger = onChip.Executor.Ledger;
        // The executor's own accumulate-core actions (a digital layer's work, such as pooling or scaling; none in an LSM:
        // partial sums of row blocks are the neuron core's, digital_neuron.add) keep their occupancy under per_unit: taken before the readout's counts join the ledger.
        var executorAccumulateSeconds = UnitOccupancy.Of(chip)
            .SecondsPerInstance(ledger, chip.Costs, new Dictionary<string, long> { [AccumulateCore.Component] = 1 })
            .GetValueOrDefault(AccumulateCore.Component);
        ledger.Add(ledger.Register(AccumulateCore.Component, "readout", AccumulateCore.AccumulateAction), spikes);
        ledger.Add(ledger.Register(AccumulateCore.Component, "readout", AccumulateCore.MacAction), nonZeroFeatures * classes);
        ledger.Add(ledger.Register(AccumulateCore.Component, "readout", AccumulateCore.WeightReadAction), nonZeroFeatures * classes);

        // The class is known when the readout's multiply-accumulates are done: timed on the accumulate core after each
        // inference's last step (ReadoutTiming), added to the inference's latency and to the chip's busy time.
        var readoutTiming = ReadoutTiming.Of(chip, chipRun.StepEndCycles, firedByStep, macs, keepBatches: onChip.Probe is not null);
        var cycles = stepCycles + readoutTiming.TotalCyclesAfterSteps;
        var hardwareSeconds = cycles / architecture.BaseClockHz;
        var program = onChip.Program;
        var instances = chip.Instances(program, readout: true);
        // Under per_unit the accumulate core leaks while it works: its measured readout time, and the executor's own accumulate-core actions (a digital layer's; none in an LSM).
        var accumulateCores = instances.GetValueOrDefault(AccumulateCore.Component);
        var readoutWork = new WorkAfterSteps(stepCycles / architecture.BaseClockHz, accumulateCores <= 0 ? new Dictionary<string, double>()
            : new Dictionary<string, double>
            {
                [AccumulateCore.Component] = (readoutTiming.CoreBusyCycles / architecture.BaseClockHz + executorAccumulateSeconds) / accumulateCores,
            }, (stepCycles + readoutTiming.BackToBackCycles(chipRun.SampleCycles)) / architecture.BaseClockHz);
        // Leakage by the architecture's power policy: the real-time period is the samples' duration, the busy time the chip's.
        var power = PowerAccounting.Price(chip, ledger, instances, new PowerWindow(samples.Count * steps * timestepSeconds, hardwareSeconds), chipRun.Units,
            readoutWork);
        var account = power.Account;
        var area = power.AreaUm2;
        if (golden is { } recorded) (agree, chipOnly, goldenOnly) = recorded;

        var split = DatasetSplit.Make(samples, readout.TestFraction, readout.ValidationFraction, seed);
        var labels = samples.Select(s => s.Label).ToArray();
        var scores = new List<ReadoutScore>();
        var lambda = double.NaN;
        // The headline readout's class for every sample, for a probe (the waveform draws it where the readout ends).
        int[]? decided = null;
        foreach (var kind in readout.Readouts)
        {
            if (kind == ReadoutKind.Ridge)
            {
                var (chipModel, _) = Train(chipFeatures, labels, split, classes, readout);
                var (softwareModel, _) = Train(softwareFeatures, labels, split, classes, readout);
                var (inputModel, _) = Train(inputFeatures, labels, split, classes, readout);
                lambda = chipModel.Lambda;
                if (onChip.Probe is not null) decided ??= chipFeatures.Select(f => chipModel.Predict(f)).ToArray();
                scores.Add(new ReadoutScore(kind, readout.FeaturesOf(kind),
                    Accuracy(chipModel.Accuracy, chipFeatures, labels, split.Test),
                    Accuracy(chipModel.Accuracy, chipFeatures, labels, split.Train.Concat(split.Validation).ToArray()),
                    Accuracy(softwareModel.Accuracy, softwareFeatures, labels, split.Test),
                    Accuracy(inputModel.Accuracy, inputFeatures, labels, split.Test),
                    $"lambda {Reports.Quantity.Setting(chipModel.Lambda)}"));
            }
            else
            {
                var chipRates = chipRasters.Select(Features.Rates).ToArray();
                var softwareRates = softwareRasters.Select(Features.Rates).ToArray();
                var inputRates = samples.Select(x => Features.Rates(x.Input)).ToArray();
                var trainAll = split.Train.Concat(split.Validation).Order().ToArray();
                // Each fit draws its initial weights and sample order from the same stream: the three
                // readouts differ only by their features.
                SoftmaxClassifier Fit(double[][] f) => SoftmaxClassifier.Fit(trainAll.Select(i => f[i]).ToArray(), trainAll.Select(i => labels[i]).ToArray(),
                    classes, readout.Softmax, DeterministicRandom.ForComponent(seed, "readout.softmax"));
                var chipModel = Fit(chipRates);
                if (onChip.Probe is not null) decided ??= chipRates.Select(f => chipModel.Predict(f)).ToArray();
                scores.Add(new ReadoutScore(kind, readout.FeaturesOf(kind),
                    Accuracy(chipModel.Accuracy, chipRates, labels, split.Test),
                    Accuracy(chipModel.Accuracy, chipRates, labels, trainAll),
                    Accuracy(Fit(softwareRates).Accuracy, softwareRates, labels, split.Test),
                    Accuracy(Fit(inputRates).Accuracy, inputRates, labels, split.Test),
                    $"{chipModel.Steps} Adam steps, lr {Reports.Quantity.Setting(readout.Softmax.LearningRate)}, batch {readout.Softmax.BatchSize}", chipModel.Steps));
            }
            progress?.Invoke(0.9 + 0.1 * scores.Count / readout.Readouts.Count);
        }
        var headline = scores[0];
        if (decided is not null) onChip.Probe!.Classified(readoutTiming, decided);
        var activity = spikes / ((double)samples.Count * steps * lsm.Neurons);
        var warnings = new List<string>();
        if (ReservoirActivity.Warning(activity) is { } warning) warnings.Add(warning);
        // A chip result that failed: the reservoir silent on the chip while the software's fired, the headline accuracy at chance.
        if (Runs.FailedChipResult.SilentLayers([(layer.Node, layer.ChipSpikes, layer.SoftwareSpikes)]) is { } silent) warnings.Add(silent);
        if (Runs.FailedChipResult.AtChance(headline.Accuracy, classes) is { } chance) warnings.Add(chance);

        var programmingPj = reservoir.Stats.Pulses * chip.Costs.Get(MacroCosts.ArrayComponent, MacroCosts.ProgramPulseAction).EnergyPj;
        long fanOutEvents = SynapticEvents(reservoir, samples, chipFeatures, readout.FeatureBins);
        var n = samples.Count;
        return new LsmResult
        {
            Accuracy = headline.Accuracy,
            TrainAccuracy = headline.TrainAccuracy,
            SoftwareAccuracy = headline.SoftwareAccuracy,
            BaselineAccuracy = headline.BaselineAccuracy,
            Lambda = lambda,
            Readouts = scores,
            ReservoirActivity = activity,
            SoftwareReservoirActivity = softwareSpikes / ((double)samples.Count * steps * lsm.Neurons),
            Warnings = warnings,
            Samples = n,
            TrainSamples = split.Train.Length,
            ValidationSamples = split.Validation.Length,
            TestSamples = split.Test.Length,
            Classes = classes,
            Timesteps = steps,
            GoldenSpikeAgreement = agree + chipOnly + goldenOnly == 0 ? 1 : agree / (double)(agree + chipOnly + goldenOnly),
            FreeRunningSpikeAgreement = either == 0 ? 1 : both / (double)either,
            EnergyJ = account.TotalPj * 1e-12,
            EnergyPerInferenceJ = account.TotalPj * 1e-12 / n,
            LatencyPerInferenceCycles = cycles / (double)n,
            ReadoutLatencyCycles = readoutTiming.TotalCyclesAfterSteps / (double)n,
            Readout = readoutTiming,
            LatencyPerTimestepCycles = chipRun.LatencyPerTimestepCycles,
            Execution = chipRun.Execution,
            StepIntervalCycles = chipRun.StepIntervalCycles,
            LatencyByTimestepCycles = latencyByStep.Select(c => c / n).ToArray(),
            BaseClockHz = architecture.BaseClockHz,
            TimestepSeconds = timestepSeconds,
            InputSparsity = 1 - inputEvents / ((double)n * steps * inputs),
            ReservoirSparsity = 1 - spikes / ((double)n * steps * lsm.Neurons),
            InputActivityByTimestep = inputByStep.Select(a => a / n).ToArray(),
            ReservoirActivityByTimestep = reservoirByStep.Select(a => a / n).ToArray(),
            Spikes = spikes,
            InputEvents = inputEvents,
            SynapticEvents = fanOutEvents,
            Macros = onChip.Program.MacrosUsed,
            ChipAreaUm2 = area,
            Tiles = onChip.Program.TilesUsed,
            Neurons = lsm.Neurons,
            Inputs = inputs,
            ProgrammingEnergyJ = programmingPj * 1e-12,
            NetworkHash = reservoir.Hash(),
            Network = reservoir.SoftwareNetwork(timestepSeconds),
            ChipSpikes = chipRasters,
            SoftwareSpikes = softwareRasters,
            GoldenCounts = (agree, chipOnly, goldenOnly),
            FirstInput = samples[0].Input,
            FirstReservoir = firstReservoir,
            Account = account,
            Power = power,
            Costs = chip.Costs,
            WallSeconds = watch.Elapsed.TotalSeconds,
            Program = onChip.Program,
            ChipRun = chipRun,
        };
    }

    private static (RidgeClassifier Model, double ValidationAccuracy) Train(double[][] features, int[] labels, DatasetSplit split, int classes, ReadoutParameters readout) =>
        RidgeClassifier.FitWithValidation(
            split.Train.Select(i => features[i]).ToArray(), split.Train.Select(i => labels[i]).ToArray(),
            split.Validation.Select(i => features[i]).ToArray(), split.Validation.Select(i => labels[i]).ToArray(),
            classes, readout.Lambdas);

    private static double Accuracy(Func<double[][], int[], double> accuracy, double[][] features, int[] labels, int[] indices) =>
        accuracy(indices.Select(i => features[i]).ToArray(), indices.Select(i => labels[i]).ToArray());

    /// <summary>Input events and spikes times the number of synapses each drives (non-G_min cells).</summary>
    private static long SynapticEvents(LsmReservoir reservoir, IReadOnlyList<LsmSample> samples, double[][] chipFeatures, int bins)
    {
        var p = reservoir.Parameters;
        int n = p.Neurons, inputs = reservoir.Inputs;
        var gmin = reservoir.Device.GMin;
        var inputFanOut = new long[inputs];
        for (var post = 0; post < n; post++)
            for (var j = 0; j < inputs; j++)
                if (reservoir.InputPositive[post * inputs + j] > gmin || reservoir.InputNegative[post * inputs + j] > gmin) inputFanOut[j]++;
        var neuronFanOut = new long[n];
        // A synapse exists where either of its lines has a programmed cell (a differential pair has two).
        var synapse = new bool[n * n];
        foreach (var line in new[] { reservoir.RecurrentPositive, reservoir.RecurrentNegative })
            for (var post = 0; post < n; post++)
                for (var k = 0; k < line.Sources; k++)
                    if (line.Conductances[post * line.Sources + k] > gmin) synapse[post * n + line.FirstSource + k] = true;
        for (var i = 0; i < synapse.Length; i++)
            if (synapse[i]) neuronFanOut[i % n]++;
        long events = 0;
        for (var s = 0; s < samples.Count; s++)
        {
            var input = samples[s].Input;
            for (var t = 0; t < input.Timesteps; t++)
            {
                var row = input.Row(t);
                for (var j = 0; j < row.Length; j++) if (row[j] != 0) events += inputFanOut[j];
            }
            for (var i = 0; i < n; i++)
            {
                double count = 0;
                for (var b = 0; b < bins; b++) count += chipFeatures[s][i * bins + b];
                events += (long)count * neuronFanOut[i];
            }
        }
        return events;
    }
}
