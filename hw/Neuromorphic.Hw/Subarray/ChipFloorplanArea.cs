using Neuromorphic.Hw.Interconnect;

namespace Neuromorphic.Hw.Subarray;

/// <summary>
/// NeuroSim V1.4's chip area of one layer's floorplan (Chip.cpp ChipCalculateArea, Tile.cpp TileCalculateArea,
/// ProcessingUnit.cpp ProcessingUnitCalculateArea): every level is a bounding box, not the sum of what is used.
/// A subarray is its bounding box (<see cref="SubarrayArea.BoxUm2"/>); a PE is its subarrays' boxes plus its
/// adder tree and DFF buffers; a tile is its PEs plus its adder tree, register-file buffers and a local H-tree;
/// the chip is its tiles plus a global X-Y bus (Param.cpp globalBusType = false, XYBus.cpp) and a global buffer.
/// </summary>
/// <remarks>
/// Not modelled (below 1 % of the chip here): the chip-level ReLU, max-pool and accumulation units (one tile row
/// has nothing to accumulate). Register-file bits are DFFs (assumed for Buffer.cpp's register file).
/// </remarks>
public static class ChipFloorplanArea
{
    /// <summary>Param.cpp maxGlobalBusWidth: the global bus width is halved until it fits.</summary>
    public const int MaxGlobalBusWidthBits = 2048;

    /// <summary>Param.cpp treeFoldedRatio: the global bus is folded 4 times in layout.</summary>
    public const double GlobalFoldedRatio = 4;

    /// <summary>Tile.cpp: the tile's H-tree between its PEs is folded 16 times (HTree CalculateArea(..., 16)).</summary>
    public const double TileFoldedRatio = 16;

    /// <summary>Param.cpp globalBufferCoreSizeRow x globalBufferCoreSizeCol: bits of one global-buffer core.</summary>
    public const int GlobalBufferCoreBits = 128 * 128;

    /// <summary>DFF.cpp: a DFF (one register-file bit) is 12 minimum inverters.</summary>
    public const double DffFootprints = 12;

    /// <summary>Adder.cpp: a full adder of 9 NAND2 gates, 1.5 footprints each.</summary>
    public const double FullAdderFootprints = 13.5;

    /// <summary>The floorplan's area.</summary>
    /// <param name="model">The subarray model.</param>
    /// <param name="floorplan">Tiles, PEs, subarrays.</param>
    /// <param name="layerInputs">Inputs of the layer (sizes the global buffer).</param>
    /// <returns>The chip area with NeuroSim's parts and the empty space of the bounding boxes.</returns>
    public static ChipArea Compute(SubarrayModel model, LayerFloorplan floorplan, int layerInputs)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(floorplan);
        floorplan.Validate();
        var p = model.Parameters;
        var tech = model.Technology;
        var sub = model.Area();
        var footprint = tech.TransistorFootprintUm2;
        var dff = DffFootprints * footprint;
        var fullAdder = FullAdderFootprints * footprint;
        var subarraysPerPe = floorplan.SubarraysPerTile / floorplan.PesPerTile;
        var subarraysPerPeSide = (int)Math.Ceiling(Math.Sqrt(subarraysPerPe));
        var pesPerSide = (int)Math.Ceiling(Math.Sqrt(floorplan.PesPerTile));
        double outputsPerSubarray = model.Adcs;
        // ProcessingUnit.cpp numBitSubarrayOutput (parallel read, one row group): ADC bits + input bits + shift-add bits + 1.
        var subarrayOutputBits = p.AdcBits + floorplan.InputBits + (p.CellsPerWeight - 1) + 1;
        var peStages = (int)Math.Ceiling(Math.Log2(subarraysPerPeSide));

        // PE: subarray boxes, an adder tree over the subarray rows, input and output DFF buffers (ProcessingUnit.cpp, non-sync).
        var peAddersUm2 = (subarraysPerPeSide - 1) * outputsPerSubarray * subarraysPerPeSide * (subarrayOutputBits + peStages) * fullAdder;
        var peBufferBits = floorplan.InputBits * (double)p.Rows + outputsPerSubarray * (subarrayOutputBits + peStages);
        var peUm2 = subarraysPerPe * sub.BoxUm2 + peAddersUm2 + peBufferBits * dff;
        var peSide = Math.Sqrt(peUm2);

        // Tile: PEs, an adder tree over the PE rows, register-file buffers, an H-tree between the PEs (Tile.cpp).
        var peOutputBits = subarrayOutputBits + subarraysPerPeSide;
        var tileStages = (int)Math.Ceiling(Math.Log2(pesPerSide));
        var tileOutputs = pesPerSide * subarraysPerPeSide * outputsPerSubarray;
        var tileAddersUm2 = (pesPerSide - 1) * tileOutputs * (peOutputBits + tileStages) * fullAdder;
        var tileBufferBits = pesPerSide * floorplan.InputBits * (double)p.Rows + (peOutputBits + tileStages) * pesPerSide * outputsPerSubarray;
        var tileBus = new HTreeInterconnect(tech, pesPerSide * subarraysPerPeSide * p.Rows, foldedRatio: TileFoldedRatio);
        // HTree.cpp CalculateArea: for a 2 x 2 tree only the main bus, one unit wide, to the nearest edge.
        var tileBusUm2 = pesPerSide > 1 ? tileBus.BusWidthBits * tileBus.RepeaterHeightUm / TileFoldedRatio * Math.Floor(pesPerSide / 2.0) * peSide : 0;
        var tileUm2 = floorplan.PesPerTile * peUm2 + tileAddersUm2 + tileBufferBits * dff + tileBusUm2;
        var tileSide = Math.Sqrt(tileUm2);

        // Chip: tiles on a grid, an X-Y bus (XYBus.cpp CalculateArea) of (tile size + tile size / mux) bits per tile, a global buffer.
        var tiles = floorplan.Tiles;
        var tileRows = (int)Math.Ceiling(Math.Sqrt(tiles));
        var tileCols = (int)Math.Ceiling(tiles / (double)tileRows);
        var tileSize = (double)pesPerSide * subarraysPerPeSide * p.Rows;
        var busBits = (tileSize + tileSize / p.ColumnsPerAdc) * tiles;
        while (busBits > MaxGlobalBusWidthBits) busBits /= 2;
        var bus = new HTreeInterconnect(tech, (int)Math.Ceiling(busBits), foldedRatio: GlobalFoldedRatio);
        var busUm2 = busBits / GlobalFoldedRatio * (bus.RepeaterWidthUm * tileSide * tileRows + bus.RepeaterHeightUm * tileSide * tileCols);
        // Chip.cpp: under pipelining the buffer holds half of each layer's inputs, in cores of 128 x 128 bits.
        var cores = Math.Max(1, Math.Ceiling(floorplan.InputBits * layerInputs / 2.0 / GlobalBufferCoreBits));
        var globalBufferUm2 = cores * GlobalBufferCoreBits * dff;

        var placed = (double)tiles * floorplan.SubarraysPerTile;
        var pes = (double)tiles * floorplan.PesPerTile;
        var totalUm2 = tiles * tileUm2 + busUm2 + globalBufferUm2;
        var arrays = placed * sub.ArrayUm2;
        var adc = placed * sub.AdcUm2;
        var accumulation = placed * sub.AccumulationUm2 + pes * peAddersUm2 + tiles * tileAddersUm2;
        var other = placed * sub.OtherPeripheryUm2;
        var buffers = (pes * peBufferBits + tiles * tileBufferBits) * dff + globalBufferUm2;
        var interconnect = busUm2 + tiles * tileBusUm2;
        var empty = totalUm2 - arrays - adc - accumulation - other - buffers - interconnect;
        return new ChipArea(arrays * 1e-6, adc * 1e-6, accumulation * 1e-6, other * 1e-6, buffers * 1e-6, interconnect * 1e-6, empty * 1e-6);
    }
}
