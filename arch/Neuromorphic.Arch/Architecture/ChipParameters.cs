namespace Neuromorphic.Arch.Architecture;

/// <summary>How neuron populations are spread over the tiles' neuron cores.</summary>
public enum NeuronPlacement
{
    /// <summary>Fill one core to capacity before the next, populations in evaluation order (fewest cores).</summary>
    Packed,

    /// <summary>Split every population evenly over all cores (shortest neuron-core batches, most NoC traffic).</summary>
    Spread,

    /// <summary>Every population starts on a core of its own (layers never share a core).</summary>
    ByLayer,

    /// <summary>
    /// Each run of neurons on the tile (among those holding the macros that feed it) nearest, over the mesh, to
    /// all its feeding macros: partial sums cross few or no NoC hops, and a recurrent population's neurons sit
    /// among the macros their spikes drive. A core takes at most as many of a population's neurons as one of its
    /// feeding macros feeds (a step waits for the busiest core): a run goes whole to the nearest feeding tile with room
    /// under that cap, else to the nearest core with it. Neurons fed by no crossbar follow the neuron before them (a population's first ones: the core nearest tile 0).
    /// </summary>
    NearSynapses,
}

/// <summary>How the chip's timesteps follow each other.</summary>
public enum ExecutionMode
{
    /// <summary>A timestep starts when the previous one has drained (every layer done): the default.</summary>
    Barrier,

    /// <summary>A layer starts its next timestep as soon as its inputs of that step are there: layers and steps overlap.</summary>
    Pipelined,
}

/// <summary>How the chip is organised: tiles on a mesh, each with macros and a digital neuron core.</summary>
public sealed record ChipParameters
{
    /// <summary>Tiles (one mesh router each).</summary>
    public int Tiles { get; init; } = 16;

    /// <summary>RRAM macros per tile.</summary>
    public int MacrosPerTile { get; init; } = 4;

    /// <summary>
    /// Neurons whose state one tile's neuron core holds (assumed 4096: a 4096-entry state SRAM per
    /// core, 8 KB of 16-bit membranes, the order of a Loihi core's 1024 compartments x 4; raise it for larger cores).
    /// </summary>
    public int NeuronsPerCore { get; init; } = 4096;

    /// <summary>Placement policy of populations onto neuron cores.</summary>
    public NeuronPlacement NeuronPlacement { get; init; } = NeuronPlacement.Packed;

    /// <summary>Barrier (default) or pipelined timesteps.</summary>
    public ExecutionMode Execution { get; init; } = ExecutionMode.Barrier;

    /// <summary>Most macros a chip may have (tiles x macros per tile): a million, far beyond any chip, and countable in an int.</summary>
    public const long MaxMacros = 1 << 20;

    /// <summary>Total macros (checked by <see cref="Validate"/> to be at most <see cref="MaxMacros"/>).</summary>
    public int Macros => (int)Math.Min(int.MaxValue, (long)Tiles * MacrosPerTile);

    /// <summary>Checks the values; throws naming the field.</summary>
    public void Validate()
    {
        if (Tiles < 1) throw new ArgumentException($"ChipParameters.Tiles must be >= 1, found {Tiles}");
        if (MacrosPerTile < 1) throw new ArgumentException($"ChipParameters.MacrosPerTile must be >= 1, found {MacrosPerTile}");
        if (NeuronsPerCore < 1) throw new ArgumentException($"ChipParameters.NeuronsPerCore must be >= 1, found {NeuronsPerCore}");
        if ((long)Tiles * MacrosPerTile > MaxMacros)
            throw new ArgumentException($"ChipParameters: {Tiles} tiles x {MacrosPerTile} macros is {(long)Tiles * MacrosPerTile} macros, more than {MaxMacros}");
    }
}
