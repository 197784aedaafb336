namespace Neuromorphic.Hw.Subarray;

/// <summary>
/// How a layer's subarrays sit on the chip, and the data they exchange, for the whole-layer estimate:
/// tiles of subarrays on an H-tree, register-file buffers at the tile boundary.
/// </summary>
public sealed record LayerFloorplan
{
    /// <summary>Tiles on the chip.</summary>
    public int Tiles { get; init; } = 2;

    /// <summary>Subarrays placed per tile (used or not: they take area).</summary>
    public int SubarraysPerTile { get; init; } = 16;

    /// <summary>Processing elements (PEs) per tile, a square number dividing <see cref="SubarraysPerTile"/> (NeuroSim: (tile size / PE size)^2 = 4).</summary>
    public int PesPerTile { get; init; } = 4;

    /// <summary>Bits one input carries (1 for spikes).</summary>
    public int InputBits { get; init; } = 1;

    /// <summary>Bits of one output word on the bus and in the buffers; null = the partial sum's own width (see <see cref="LayerOnSubarrays.OutputBits"/>).</summary>
    public int? OutputBits { get; init; }

    /// <summary>Bits the buffers move per clock (register-file interface width).</summary>
    public int BufferInterfaceBits { get; init; } = 32;

    /// <summary>Wires of the H-tree bus.</summary>
    public int BusWidthBits { get; init; } = 128;

    /// <summary>Share of input bits that toggle on the bus (Param.cpp inputtoggle: 0.18).</summary>
    public double InputToggle { get; init; } = 0.18;

    /// <summary>Share of output bits that toggle on the bus (Param.cpp outputtoggle: 0.5).</summary>
    public double OutputToggle { get; init; } = 0.5;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first bad field.</summary>
    public void Validate()
    {
        const string Owner = nameof(LayerFloorplan);
        Devices.ParameterCheck.InRange(Tiles, 1, 1 << 20, Owner, nameof(Tiles));
        Devices.ParameterCheck.InRange(SubarraysPerTile, 1, 1 << 20, Owner, nameof(SubarraysPerTile));
        Devices.ParameterCheck.InRange(PesPerTile, 1, SubarraysPerTile, Owner, nameof(PesPerTile));
        if (SubarraysPerTile % PesPerTile != 0)
            throw new ArgumentException($"{Owner}.{nameof(PesPerTile)} ({PesPerTile}) must divide {nameof(SubarraysPerTile)} ({SubarraysPerTile})");
        Devices.ParameterCheck.InRange(InputBits, 1, 32, Owner, nameof(InputBits));
        if (OutputBits is { } o) Devices.ParameterCheck.InRange(o, 1, 64, Owner, nameof(OutputBits));
        Devices.ParameterCheck.InRange(BufferInterfaceBits, 1, 1 << 16, Owner, nameof(BufferInterfaceBits));
        Devices.ParameterCheck.InRange(BusWidthBits, 1, 1 << 16, Owner, nameof(BusWidthBits));
        Devices.ParameterCheck.Probability(InputToggle, Owner, nameof(InputToggle));
        Devices.ParameterCheck.Probability(OutputToggle, Owner, nameof(OutputToggle));
    }
}
