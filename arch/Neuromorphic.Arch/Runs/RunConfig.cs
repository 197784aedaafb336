using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Lsm;

namespace Neuromorphic.Arch.Runs;

/// <summary>
/// A run: an architecture, a workload and its encoding, the network built on it (an LSM) and its
/// readout, and a seed. What <c>neuromorphic run CONFIG.yaml</c> reads; the default run is the
/// preset <c>rram-lsm-40nm</c>.
/// </summary>
public sealed record RunConfig
{
    /// <summary>Short name.</summary>
    public string Name { get; init; } = "";

    /// <summary>One line for people.</summary>
    public string Description { get; init; } = "";

    /// <summary>Where the configuration came from.</summary>
    public string Origin { get; init; } = "";

    /// <summary>The configuration's YAML text (kept for traces, so a replay can rebuild the network).</summary>
    public string Text { get; init; } = "";

    /// <summary>SHA-256 of the configuration text (first 16 hex digits): which configuration produced a run.</summary>
    public string ConfigHash { get; init; } = "";

    /// <summary>Run seed: every random draw derives from it.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>The chip.</summary>
    public required ArchitectureSpec Architecture { get; init; }

    /// <summary>The data.</summary>
    public WorkloadSpec Workload { get; init; } = new();

    /// <summary>Events to spike rasters.</summary>
    public EncodingSpec Encoding { get; init; } = new();

    /// <summary>The reservoir (LSM runs).</summary>
    public LsmParameters Lsm { get; init; } = new();

    /// <summary>The spike-driven transformer (transformer runs), or null for an LSM run.</summary>
    public TransformerRunSpec? Transformer { get; init; }

    /// <summary>A NIR network to run on the chip (classifying by its output spike counts), or null for an LSM or transformer run.</summary>
    public NetworkRunSpec? Network { get; init; }

    /// <summary>The readout.</summary>
    public ReadoutParameters Readout { get; init; } = new();

    /// <summary>
    /// How the run's functional (software) model discretises NIR neuron models: the top-level keys
    /// <c>semantics</c> (nir | snntorch | norse) and <c>reset_mechanism</c> (value | subtract), see
    /// docs/nir-semantics.md. Default: NIR's forward Euler, reset to v_reset.
    /// </summary>
    public Neuromorphic.Sim.Neurons.Discretisation Semantics { get; init; } = Neuromorphic.Sim.Neurons.Discretisation.Nir;
}
