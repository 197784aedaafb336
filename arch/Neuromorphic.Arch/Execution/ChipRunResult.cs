using Neuromorphic.Hw.Costs;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Execution;

/// <summary>One node's share of a chip run.</summary>
/// <param name="Node">Node name.</param>
/// <param name="Kind">What it became on the chip (crossbar, population, ...).</param>
/// <param name="Macros">Macros it occupies.</param>
/// <param name="Reads">Row-group reads its macros performed.</param>
/// <param name="ChipSpikes">Spikes the chip's population emitted (populations; an output node: its non-zero outputs).</param>
/// <param name="SoftwareSpikes">Spikes the software golden model's population emitted (populations and output nodes; -1 without golden model).</param>
/// <param name="CellAgreement">
/// Share of (neuron, timestep) cells where chip and software agree, a silent cell on both sides counting as agreement
/// (populations and output nodes; NaN without golden model). With sparse activity it is near 1 for a chip that fires
/// nothing: not a pass mark (<see cref="SpikeJaccard"/> is).
/// </param>
/// <param name="MaxAbsDifference">Largest |chip - software| output (non-spiking populations; 0 for spikes).</param>
/// <param name="BusyCycles">Cycles from the node's start to its end, summed over timesteps.</param>
/// <param name="EnergyPj">Dynamic energy priced to the node (its macros, NoC traffic, core work).</param>
/// <param name="Activity">Share of the node's outputs that were non-zero, over all timesteps.</param>
/// <param name="NeuronUpdates">Neuron updates the core performed (populations).</param>
/// <param name="BothSpiked">(neuron, timestep) cells where both chip and software spiked.</param>
/// <param name="EitherSpiked">Cells where either spiked (Jaccard agreement = both / either).</param>
public sealed record ChipLayerReport(string Node, string Kind, int Macros, long Reads, long ChipSpikes, long SoftwareSpikes,
    double CellAgreement, double MaxAbsDifference, long BusyCycles, double EnergyPj, double Activity, long NeuronUpdates, long BothSpiked, long EitherSpiked)
{
    /// <summary>
    /// The spike agreement, the headline per-layer figure: (neuron, timestep) cells where both fired / cells where either fired
    /// (Jaccard). Cells silent on both sides do not count, so a silent chip scores 0 against a firing software model, and
    /// chance agreement of unrelated rasters with rates p and q is only about pq / (p + q). NaN when neither side fired or
    /// without golden model.
    /// </summary>
    public double SpikeJaccard => SpikeComparison.JaccardOf(BothSpiked, EitherSpiked);

    /// <summary>True when the golden model ran beside the chip and this node's outputs were compared with it.</summary>
    public bool Compared => !double.IsNaN(CellAgreement);
}

/// <summary>What a chip run produced and cost.</summary>
/// <param name="Samples">Samples run.</param>
/// <param name="Timesteps">Timesteps run in all.</param>
/// <param name="ChipOutputs">Per output node, the chip's output of every timestep (samples one after another).</param>
/// <param name="SoftwareOutputs">The same from the software golden model (empty without it).</param>
/// <param name="StepLatencyCycles">Cycles of every timestep.</param>
/// <param name="TotalCycles">Cycles from the first step's start to the last one's end.</param>
/// <param name="Layers">Per node.</param>
/// <param name="Account">The priced ledger.</param>
/// <param name="Costs">The cost table used.</param>
/// <param name="Units">Utilisation of every unit that did any work.</param>
/// <param name="Execution">Barrier or pipelined.</param>
/// <param name="BaseClockHz">Cycles per second.</param>
/// <param name="Saturations">Fixed-point results that hit the neuron core's limits.</param>
/// <param name="ActivityByStep">Per population (and input), the share of its outputs non-zero in every timestep.</param>
public sealed record ChipRunResult(int Samples, int Timesteps, IReadOnlyDictionary<string, SpikeRaster> ChipOutputs,
    IReadOnlyDictionary<string, SpikeRaster> SoftwareOutputs, long[] StepLatencyCycles, long TotalCycles,
    IReadOnlyList<ChipLayerReport> Layers, EnergyAccount Account, CostTable Costs, IReadOnlyList<UnitStatistics> Units,
    string Execution, double BaseClockHz, long Saturations, IReadOnlyDictionary<string, IReadOnlyList<double>> ActivityByStep)
{
    /// <summary>Energy of the whole run, joules.</summary>
    public double EnergyJ => Account.TotalPj * 1e-12;

    /// <summary>Cycles per timestep, on average: from a step's first input to its last output (steps overlap when pipelined).</summary>
    public double LatencyPerTimestepCycles => StepLatencyCycles.Length == 0 ? 0 : StepLatencyCycles.Average();

    /// <summary>Cycles of every sample, from its first step's start to its last step's end: the latency of an inference's timesteps.</summary>
    public long[] SampleCycles { get; init; } = [];

    /// <summary>
    /// The base cycle at which every timestep ended, in the kernel's time (samples one after another): when a step's
    /// outputs are known, for work timed after it outside the executor (the LSM's readout on the accumulate core).
    /// </summary>
    public long[] StepEndCycles { get; init; } = [];

    /// <summary>
    /// Cycles between successive step completions within a sample, on average (the chip's step
    /// throughput is its inverse): with a barrier the step latency plus the wait for every unit to drain
    /// before the next step is admitted (a little above the mean step latency); pipelined, the slowest stage's time.
    /// </summary>
    public double StepIntervalCycles { get; init; }

    /// <summary>Timesteps the chip completes per second of chip time (base clock / <see cref="StepIntervalCycles"/>).</summary>
    public double ThroughputStepsPerSecond => StepIntervalCycles <= 0 ? 0 : BaseClockHz / StepIntervalCycles;

    /// <summary>Spikes of every population (an output node's row repeats its source's and is not counted again).</summary>
    public long Spikes => Layers.Where(l => l.Kind == "population").Sum(l => l.ChipSpikes);
}
