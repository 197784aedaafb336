using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// A crossbar's spikes reach every macro holding their rows, whichever way the function pass counts them: a
/// step of spikes (one bit plane, read from the node's records by input) counts them while it reads, a step of
/// spike counts (several bit planes) in a pass of its own. Spike counts of 2 read the same rows on the second
/// plane only, so the node does the same work: the same reads, the same spikes and partial sums sent to the same
/// tiles, so the same macro, buffer and NoC counts. The spikes come from a population spread over several tiles
/// (each macro counts them per source tile), scaled by 1 or 2 on their way.
/// </summary>
public sealed class ChipSpikeDeliveryTests
{
    [Test]
    public void Spikes_and_spike_counts_of_two_send_the_same_traffic_to_the_same_macros()
    {
        var weights = RandomBinary(outputs: 200, inputs: 1100, density: 0.02, seed: 5);
        var spec = Spec();
        var rng = new Random(6);
        var input = new SpikeRaster(30, weights.Columns, Enumerable.Range(0, 30 * weights.Columns).Select(_ => rng.NextDouble() < 0.01 ? 1f : 0f).ToArray());
        var (ones, onesProgram) = Lines(Network(weights, 1), spec, input);
        var (twos, _) = Lines(Network(weights, 2), spec, input);

        var carries = new ChipExecutor(onesProgram, 1e-3, seed: 1, golden: false).CrossbarOf(onesProgram["syn"].Index)!.RecordsCarrySpikes;
        Assert.That(carries, Is.True, "the spikes' run counts them while it reads the records");
        var macros = onesProgram["syn"].Matrices[0].Matrix.Tiles;
        var sourceTiles = onesProgram["pre"].OutputTile;
        Assert.That(macros.Any(t => sourceTiles.AsSpan(t.RowStart, t.RowCount).ToArray().Distinct().Count() > 1), Is.True, "a macro fed from several tiles");
        Assert.That(ones[(TileIoBuffer.Component, TileIoBuffer.WriteBitAction)], Is.GreaterThan(0), "the buffers count the packets' bits");
        Assert.That(ones.Keys.Any(k => k.Action.Contains("flit", StringComparison.Ordinal)), Is.True, "packets cross the mesh");
        Assert.That(twos, Is.EquivalentTo(ones));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void Each_macro_counts_the_spikes_on_its_rows_per_source_tile(bool rowBlockWithoutMacro)
    {
        var spec = Spec();
        var rows = spec.Macro.Crossbar.Rows;
        // Weights cannot leave a row block without a macro here (a sparse projection gives word lines only to inputs with a
        // synapse, so every row block holds some), so that case is made by leaving the second row block's macros out of
        // the crossbar: its spikes must then reach no macro, and the other blocks' be counted as before.
        var weights = RandomBinary(outputs: 200, inputs: 1100, density: 0.02, seed: 5);
        foreach (var scale in new[] { 1f, 2f })
        {
            var program = NetworkMapper.Map(Network(weights, scale), new ChipModel(spec), 1);
            var syn = program["syn"];
            var matrix = syn.Matrices[0].Matrix;
            var rowOf = matrix.InputRows;
            int LineOf(int input) => rowOf is null ? input : rowOf[input];
            var crossbar = new ChipExecutor(program, 1e-3, seed: 1, golden: false).CrossbarOf(syn.Index)!;
            if (rowBlockWithoutMacro)
            {
                var kept = crossbar.Macros.Where(m => m.Tile.RowStart / rows != 1).ToArray();
                Assert.That(kept.Length, Is.LessThan(crossbar.Macros.Count));
                Assert.That(kept.Any(m => m.Tile.RowStart / rows > 1), Is.True, "row blocks after the one without a macro");
                crossbar = new CrossbarRuntime(syn, kept, weights.Columns, program.Chip.MaxLogicalColumnsPerMacro, rows);
            }
            Assert.That(crossbar.RecordsCarrySpikes, Is.True);
            // Steps straight into the crossbar: a spike (or a count of 2) on a share of the inputs, each from its tile; at
            // 0.3 % most row blocks see one input (read alone), at 5 % several (read together).
            foreach (var share in new[] { 0.003, 0.05 })
            {
                var sourceTiles = program["pre"].OutputTile;
                var rng = new Random(7);
                var active = Enumerable.Range(0, weights.Columns).Where(_ => rng.NextDouble() < share).ToArray();
                var input = new double[weights.Columns];
                foreach (var e in active) input[e] = scale;
                crossbar.Step(input, active, activeKnown: true, new double[weights.Rows], sourceTiles, noise: null, costOnly: false);
                // The reference, from the mapping alone: a macro receives each active input whose word line it holds, counted
                // under the input's tile.
                var checkedSpikes = 0;
                foreach (var m in crossbar.Macros)
                {
                    var expected = m.SourceTiles.ToDictionary(t => t, _ => 0);
                    foreach (var e in active)
                    {
                        var line = LineOf(e);
                        if (line >= m.Tile.RowStart && line < m.Tile.RowStart + m.Tile.RowCount) expected[sourceTiles[e]]++;
                    }
                    Assert.That(m.SpikesFrom, Is.EqualTo(m.SourceTiles.Select(t => expected[t]).ToArray()), $"scale {scale}, share {share}, macro at rows {m.Tile.RowStart}, columns {m.Tile.ColumnStart}");
                    checkedSpikes += expected.Values.Sum();
                }
                Assert.That(checkedSpikes, Is.GreaterThan(0));
            }
        }
    }

    /// <summary>An ideal chip of 16 tiles; binary weights on one cell each; few neurons per core, so "pre" spans several tiles.</summary>
    private static ArchitectureSpec Spec()
    {
        var spec = ChipTestData.Ideal(tiles: 16);
        return spec with { Macro = spec.Macro with { Crossbar = spec.Macro.Crossbar with { WeightBits = 1 } }, Chip = spec.Chip with { NeuronsPerCore = 128 } };
    }

    /// <summary>in -> identity -> "pre" (fires on each input spike, spread over tiles) -> x <paramref name="scale"/> -> "syn" -> "lif" -> out.</summary>
    private static Network Network(CsrMatrix weights, float scale)
    {
        var n = weights.Columns;
        var identity = new CsrMatrix(n, n, Enumerable.Range(0, n + 1).ToArray(), Enumerable.Range(0, n).ToArray(), Enumerable.Repeat(1f, n).ToArray());
        return new Network(
        [
            new InputNode("in", [n]), new SparseNode("identity", identity), new NeuronNode("pre", new IntegratorModel(NeuronModel.Fill(n, 1), NeuronModel.Fill(n, 0.5f))),
            new ScaleNode("scale", Enumerable.Repeat(scale, n).ToArray(), [n]), new SparseNode("syn", weights),
            new NeuronNode("lif", new IntegratorModel(NeuronModel.Fill(weights.Rows, 1), NeuronModel.Fill(weights.Rows, 2.5f))), new OutputNode("out", [weights.Rows]),
        ], [new Edge("in", "identity"), new Edge("identity", "pre"), new Edge("pre", "scale"), new Edge("scale", "syn"), new Edge("syn", "lif"), new Edge("lif", "out")]);
    }

    /// <summary>The "syn" layer's ledger lines (component, action) -> count after running <paramref name="input"/>, and the program.</summary>
    private static (Dictionary<(string Component, string Action), long> Lines, ChipProgram Program) Lines(Network network, ArchitectureSpec spec, SpikeRaster input)
    {
        var program = NetworkMapper.Map(network, new ChipModel(spec), 1);
        var executor = new ChipExecutor(program, 1e-3, seed: 1, golden: false);
        executor.RunSample(input);
        return (executor.Finish().Account.Lines.Where(l => l.Layer == "syn").GroupBy(l => (l.Component, l.Action))
            .ToDictionary(g => g.Key, g => g.Sum(l => l.Count)), program);
    }

    /// <summary>Random binary weights; no synapse from the inputs in [hole.From, hole.To).</summary>
    private static CsrMatrix RandomBinary(int outputs, int inputs, double density, int seed, (int From, int To) hole = default)
    {
        var rng = new Random(seed);
        var pointers = new int[outputs + 1];
        var columns = new List<int>();
        for (var o = 0; o < outputs; o++)
        {
            for (var e = 0; e < inputs; e++)
                if (rng.NextDouble() < density && (e < hole.From || e >= hole.To)) columns.Add(e);
            pointers[o + 1] = columns.Count;
        }
        return new CsrMatrix(outputs, inputs, pointers, columns.ToArray(), columns.Select(_ => 1f).ToArray());
    }
}
