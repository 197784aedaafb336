using System.Text.Json.Serialization;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Sim.Benchmarks;

namespace Neuromorphic.Arch.Benchmarks;

/// <summary>The CUBA network run on an architecture: functional figures, then cycles and energy.</summary>
/// <param name="Functional">The network's own figures (spikes, rate, loop time).</param>
/// <param name="Architecture">The architecture's name (its <c>name</c> key), as every run's summary gives it.</param>
/// <param name="Macros">Macros the synapses occupy.</param>
/// <param name="Tiles">Tiles used.</param>
/// <param name="Utilisation">Share of the used macros' cells holding synapses.</param>
/// <param name="SetupSeconds">Mapping and programming time.</param>
/// <param name="MacroOperations">Macro operations over the run.</param>
/// <param name="LatencyCycles">Hardware time of the run, from the first timestep's start to the last one's end (base cycles).</param>
/// <param name="MeanStepLatencyNs">Mean hardware time per timestep.</param>
/// <param name="MaxStepLatencyNs">Longest timestep.</param>
/// <param name="HardwareRealTimeFactor">Hardware time per timestep over dt (below 1: the chip keeps up with real time).</param>
/// <param name="EnergyJ">Total energy (dynamic + leakage over the simulated time: the chip runs in real time).</param>
/// <param name="DynamicEnergyJ">Dynamic energy.</param>
/// <param name="EnergyPerSynapticEventPj">All energy (dynamic and leakage, every unit, the neuron updates too) / synaptic events.</param>
/// <param name="ProgrammingEnergyJ">One-time energy of programming the synapses (pulses and verify reads), not in <paramref name="EnergyJ"/>.</param>
/// <param name="ProgrammingPulses">Programming pulses over all cells.</param>
/// <param name="VerifyReads">Verify reads over all cells.</param>
/// <param name="Account">The priced ledger.</param>
/// <param name="Costs">The cost table in force.</param>
public sealed record CubaHardwareReport(
    CubaReport Functional,
    string Architecture,
    int Macros,
    int Tiles,
    double Utilisation,
    [property: JsonPropertyName("setup_s")] double SetupSeconds,
    long MacroOperations,
    long LatencyCycles,
    double MeanStepLatencyNs,
    double MaxStepLatencyNs,
    double HardwareRealTimeFactor,
    [property: JsonPropertyName("energy_J")] double EnergyJ,
    [property: JsonPropertyName("dynamic_energy_J")] double DynamicEnergyJ,
    [property: JsonPropertyName("energy_per_synaptic_event_pJ")] double EnergyPerSynapticEventPj,
    [property: JsonPropertyName("programming_energy_J")] double ProgrammingEnergyJ,
    long ProgrammingPulses,
    long VerifyReads,
    [property: JsonIgnore] EnergyAccount Account,
    [property: JsonIgnore] CostTable Costs)
{
    /// <summary>
    /// The synaptic path's dynamic energy (all but the neuron core's neuron updates and spikes: macros, tile I/O, NoC, partial-sum adds)
    /// / synaptic events, pJ: what delivering and weighting a spike costs, beside <see cref="EnergyPerSynapticEventPj"/>'s all energy.
    /// </summary>
    [property: JsonPropertyName("synaptic_path_energy_per_event_pJ")] public double SynapticPathEnergyPerEventPj { get; init; }

    /// <summary>The run under the architecture's power policy (energy at real time and full throughput, leakage power, areas).</summary>
    [JsonIgnore] public PowerSummary? Power { get; init; }

    /// <summary>Order-sensitive hash of the chip's spike train (equal to the functional run's when the spikes are identical).</summary>
    [JsonIgnore] public ulong SpikeTrainHash { get; init; }

    /// <summary>How the timesteps ran: <c>barrier</c> or <c>pipelined</c> (a pure recurrence such as CUBA's runs the same either way).</summary>
    [JsonIgnore] public string Execution { get; init; } = "barrier";

    /// <summary>Mean cycles between successive timestep completions (the inverse of the step throughput).</summary>
    [JsonIgnore] public double StepIntervalCycles { get; init; }

    /// <summary>Mean hardware latency of a timestep, from its first input to its last output (base cycles).</summary>
    [JsonIgnore] public double MeanStepLatencyCycles { get; init; }

    /// <summary>True when the chip's spike train equals the functional run's (set by the caller that ran both).</summary>
    [JsonIgnore] public bool SpikesIdentical { get; init; }

    /// <summary>Process CPU seconds of the simulation loop (all threads; the machine's other load excluded).</summary>
    [JsonIgnore] public double LoopCpuSeconds { get; init; }

    /// <summary>Threads the chip executor ran on (1, or 2: the function pass on a producer thread ahead of the timing).</summary>
    [JsonIgnore] public int Threads { get; init; } = 1;

    /// <summary>Seconds the function pass was busy (with two threads: the producer's busy time).</summary>
    [JsonIgnore] public double FunctionPassSeconds { get; init; }

    /// <summary>Seconds the timing's thread waited for the function pass (0 on one thread): large when the producer bounds the run.</summary>
    [JsonIgnore] public double TimingWaitSeconds { get; init; }

    /// <summary>Two threads, barrier execution: steps the producer timed (in its own engine) that the timing's thread took over.</summary>
    [JsonIgnore] public long ProducerTimedSteps { get; init; }

    /// <summary>Two threads, barrier execution: steps the producer timed that the timing's thread turned down (started on another clock phase there) and timed itself.</summary>
    [JsonIgnore] public long ProducerTurnedDownSteps { get; init; }

    /// <summary>Two threads, barrier execution: seconds the producer spent timing steps (those turned down included).</summary>
    [JsonIgnore] public double ProducerTimingSeconds { get; init; }

    /// <summary>Discrete events the kernel dispatched per timestep (the simulator's event work).</summary>
    [JsonIgnore] public double KernelEventsPerStep { get; init; }

    /// <summary>NoC packets sent per timestep (spikes to macros, partial sums to neuron cores; those within a tile included).</summary>
    [JsonIgnore] public double NocPacketsPerStep { get; init; }

    /// <summary>Link traversals (packet hops) per timestep.</summary>
    [JsonIgnore] public double NocHopsPerStep { get; init; }

    /// <summary>Share of link traversals whose packet found the link busy (or the next buffer full) and queued.</summary>
    [JsonIgnore] public double NocQueuedShare { get; init; }

    /// <summary>How the neurons were placed on the neuron cores (<c>chip.neuron_placement</c>).</summary>
    [JsonIgnore] public string NeuronPlacement { get; init; } = "";

    /// <summary>Neuron cores holding neurons.</summary>
    [JsonIgnore] public int NeuronCores { get; init; }

    /// <summary>The neuron cores' arithmetic.</summary>
    [JsonIgnore] public string NeuronCore { get; init; } = "";

    /// <summary>Fixed-point results that hit the neuron cores' limits.</summary>
    [JsonIgnore] public long Saturations { get; init; }
}
