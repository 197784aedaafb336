using Neuromorphic.Hw.Interconnect;

namespace Neuromorphic.Hw.Subarray;

/// <summary>
/// NeuroSim's chip-level view of one layer (Chip.cpp, Tile.cpp, ProcessingUnit.cpp): the subarrays read in
/// parallel, register-file buffers holding the input vector and the output partial sums (DFF.cpp energy per
/// bit written and read), and an H-tree (HTree.cpp) carrying them between the chip edge and the tiles.
/// </summary>
public sealed class WholeLayerModel
{
    /// <summary>Builds the estimate of a programmed layer on a floorplan.</summary>
    /// <param name="layer">The layer on its subarrays.</param>
    /// <param name="floorplan">Tiles, buffers and bus.</param>
    public WholeLayerModel(LayerOnSubarrays layer, LayerFloorplan floorplan)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(floorplan);
        floorplan.Validate();
        if (floorplan.Tiles * floorplan.SubarraysPerTile < layer.Subarrays)
            throw new ArgumentException($"the floorplan places {floorplan.Tiles * floorplan.SubarraysPerTile} subarrays, the layer needs {layer.Subarrays}");
        Layer = layer;
        Floorplan = floorplan;
        var model = layer.Model;
        Tree = new HTreeInterconnect(model.Technology, floorplan.BusWidthBits);
        InputBits = (long)layer.Inputs * floorplan.InputBits;
        OutputBits = (long)layer.Outputs * (floorplan.OutputBits ?? layer.OutputBits);

        var sub = model.Area();
        var dffUm2 = 12 * model.Technology.TransistorFootprintUm2; // DFF.cpp: 12 minimum inverters
        var buffersUm2 = (InputBits + OutputBits) * dffUm2;
        var tileSide = Math.Sqrt(floorplan.SubarraysPerTile * sub.TotalUm2 + buffersUm2 / floorplan.Tiles);
        var perSide = (int)Math.Ceiling(Math.Sqrt(floorplan.Tiles));
        PathUm = HTreeInterconnect.RootToLeafUm(perSide, tileSide);
        Area = ChipFloorplanArea.Compute(model, floorplan, layer.Inputs);
    }

    /// <summary>The layer.</summary>
    public LayerOnSubarrays Layer { get; }

    /// <summary>The floorplan.</summary>
    public LayerFloorplan Floorplan { get; }

    /// <summary>The H-tree.</summary>
    public HTreeInterconnect Tree { get; }

    /// <summary>Bits of one input vector.</summary>
    public long InputBits { get; }

    /// <summary>Bits of the layer's outputs.</summary>
    public long OutputBits { get; }

    /// <summary>H-tree path from the chip edge to a tile, um.</summary>
    public double PathUm { get; }

    /// <summary>Chip area.</summary>
    public ChipArea Area { get; }

    /// <summary>One input vector through the layer.</summary>
    /// <param name="active">Length Inputs; true where the input is 1.</param>
    /// <returns>The chip-report rows.</returns>
    public LayerCost Estimate(ReadOnlySpan<bool> active)
    {
        var read = Layer.Read(active);
        var f = Floorplan;
        var model = Layer.Model;
        var clock = model.ClockPeriodNs;
        var toggled = InputBits * f.InputToggle + OutputBits * f.OutputToggle;
        var interconnect = toggled * Tree.EnergyFjPerBitUm * PathUm * 1e-3;
        var buffers = (InputBits + OutputBits) * 2 * model.Circuits.DffClockEnergyFj * 1e-3;
        var bufferNs = (Math.Ceiling((double)InputBits / f.BufferInterfaceBits) + Math.Ceiling((double)OutputBits / f.BufferInterfaceBits)) * clock;
        var treeNs = Math.Ceiling(PathUm * Tree.DelayPsPerUm * 1e-3 / clock) * clock;
        return new LayerCost(read, interconnect, buffers, read.LatencyNs, bufferNs, treeNs, Area);
    }
}
