using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Sim.Networks;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// Grouped convolutions on macros: the block-diagonal im2col matrix is placed without its
/// off-diagonal zeros (each row block holds only the columns of the groups its rows belong to),
/// and every weight still sits in exactly one macro.
/// </summary>
public sealed class GroupedConvMappingTests
{
    private static readonly ChipModel Chip = new(RunConfigLoader.Load("sdt-v2-rram").Architecture);

    private static ConvNode Conv(int channels, int groups, int outPerGroup, int k, bool oneNegative = false)
    {
        var inPerGroup = channels / groups;
        var weight = new float[groups * outPerGroup * inPerGroup * k * k];
        for (var i = 0; i < weight.Length; i++) weight[i] = 1 + i % 5; // every weight non-zero
        if (oneNegative) weight[7] = -weight[7];
        return new ConvNode("dw", weight, [groups * outPerGroup, inPerGroup, k, k], null, [1, 1], [k / 2, k / 2], [1, 1], groups, [6, 6]);
    }

    // Each case with positive weights (single cells) and with one negative weight (differential pairs, the signed scheme).
    [TestCase(1024, 1024, 1, 7, false)] // Meta-SpikeFormer's depthwise 7x7 (SepConv, 2 x 512 channels)
    [TestCase(1024, 1024, 1, 7, true)]
    [TestCase(96, 8, 24, 3, false)]     // groups of several channels
    [TestCase(96, 8, 24, 3, true)]
    [TestCase(300, 300, 2, 3, false)]   // channel multiplier 2
    [TestCase(300, 300, 2, 3, true)]
    public void Every_weight_sits_in_one_macro_and_no_macro_holds_only_off_diagonal_zeros(int channels, int groups, int outPerGroup, int k, bool oneNegative)
    {
        var conv = Conv(channels, groups, outPerGroup, k, oneNegative);
        Assert.That(Mapper.OnSingleCells(Chip, conv.Weight), Is.EqualTo(!oneNegative), "the storage under test");
        var mapped = new Mapper(Chip, 1).Map("dw", conv);
        int rowsPerGroup = channels / groups * k * k, rows = rowsPerGroup * groups, columns = groups * outPerGroup;
        // The weight columns a macro holds in this storage: 256 on single cells, 128 on pairs (4-bit weights on 2-bit cells).
        var perMacro = oneNegative ? Chip.LogicalColumnsPerMacro : Chip.SingleCellColumnsPerMacro;
        Assert.That(mapped.Tiles.Select(t => t.Array.LogicalColumns), Is.All.LessThanOrEqualTo(perMacro));
        Assert.That(mapped.Tiles, Has.Count.EqualTo(Mapper.MacrosFor(Chip, conv)));
        // Only the block diagonal holds weights: row r (group r / rowsPerGroup) meets that group's outPerGroup
        // columns. holders[r, j] counts the macros holding (r, group's first column + j); the dense rows x columns
        // grid of the depthwise 7x7 case (51 million cells, most of them off the diagonal) took seconds.
        var holders = new int[rows, outPerGroup];
        foreach (var tile in mapped.Tiles)
        {
            // Inside the matrix: the loop below clips columns to a group's, so a macro reaching past the last one would
            // go unseen (rows past the last one index holders out of range).
            Assert.That(tile.ColumnStart + tile.ColumnCount, Is.LessThanOrEqualTo(columns), $"macro {tile.Macro}'s columns");
            var holdsOne = false;
            for (var r = tile.RowStart; r < tile.RowStart + tile.RowCount; r++)
            {
                var first = r / rowsPerGroup * outPerGroup;
                for (var c = Math.Max(first, tile.ColumnStart); c < Math.Min(first + outPerGroup, tile.ColumnStart + tile.ColumnCount); c++)
                {
                    holders[r, c - first]++;
                    holdsOne = true;
                }
            }
            Assert.That(holdsOne, $"macro {tile.Macro} holds only zeros");
        }
        for (var r = 0; r < rows; r++)
            for (var j = 0; j < outPerGroup; j++)
                Assert.That(holders[r, j], Is.EqualTo(1), $"weight ({r}, {r / rowsPerGroup * outPerGroup + j})");
        // Far fewer macros than the dense block grid of the same matrix in the same storage.
        var rowBlocks = (rows + Chip.Spec.Macro.Crossbar.Rows - 1) / Chip.Spec.Macro.Crossbar.Rows;
        if (groups > 8) Assert.That(mapped.Tiles.Count, Is.LessThan(rowBlocks * ((columns + perMacro - 1) / perMacro)));
    }

    [Test]
    public void An_ungrouped_conv_still_takes_the_full_block_grid()
    {
        // 900 rows: 2 row blocks of 512. Positive weights go on single cells (4-bit weights on 2-bit cells: 2 columns
        // each, 256 weights a macro: one column block of 130); with a negative one, differential pairs (4 columns each,
        // 128 a macro: two column blocks), the signed scheme's grid.
        var conv = Conv(100, 1, 130, 3);
        Assert.That((Chip.SingleCellColumnsPerMacro, Chip.LogicalColumnsPerMacro), Is.EqualTo((256, 128)));
        Assert.That(new Mapper(Chip, 1).Map("c", conv).Tiles, Has.Count.EqualTo(2 * 1));
        conv = Conv(100, 1, 130, 3, oneNegative: true);
        Assert.That(new Mapper(Chip, 1).Map("c", conv).Tiles, Has.Count.EqualTo(2 * 2).And.Count.EqualTo(NetworkMapper.MacrosFor(Chip, 100 * 9, 130)));
    }

    [Test]
    public void A_mapper_can_continue_a_numbering_so_layers_map_apart()
    {
        var conv = Conv(64, 1, 64, 3);
        var first = new Mapper(Chip, 1).Map("a", conv);
        var second = new Mapper(Chip, 1, first.Tiles.Count).Map("b", conv);
        Assert.That(second.Tiles.Select(t => t.Macro), Is.EqualTo(Enumerable.Range(first.Tiles.Count, second.Tiles.Count)));
    }
}
