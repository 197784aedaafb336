using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// A crossbar fed by a crossbar with no neuron between (NIR Linear -> Linear) reads its source's output list in
/// place. That list is in the order the source wrote its outputs (row block by row block, then macro by macro,
/// each in the order its rows touched the columns), not ascending; the reader cuts row blocks and row groups
/// from runs of its list, so it must see the list ascending or it reads one block or group several times (or
/// merges two groups into one read; before session 18 both mappings here ran past the scratch sized for one run
/// per block and threw). Its reads are counted here by hand from the source's values, its spikes against the software's.
/// </summary>
public sealed class CrossbarFedByCrossbarTests
{
    private const int Inputs = 64, Middle = 64, Outputs = 40, Steps = 30;

    [TestCase(WordLineMapping.Dense, false)]
    [TestCase(WordLineMapping.Compacted, false)]
    [TestCase(WordLineMapping.Dense, true)]
    public void The_second_crossbar_reads_each_active_row_group_once_per_bit_plane(WordLineMapping wordLines, bool flattenBetween)
    {
        // Small macros (16 rows in groups of 8, 16 weight columns): both crossbars span several row and column blocks.
        var ideal = ChipTestData.Ideal(tiles: 16);
        var spec = ideal with
        {
            Macro = ideal.Macro with { Crossbar = ideal.Macro.Crossbar with { Rows = 16, Columns = 256, WeightBits = 8 }, ParallelRows = 8 },
            Mapping = ideal.Mapping with { WordLines = wordLines },
        };
        var (first, second) = (Scattering(), ChipTestData.RandomSparse(Outputs, Middle, 0.4, seed: 5));
        List<Node> nodes =
        [
            new InputNode("in", [Inputs]), new DenseNode("first", first, Middle, Inputs), new SparseNode("second", second),
            new NeuronNode("if", new IntegratorModel(NeuronModel.Fill(Outputs, 1), NeuronModel.Fill(Outputs, 2.5f))), new OutputNode("out", [Outputs]),
        ];
        List<Edge> edges = [new("in", "first"), new("second", "if"), new("if", "out")];
        // A Flatten between passes the first crossbar's list on (a wiring node: no work of its own).
        if (flattenBetween) { nodes.Add(new FlattenNode("flat", 0, -1, [Middle])); edges.AddRange([new("first", "flat"), new("flat", "second")]); }
        else edges.Add(new("first", "second"));
        var network = new Network(nodes, edges);
        var program = NetworkMapper.Map(network, new ChipModel(spec), 1);
        var matrix = program["second"].Matrices[0].Matrix;
        Assert.That((matrix.Routes is null, matrix.RowBlocks > 1), Is.EqualTo((wordLines == WordLineMapping.Dense, true)), "several row blocks");
        Assert.That(matrix.Tiles.Select(t => t.ColumnStart).Distinct().Count(), Is.GreaterThan(1), "several column blocks");

        var rng = new Random(9);
        var input = new SpikeRaster(Steps, Inputs, Enumerable.Range(0, Steps * Inputs).Select(_ => rng.NextDouble() < 0.3 ? 1f : 0f).ToArray());
        var executor = new ChipExecutor(program, 1e-3, seed: 1);
        var chip = executor.RunSample(input)["out"];
        var written = executor.CrossbarOf(program["first"].Index)!.Written.ToArray();
        Assert.That(written, Is.Not.Ordered.Ascending, "the first crossbar's last step wrote its outputs out of order");
        var result = executor.Finish();

        long expected = 0;
        for (var t = 0; t < Steps; t++) expected += Reads(matrix, Middle, Multiply(first, input.Row(t)), spec.Macro.ParallelRows);
        Assert.That(expected, Is.GreaterThan(Steps * 4));
        Assert.That(result.Layers.Single(l => l.Node == "second").Reads, Is.EqualTo(expected));
        Assert.That(chip.CountNonZero(), Is.GreaterThan(0));
        var software = executor.LastSoftwareOutputs["out"];
        for (var t = 0; t < Steps; t++) Assert.That(chip.Row(t).ToArray(), Is.EqualTo(software.Row(t).ToArray()), $"step {t}");
    }

    /// <summary>
    /// Weights of ones [Middle x Inputs] that send input e to output 23e mod 64 and, for every fifth input, also to the
    /// next input's output: the outputs are 0, 1 or 2 (two bit planes), and a row block's inputs scatter over the
    /// column blocks, so the crossbar writes them out of order.
    /// </summary>
    private static float[] Scattering()
    {
        var w = new float[Middle * Inputs];
        for (var e = 0; e < Inputs; e++)
        {
            w[e * 23 % Middle * Inputs + e] = 1;
            if (e % 5 == 0) w[(e + 1) * 23 % Middle * Inputs + e] = 1;
        }
        return w;
    }

    private static double[] Multiply(float[] w, ReadOnlySpan<float> x)
    {
        var y = new double[Middle];
        for (var o = 0; o < Middle; o++)
            for (var e = 0; e < Inputs; e++) y[o] += w[o * Inputs + e] * x[e];
        return y;
    }

    /// <summary>
    /// The reads of one step of the second crossbar by hand: per bit plane of its input, each macro reads once per row
    /// group (of <paramref name="groupRows"/> of its word lines) holding a word line whose input has that bit set.
    /// </summary>
    private static long Reads(MappedMatrix matrix, int inputs, double[] input, int groupRows)
    {
        long reads = 0;
        for (var plane = 0; plane < 2; plane++)
        {
            bool On(int e) => e >= 0 && (((long)input[e] >> plane) & 1) != 0;
            foreach (var tile in matrix.Tiles)
            {
                var groups = new HashSet<int>();
                for (var row = 0; row < tile.RowCount; row++)
                {
                    // The input on this word line: the compacted macro's list, else the dense mapping's line order.
                    var line = tile.RowStart + row;
                    var e = tile.WordLineSources is { } sources ? sources[row]
                        : matrix.InputRows is { } rowOf ? Array.IndexOf(rowOf, line) : line;
                    if (e < inputs && On(e)) groups.Add(row / groupRows);
                }
                reads += groups.Count;
            }
        }
        return reads;
    }

}
