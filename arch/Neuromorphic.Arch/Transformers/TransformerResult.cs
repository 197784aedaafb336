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
    /// <summary>Images run (functional mode) or 1 (rates mode).</summary>
    public int Samples { get; init; }
    /// <summary>Timesteps of the model.</summary>
    public int Timesteps { get; init; }
    /// <summary>Mean timesteps run per sample (below T with early exit).</summary>
    public double MeanTimestepsRun { get; init; }
    /// <summary>Per layer, summed over samples.</summary>
    public required IReadOnlyList<LayerCost> Layers { get; init; }
    /// <summary>Energy per inference on the chip (ledger priced plus leakage over the inference time), J.</summary>
    public double EnergyPerInferenceJ { get; init; }
    /// <summary>The papers' theoretical energy per inference from the same firing rates (45 nm MAC/AC figures), J.</summary>
    public double TheoreticalEnergyJ { get; init; }
    /// <summary>Hardware latency of one inference, base cycles.</summary>
    public double LatencyCycles { get; init; }
    /// <summary>Base clock.</summary>
    public double BaseClockHz { get; init; }
    /// <summary>Macros the model's RRAM layers occupy.</summary>
    public int Macros { get; init; }
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
    /// <summary>Accuracy against the images' labels (functional mode with random weights: chance, reported for completeness); NaN in rates mode.</summary>
    public double Accuracy { get; init; } = double.NaN;
    /// <summary>The priced ledger.</summary>
    public required EnergyAccount Account { get; init; }
    /// <summary>The cost table.</summary>
    public required CostTable Costs { get; init; }
    /// <summary>Wall time, s.</summary>
    public double WallSeconds { get; init; }
}
