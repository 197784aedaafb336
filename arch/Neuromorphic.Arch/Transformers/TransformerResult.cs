using Neuromorphic.Hw.Costs;

namespace Neuromorphic.Arch.Transformers;

/// <summary>What a spike-driven transformer run measured.</summary>
public sealed record TransformerResult
{
    /// <summary>Model name.</summary>
    public required string Model { get; init; }
    /// <summary>Parameters (PyTorch counting).</summary>
    public long Parameters { get; init; }
    /// <summary>FLOPs of the encoding conv per timestep.</summary>
    public long FlopsFirstConv { get; init; }
    /// <summary>Warnings about the run (a balanced sample count the dataset cannot meet); printed and in summary.json.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>Images run (functional mode) or 1 (rates mode).</summary>
    public int Samples { get; init; }
    /// <summary>Timesteps of the model.</summary>
    public int Timesteps { get; init; }
    /// <summary>Mean timesteps run per sample (below T with early exit).</summary>
    public double MeanTimestepsRun { get; init; }
    /// <summary>
    /// Per layer, per inference: event-driven (from the tensors that occurred) in functional mode,
    /// rate-based in rates mode.
    /// </summary>
    public required IReadOnlyList<LayerCost> Layers { get; init; }

    /// <summary>How <see cref="Layers"/> was priced: <c>event-driven</c> or <c>rate-based</c>.</summary>
    public string Pricing { get; init; } = "rate-based";

    /// <summary>
    /// Per layer, per inference, the rate-based estimate from the same runs' firing rates (a
    /// representative macro driven by i.i.d. Bernoulli spikes at each layer's rate): beside the
    /// event-driven figure it shows the effect of spike correlation.
    /// </summary>
    public IReadOnlyList<LayerCost> RateBasedLayers { get; init; } = [];

    /// <summary>Per layer, the papers' theoretical energy (pJ per inference; 0 for layers it does not count).</summary>
    public IReadOnlyDictionary<string, double> TheoreticalLayerPj { get; init; } = new Dictionary<string, double>();

    /// <summary>Rate-based energy per inference (ledger, no leakage), J.</summary>
    public double RateBasedDynamicEnergyJ { get; init; }

    /// <summary>
    /// Event-driven runs: per timestep t = 1..T, the dynamic energy (J) and hardware cycles of that
    /// timestep, per inference (an inference that exited early adds nothing to later timesteps).
    /// </summary>
    public IReadOnlyList<(double EnergyJ, double Cycles)> PerTimestep { get; init; } = [];

    /// <summary>What computed the chip's outputs: <c>hardware</c> or <c>software</c> (see <see cref="Runs.TransformerRunSpec.ChipCompute"/>).</summary>
    public string ChipCompute { get; init; } = "software";

    /// <summary>Functional runs with a software reference: per layer (model order), how the chip's outputs compared with the software's.</summary>
    public IReadOnlyList<LayerComparison> Agreement { get; init; } = [];

    /// <summary>Per image of a functional run: label and the chip's and software's decisions.</summary>
    public IReadOnlyList<ImageOutcome> Outcomes { get; init; } = [];

    /// <summary>Top-1 accuracy in software against the labels (NaN without labels or software reference).</summary>
    public double SoftwareAccuracy { get; init; } = double.NaN;

    /// <summary>Share of images where the chip's top-1 class equals the software's (NaN without software reference).</summary>
    public double ChipSoftwareAgreement { get; init; } = double.NaN;
    /// <summary>Energy per inference on the chip (ledger priced plus leakage over the inference time), J.</summary>
    public double EnergyPerInferenceJ { get; init; }

    /// <summary>The power policy's figures: leakage power, busy time, energy at real time and full throughput, per-class powered time under per_unit.</summary>
    public Architecture.PowerSummary? Power { get; init; }
    /// <summary>The papers' theoretical energy per inference from the same firing rates (45 nm MAC/AC figures), J.</summary>
    public double TheoreticalEnergyJ { get; init; }
    /// <summary>Hardware latency of one inference, base cycles.</summary>
    public double LatencyCycles { get; init; }
    /// <summary>Base clock.</summary>
    public double BaseClockHz { get; init; }
    /// <summary>Macros the model's RRAM layers occupy.</summary>
    public int Macros { get; init; }
    /// <summary>Tiles the model's layers occupy; the per-tile parts of these tiles leak and take area.</summary>
    public int Tiles { get; init; }
    /// <summary>Area of the powered instances (the macros and the tiles the model occupies), um^2.</summary>
    public double ChipAreaUm2 { get; init; }
    /// <summary>NeuroBench: share of zero activations over the spiking layers.</summary>
    public double ActivationSparsity { get; init; }
    /// <summary>NeuroBench: synaptic operations with all inputs and weights active, per inference.</summary>
    public double DenseSynapticOps { get; init; }
    /// <summary>NeuroBench: effective accumulations per inference.</summary>
    public double EffectiveAcs { get; init; }
    /// <summary>NeuroBench: effective multiply-accumulates per inference (the encoding conv).</summary>
    public double EffectiveMacs { get; init; }
    /// <summary>NeuroBench: membrane updates per inference.</summary>
    public double MembraneUpdates { get; init; }
    /// <summary>NeuroBench: footprint, bytes of parameters at 32 bits.</summary>
    public long FootprintBytes { get; init; }
    /// <summary>Top-1 accuracy on the chip against the images' labels (NaN in rates mode or without labels).</summary>
    public double Accuracy { get; init; } = double.NaN;
    /// <summary>The priced ledger.</summary>
    public required EnergyAccount Account { get; init; }
    /// <summary>The cost table.</summary>
    public required CostTable Costs { get; init; }
    /// <summary>Wall time, s.</summary>
    public double WallSeconds { get; init; }
}

/// <summary>One layer's outputs on the chip against the software's, over the images and timesteps both ran.</summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Spiking">Whether the layer outputs spikes.</param>
/// <param name="Elements">Output elements compared.</param>
/// <param name="Agreement">Share of them equal (NaN: not compared).</param>
/// <param name="ChipSpikes">Spikes on the chip (spiking layers).</param>
/// <param name="SoftwareSpikes">Spikes in software (spiking layers).</param>
/// <param name="MaxAbsDifference">Largest |chip - software| (real-valued layers; NaN for spiking ones or when not compared).</param>
/// <param name="MaxAbsSoftware">Largest |software| (real-valued layers: the scale of the difference).</param>
/// <param name="BothSpiked">Spikes both the chip and software fired (spiking layers).</param>
public sealed record LayerComparison(string Layer, bool Spiking, long Elements, double Agreement, long ChipSpikes, long SoftwareSpikes,
    double MaxAbsDifference, double MaxAbsSoftware, long BothSpiked = 0)
{
    /// <summary>
    /// The spike agreement of a spiking layer: spikes both fired over spikes either fired (Jaccard), which a silent or
    /// random chip cannot pass as it passes <see cref="Agreement"/> (silent elements count there); NaN when neither fired
    /// or the layer does not spike.
    /// </summary>
    public double SpikeJaccard => Spiking ? Execution.SpikeComparison.JaccardOf(BothSpiked, ChipSpikes + SoftwareSpikes - BothSpiked) : double.NaN;

    /// <summary>Over spiking layers: spikes both fired over spikes either fired (NaN if none fired).</summary>
    public static double SpikeJaccardOf(IEnumerable<LayerComparison> layers)
    {
        long both = 0, either = 0;
        foreach (var l in layers.Where(l => l.Spiking && l.Elements > 0)) { both += l.BothSpiked; either += l.ChipSpikes + l.SoftwareSpikes - l.BothSpiked; }
        return Execution.SpikeComparison.JaccardOf(both, either);
    }

    /// <summary>Over spiking layers: equal elements over compared elements (NaN if none); silent elements count as agreeing.</summary>
    public static double SpikeAgreement(IEnumerable<LayerComparison> layers)
    {
        double equal = 0, all = 0;
        foreach (var l in layers.Where(l => l.Spiking && l.Elements > 0)) { equal += l.Agreement * l.Elements; all += l.Elements; }
        return all == 0 ? double.NaN : equal / all;
    }
}
