using System.Diagnostics;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Benchmarks;

/// <summary>
/// The CUBA benchmark on the chip path: the network (<see cref="CubaChipNetwork"/>) is compiled by
/// the one mapper (its synapses as sparse projections on macros, only the blocks holding synapses;
/// the neurons on the neuron cores) and run by the <see cref="ChipExecutor"/>: spikes travel over
/// the mesh to the macros holding their rows, row groups are read, partial sums return to the
/// neuron cores, which add the synaptic events and integrate the neurons. The chip is sized to the
/// network: if the architecture's tiles hold too few macros or neurons, tiles are added (and the
/// mesh grown), as the report says.
/// </summary>
public static class CubaOnChip
{
    /// <summary>
    /// The neuron placement <c>bench cuba --hardware</c> uses unless told otherwise: near_synapses (measured
    /// against packed in docs/performance.md).
    /// </summary>
    public const string DefaultPlacement = "near_synapses";

    /// <summary>Maps, programs and runs the benchmark.</summary>
    /// <param name="spec">The architecture.</param>
    /// <param name="parameters">The network.</param>
    /// <param name="durationSeconds">Simulated time.</param>
    /// <param name="seed">Seed of the network, the initial state and the programming.</param>
    /// <param name="fixedPoint">
    /// Run the neuron cores in the architecture's fixed-point format; by default they are ideal
    /// (IEEE single precision, the functional run's arithmetic), so the synapses' hardware is what the
    /// run studies and the spikes equal the functional run's on an ideal device.
    /// </param>
    /// <param name="threads">
    /// Threads of the chip executor: 1, or 2 and more (the function pass on a producer thread ahead of the
    /// timing, <see cref="ChipExecutor"/>); the figures other than host times are identical.
    /// </param>
    public static CubaHardwareReport Run(ArchitectureSpec spec, CubaParameters parameters, double durationSeconds, ulong seed, bool fixedPoint = false,
        int threads = 1)
    {
        var setup = Stopwatch.StartNew();
        var (cuba, sized, chip, program, dt, executor, spikes) = Prepare(spec, parameters, seed, fixedPoint, threads);
        setup.Stop();

        var steps = checked((int)Math.Round(durationSeconds * 1000 / parameters.Dt));
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var loop = Stopwatch.StartNew();
        executor.RunSample(new SpikeRaster(steps, 0));
        loop.Stop();
        process.Refresh();
        var loopCpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        var result = executor.Finish();
        var links = result.Units.Where(u => u.Kind == "noc_link").ToList();
        var hops = links.Sum(l => l.Arrivals);

        var simulated = steps * dt;
        var latencies = result.StepLatencyCycles;
        var macros = program.Nodes.SelectMany(n => n.Matrices).SelectMany(m => m.Matrix.Tiles).ToList();
        // Leakage by the architecture's power policy: the real-time period is the simulated model time, the busy time the chip's.
        var (_, power) = ChipRunPower.Price(program, executor, result, dt);
        var account = power.Account;
        var stats = macros.Select(t => t.Array.Stats).Aggregate(ProgrammingStats.Empty, (a, b) => a + b);
        var programmingPj = stats.Pulses * chip.Costs.Get(MacroCosts.ArrayComponent, MacroCosts.ProgramPulseAction).EnergyPj
            + stats.VerifyReads * chip.Costs.Get(MacroCosts.ArrayComponent, MacroCosts.VerifyReadAction).EnergyPj;
        var ns = 1e9 / sized.BaseClockHz;
        var events = SynapticEvents(cuba, spikes.PerNeuron);
        var layer = result.Layers.Single(l => l.Node == CubaChipNetwork.Neurons);
        var functional = new CubaReport(parameters.Neurons, cuba.Synapses, layer.ChipSpikes, layer.ChipSpikes / (parameters.Neurons * simulated),
            loop.Elapsed.TotalSeconds, setup.Elapsed.TotalSeconds, simulated, loop.Elapsed.TotalSeconds / simulated, events,
            events / loop.Elapsed.TotalSeconds, 0, seed, []);
        var utilisation = macros.Count == 0 ? 0 : program.Nodes.SelectMany(n => n.Matrices).Sum(m => m.Matrix.Utilisation * m.Matrix.Tiles.Count) / macros.Count;
        var operations = executor.Ledger.Entries().Where(e => e.Key.Unit == MacroCosts.MacroComponent && e.Key.Action == MacroCosts.OperationAction).Sum(e => e.Count);
        return new CubaHardwareReport(functional, sized.Name, program.MacrosUsed, program.TilesUsed, utilisation, setup.Elapsed.TotalSeconds,
            operations, result.TotalCycles, latencies.Average() * ns, latencies.Max() * ns,
            latencies.Average() * ns * 1e-9 / dt, account.TotalPj * 1e-12, account.DynamicPj * 1e-12,
            events == 0 ? 0 : account.TotalPj / events, programmingPj * 1e-12, stats.Pulses, stats.VerifyReads, account, chip.Costs)
        {
            Power = power,
            SynapticPathEnergyPerEventPj = events == 0 ? 0 : SynapticPath.DynamicPj(account) / events,
            SpikeTrainHash = spikes.Value,
            LoopCpuSeconds = loopCpu,
            Threads = executor.Threads,
            FunctionPassSeconds = executor.FunctionPassSeconds,
            TimingWaitSeconds = executor.TimingWaitSeconds,
            ProducerTimedSteps = executor.StepsTimedByProducer,
            ProducerTurnedDownSteps = executor.StepsTurnedDown,
            ProducerTimingSeconds = executor.ProducerTimingSeconds,
            KernelEventsPerStep = steps == 0 ? 0 : (double)executor.KernelEvents / steps,
            NocPacketsPerStep = steps == 0 ? 0 : (double)executor.NocPackets / steps,
            NocHopsPerStep = steps == 0 ? 0 : (double)hops / steps,
            NocQueuedShare = hops == 0 ? 0 : (double)links.Sum(l => l.QueuedArrivals) / hops,
            NeuronPlacement = ArchitectureChoices.NeuronPlacement.Name(sized.Chip.NeuronPlacement),
            NeuronCores = program.Nodes.SelectMany(n => n.Slices).Select(s => s.Tile).Distinct().Count(),
            NeuronCore = fixedPoint ? $"fixed point {sized.NeuronCore.MembraneBits} bits ({sized.NeuronCore.FractionBits} fractional)" : "ideal (IEEE single precision)",
            Saturations = result.Saturations,
            Execution = result.Execution,
            StepIntervalCycles = result.StepIntervalCycles,
            MeanStepLatencyCycles = result.LatencyPerTimestepCycles,
        };
    }

    /// <summary>Neurons of the network <see cref="WarmUp"/> runs (at most).</summary>
    internal const int WarmUpNeurons = 1000;

    /// <summary>Steps <see cref="WarmUp"/> runs: enough for two threads (<see cref="ChipExecutor.MinimumStepsOnTwoThreads"/>) and a full ring of records.</summary>
    internal const int WarmUpSteps = 2 * ChipExecutor.DefaultLookahead;

    /// <summary>
    /// Compiles the chip loop's code before <see cref="Run"/> times it, as <see cref="CubaBenchmark.Run"/> does for the
    /// functional loop the bench compares it with. Tiered compilation is off, so every method is compiled fully optimised on
    /// its first call; without this, that compilation falls in the chip's timed loop (about 0.07 s of CUBA-4000's at one
    /// thread, measured) while the functional loop is timed warm. Runs a small CUBA (at most <see cref="WarmUpNeurons"/>
    /// neurons) on the same architecture, neuron core and threads for <see cref="WarmUpSteps"/> steps, on an executor of its
    /// own: no result of a later run depends on it (nothing is shared: every run builds its own state from its seed).
    /// </summary>
    /// <param name="spec">The architecture <see cref="Run"/> will use.</param>
    /// <param name="parameters">The network <see cref="Run"/> will run (the warm-up takes its settings, with fewer neurons).</param>
    /// <param name="seed">A seed.</param>
    /// <param name="fixedPoint">As <see cref="Run"/>'s.</param>
    /// <param name="threads">As <see cref="Run"/>'s.</param>
    public static void WarmUp(ArchitectureSpec spec, CubaParameters parameters, ulong seed, bool fixedPoint = false, int threads = 1)
    {
        var tiny = parameters with { Neurons = Math.Min(parameters.Neurons, WarmUpNeurons) };
        var executor = Prepare(spec, tiny, seed, fixedPoint, threads).Executor;
        executor.RunSample(new SpikeRaster(WarmUpSteps, 0));
        executor.Finish();
    }

    /// <summary>
    /// The network built and mapped onto the chip sized for it, and an executor whose spikes go into a hash (on the
    /// function pass's thread, in step order): what <see cref="Run"/> times and <see cref="WarmUp"/> compiles.
    /// </summary>
    private static (CubaNetwork Cuba, ArchitectureSpec Sized, ChipModel Chip, ChipProgram Program, double Dt, ChipExecutor Executor, SpikeTrainHash Spikes)
        Prepare(ArchitectureSpec spec, CubaParameters parameters, ulong seed, bool fixedPoint, int threads)
    {
        var cuba = CubaNetwork.Build(parameters, seed);
        var network = CubaChipNetwork.Build(cuba, new CubaSimulation(cuba, seed));
        var sized = SizeChip(spec, network);
        var chip = new ChipModel(sized);
        var program = NetworkMapper.Map(network, chip, seed, threads: threads);
        var dt = parameters.Dt * 1e-3;
        var executor = new ChipExecutor(program, dt, seed, golden: false, idealNeuronCore: !fixedPoint, threads: threads);
        var spikes = new SpikeTrainHash(parameters.Neurons);
        // Called on the function pass's thread, in step order; the hash is read once the run has returned.
        executor.SpikesOf = (_, step, fired) => spikes.Add(step, fired);
        return (cuba, sized, chip, program, dt, executor, spikes);
    }

    /// <summary>
    /// The functional run's spike train, hashed as <see cref="Run"/> hashes the chip's: equal hashes
    /// mean the same neurons fired at the same steps (with overwhelming probability).
    /// </summary>
    public static ulong FunctionalSpikeTrainHash(CubaParameters parameters, double durationSeconds, ulong seed)
    {
        var cuba = CubaNetwork.Build(parameters, seed);
        var simulation = new CubaSimulation(cuba, seed);
        var spikes = new SpikeTrainHash(parameters.Neurons);
        simulation.Run(checked((int)Math.Round(durationSeconds * 1000 / parameters.Dt)), 1, (step, fired) => spikes.Add(step, fired));
        return spikes.Value;
    }

    private static long SynapticEvents(CubaNetwork network, long[] counts)
    {
        // Each spike reaches its out-degree of synapses.
        long events = 0;
        for (var neuron = 0; neuron < counts.Length; neuron++) events += counts[neuron] * network.OutDegree(neuron);
        return events;
    }

    /// <summary>The architecture, with tiles added (and the mesh grown) until the network's macros and neurons fit.</summary>
    private static ArchitectureSpec SizeChip(ArchitectureSpec spec, Sim.Networks.Network network)
    {
        var chip = new ChipModel(spec);
        var macros = network.Nodes.Sum(n => NetworkMapper.MacrosOf(n, chip));
        var neurons = network.NeuronCount;
        var tiles = Math.Max(spec.Chip.Tiles, Math.Max((macros + spec.Chip.MacrosPerTile - 1) / spec.Chip.MacrosPerTile,
            (int)((neurons + spec.Chip.NeuronsPerCore - 1) / spec.Chip.NeuronsPerCore)));
        var sized = spec;
        if (tiles != spec.Chip.Tiles)
        {
            var width = (int)Math.Ceiling(Math.Sqrt(tiles));
            var height = (tiles + width - 1) / width;
            sized = spec with
            {
                Chip = spec.Chip with { Tiles = width * height },
                Noc = spec.Noc with { Width = width, Height = height },
                Description = spec.Description + $" (sized to {width * height} tiles for the network)",
            };
        }
        return SizeRowTables(sized, network);
    }

    /// <summary>Compacted word lines: the architecture with each tile's row-address table raised, if need be, to what its fullest tile needs.</summary>
    private static ArchitectureSpec SizeRowTables(ArchitectureSpec spec, Sim.Networks.Network network)
    {
        if (spec.Mapping.WordLines != WordLineMapping.Compacted) return spec;
        var need = NetworkMapper.RowTableEntriesPerTile(network, new ChipModel(spec)).Max();
        if (need <= spec.Mapping.RowTableEntries) return spec;
        return spec with
        {
            Mapping = spec.Mapping with { RowTableEntries = need },
            Description = spec.Description + $" (row-address tables sized to {need} entries)",
        };
    }

    /// <summary>
    /// An order-sensitive 64-bit hash of a spike train and each neuron's spike count: per spike, its step and neuron as one
    /// 64-bit word, xored into the hash, which is then multiplied by FNV's 64-bit prime and folded (its high half xored into
    /// its low half: a product alone mixes its bits only upward). The prime is odd and the fold invertible, so each spike's
    /// update is a bijection of the hash: two trains that differ in one spike's step or neuron hash differently, and other
    /// differences rarely collide.
    /// One multiplication a spike: the chip's function pass hashes its spikes inside the timed loop (FNV-1a byte by byte
    /// took eight dependent multiplications a spike, about 2 % of that pass on CUBA-4000). Spikes of a step may come in
    /// several ascending pieces.
    /// </summary>
    internal sealed class SpikeTrainHash(int neurons)
    {
        private const ulong Prime = 1099511628211UL;
        private readonly long[] _counts = new long[neurons];
        public ulong Value { get; private set; } = 14695981039346656037UL;
        public long[] PerNeuron => _counts;

        public void Add(int step, ReadOnlySpan<int> fired)
        {
            // The hash in a local for the loop (called on every step of the chip's function pass).
            var (value, counts, high) = (Value, _counts, (ulong)(uint)step << 32);
            foreach (var neuron in fired)
            {
                value = (value ^ (high | (uint)neuron)) * Prime;
                // A product carries its bits upward only: the fold brings the high half (the step's) back down.
                value ^= value >> 32;
                counts[neuron]++;
            }
            Value = value;
        }
    }
}
