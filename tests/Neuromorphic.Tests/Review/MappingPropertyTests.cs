using CsCheck;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Networks;
using NUnit.Framework;

namespace Neuromorphic.Tests.Review;

/// <summary>
/// Design-review invariants of the mapping: how many macros a layer takes as the user sweeps the array size, the
/// signed-weight storage and the weight bits, against the closed form (row blocks x column blocks), and that the
/// utilisation the reports print is a share.
/// </summary>
public sealed class MappingPropertyTests
{
    private static readonly ArchitectureSpec Preset = ArchitectureLoader.Load("rram-40nm-256kb");

    private static ChipModel Chip(int rows, int columns, int weightBits = 1)
    {
        var spec = Preset;
        return new ChipModel(spec with
        {
            // Room for any layer the properties draw: the mapper refuses a network larger than the chip.
            Chip = spec.Chip with { Tiles = 4096 },
            Macro = spec.Macro with
            {
                Crossbar = spec.Macro.Crossbar with { Rows = rows, Columns = columns, WeightBits = weightBits },
                ParallelRows = Math.Min(spec.Macro.ParallelRows, rows),
                ColumnsPerAdc = Math.Min(spec.Macro.ColumnsPerAdc, columns),
            },
        });
    }

    private static float[] Weights(int outputs, int inputs, int seed, bool oneSigned, double density = 0.6)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, outputs * inputs)
            .Select(_ => rng.NextDouble() >= density ? 0f : (float)((oneSigned || rng.Next(2) == 0 ? 1 : -1) * (0.05 + rng.NextDouble()))).ToArray();
    }

    private static int Ceil(int a, int b) => (a + b - 1) / b;

    [Test]
    public void A_dense_layer_takes_row_blocks_times_column_blocks_and_a_larger_array_never_takes_more()
    {
        var gen = from inputs in Gen.Int[1, 700] from outputs in Gen.Int[1, 700] from rows in Gen.Int[8, 512] from columns in Gen.Int[8, 512]
                  from moreRows in Gen.Int[0, 512] from moreColumns in Gen.Int[0, 512] from weightBits in Gen.Int[1, 4] from oneSigned in Gen.Bool
                  select (inputs, outputs, rows, columns, moreRows, moreColumns, weightBits, oneSigned);
        gen.Sample(c =>
        {
            var (small, large) = (Chip(c.rows, c.columns, c.weightBits), Chip(c.rows + c.moreRows, c.columns + c.moreColumns, c.weightBits));
            // A one-signed layer's magnitudes on single cells (one column per bit), a mixed-sign one on differential pairs (two).
            var perWeight = c.weightBits * (c.oneSigned ? 1 : 2);
            // Columns >= 8 >= 2 x weight bits: every array holds a weight on pairs.
            int Expected(ChipModel chip) => Ceil(c.inputs, chip.Spec.Macro.Crossbar.Rows) * Ceil(c.outputs, chip.Spec.Macro.Crossbar.Columns / perWeight);
            var node = new DenseNode("fc", SignPattern(c.outputs, c.inputs, c.oneSigned), c.outputs, c.inputs);
            var (a, b) = (NetworkMapper.MacrosOf(node, small), NetworkMapper.MacrosOf(node, large));
            return a == Expected(small) && b == Expected(large) && b <= a && small.ColumnsPerMacro(c.oneSigned) == c.columns / perWeight;
        }, iter: 300);
    }

    /// <summary>A matrix of ones (one-signed) or of alternating signs: the sign pattern is all the macro count depends on.</summary>
    private static float[] SignPattern(int outputs, int inputs, bool oneSigned) =>
        Enumerable.Range(0, outputs * inputs).Select(i => oneSigned || i % 2 == 0 ? 1f : -1f).ToArray();

    [Test]
    public void The_mapper_places_what_the_count_predicts_and_every_macro_holds_its_block_within_its_cells()
    {
        var gen = from inputs in Gen.Int[1, 200] from outputs in Gen.Int[1, 200] from rows in Gen.Int[8, 96] from columns in Gen.Int[8, 96]
                  from weightBits in Gen.Int[1, 3] from oneSigned in Gen.Bool from seed in Gen.Int select (inputs, outputs, rows, columns, weightBits, oneSigned, seed);
        gen.Sample(c =>
        {
            var chip = Chip(c.rows, c.columns, c.weightBits);
            var weights = Weights(c.outputs, c.inputs, c.seed, c.oneSigned);
            if (weights.All(w => w == 0)) return true;
            var node = new DenseNode("fc", weights, c.outputs, c.inputs);
            var mapped = new Mapper(chip, 1).Map("fc", weights, c.outputs, c.inputs);
            var cells = (long)c.rows * c.columns;
            return mapped.Tiles.Count == NetworkMapper.MacrosOf(node, chip)
                && mapped.Utilisation is >= 0 and <= 1
                && mapped.Tiles.All(t => t.RowCount <= c.rows && t.Array.PhysicalColumns <= c.columns && (long)t.RowCount * t.Array.PhysicalColumns <= cells)
                && mapped.Tiles.Sum(t => (long)t.RowCount * t.ColumnCount) == (long)c.inputs * c.outputs;
        }, iter: 120);
    }

    [Test]
    public void A_sparse_layer_never_takes_more_macros_than_its_grid_nor_more_on_an_array_a_whole_multiple_larger()
    {
        // Blocks of an array k times as large are unions of the smaller array's blocks, so no more of them hold a
        // synapse (an even column count keeps a pair's two columns inside one block). (For sizes that are not multiples the grids do not nest and the count may rise: rows {3, 4} take one
        // 3-row block but two 4-row blocks. The mapper lays out a fixed grid; it does not search for the best one.)
        var gen = from outputs in Gen.Int[1, 400] from inputs in Gen.Int[1, 400] from density in Gen.Double[0, 0.1] from seed in Gen.Int
                  from rows in Gen.Int[8, 64] from pairs in Gen.Int[4, 32] from k in Gen.Int[1, 4] select (outputs, inputs, density, seed, rows, columns: 2 * pairs, k);
        gen.Sample(c =>
        {
            var weights = global::Neuromorphic.Tests.Chip.ChipTestData.RandomSparse(c.outputs, c.inputs, c.density, c.seed);
            var node = new SparseNode("syn", weights);
            var (small, large) = (Chip(c.rows, c.columns), Chip(c.rows * c.k, c.columns * c.k));
            var (a, b) = (NetworkMapper.MacrosOf(node, small), NetworkMapper.MacrosOf(node, large));
            var grid = Ceil(c.inputs, c.rows) * Ceil(c.outputs, small.ColumnsPerMacro(Mapper.OnSingleCells(small, weights.Values)));
            return a <= grid && b <= a && (weights.NonZeros == 0) == (a == 0);
        }, iter: 300);
    }
}
