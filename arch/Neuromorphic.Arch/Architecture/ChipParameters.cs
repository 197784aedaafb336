namespace Neuromorphic.Arch.Architecture;

/// <summary>How the chip is organised: tiles on a mesh, each with macros and a digital neuron core.</summary>
public sealed record ChipParameters
{
    /// <summary>Tiles (one mesh router each).</summary>
    public int Tiles { get; init; } = 16;

    /// <summary>RRAM macros per tile.</summary>
    public int MacrosPerTile { get; init; } = 4;

    /// <summary>Total macros.</summary>
    public int Macros => Tiles * MacrosPerTile;

    /// <summary>Checks the values; throws naming the field.</summary>
    public void Validate()
    {
        if (Tiles < 1) throw new ArgumentException($"ChipParameters.Tiles must be >= 1, found {Tiles}");
        if (MacrosPerTile < 1) throw new ArgumentException($"ChipParameters.MacrosPerTile must be >= 1, found {MacrosPerTile}");
    }
}
