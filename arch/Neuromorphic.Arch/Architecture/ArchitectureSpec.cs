using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Hw.Macro;

namespace Neuromorphic.Arch.Architecture;

/// <summary>
/// A chip, as an architecture YAML file describes it (SANA-FE style: chip -> tiles -> macros and
/// a neuron core, each with its parameters), plus the cost-table rows the file overrides.
/// </summary>
public sealed record ArchitectureSpec
{
    /// <summary>Short name (the preset name).</summary>
    public string Name { get; init; } = "unnamed";

    /// <summary>One line for people.</summary>
    public string Description { get; init; } = "";

    /// <summary>Where the file came from (a path or <c>preset:NAME</c>).</summary>
    public string Origin { get; init; } = "";

    /// <summary>Technology node in nm (propagated to every component).</summary>
    public double TechnologyNm { get; init; } = 40;

    /// <summary>Kernel base clock: every component clock must divide it (1 GHz: one cycle per ns).</summary>
    public double BaseClockHz { get; init; } = 1e9;

    /// <summary>The RRAM macro.</summary>
    public MacroParameters Macro { get; init; } = new();

    /// <summary>Tiles and macros.</summary>
    public ChipParameters Chip { get; init; } = new();

    /// <summary>The digital neuron core of each tile.</summary>
    public DigitalNeuronUnitParameters NeuronCore { get; init; } = new();

    /// <summary>The network on chip between tiles.</summary>
    public MeshNocParameters Noc { get; init; } = new();

    /// <summary>The spike-driven self-attention unit (spike-driven transformers).</summary>
    public SdsaUnitParameters Sdsa { get; init; } = new();

    /// <summary>
    /// Capacity of each tile's accumulate-core weight SRAM, bytes (<c>accumulate_core.weight_memory_bytes</c>; 0: no SRAM);
    /// null: sized by what the mapped workload stores there (an LSM readout: features x classes x weight bits), else the
    /// transformers' assumed 64 KB for their digital layers. A workload that puts no work on the cores counts none.
    /// </summary>
    public long? AccumulateWeightMemoryBytes { get; init; }

    /// <summary>Buffers and bus around the macros, for the whole-layer estimate (<c>inspect --workload</c>).</summary>
    public Neuromorphic.Hw.Subarray.LayerFloorplan Floorplan { get; init; } = new();

    /// <summary>Power gating policy: how long the instances leak (the same rule in every workload).</summary>
    public PowerGating Power { get; init; } = PowerGating.Idle;

    /// <summary>Mapper choices that change the hardware: dense or compacted word lines for sparse matrices.</summary>
    public MappingParameters Mapping { get; init; } = new();

    /// <summary>Which weighted layers run on macros and which on the digital core.</summary>
    public LayerPlacement Placement { get; init; } = new();

    /// <summary>Input density (fraction of rows active) at which <c>inspect</c> reports the derived figures.</summary>
    public double DefaultInputDensity { get; init; } = 0.1;

    /// <summary>Cost rows the file overrides, applied on top of the models' defaults.</summary>
    public IReadOnlyList<CostTableRow> CostOverrides { get; init; } = [];
}
