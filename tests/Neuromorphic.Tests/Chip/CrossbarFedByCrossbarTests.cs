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
/// per block and threw). Its reads are counted here by hand from the source's values, its spikes against the software's;
/// also with the list read by two crossbars (fan-out) and in a loop back to the neurons that feed the first, where a run
/// on two threads must repeat the one on one thread read for read.
/// </summary>
public sealed class CrossbarFedByCrossbarTests
{
    private const int Inputs = 64, Middle = 64, Outputs = 40, Steps = 30;

    [TestCase(WordLineMapping.Dense, false)]
    [TestCase(WordLineMapping.Compacted, false)]
    [TestCase(WordLineMapping.Dense, true)]
    public void The_second_crossbar_reads_each_active_row_group_once_per_bit_plane(WordLineMapping wordLines, bool flattenBetween)
    {
        var spec = Spec(tiles: 16, wordLines);
        var (first, second) = (Scattering(), ChipTestData.RandomSparse(Outputs, Middle, 0.4, seed: 5));
        List<Node> nodes =
        [
            new InputNode("in", [Inputs]), new DenseNode("first", first, Middle, Inputs), new SparseNode("second", second),
            IntegrateAndFire("if", Outputs), new OutputNode("out", [Outputs]),
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

        var input = RandomInput(Steps, 0.3);
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

    [TestCase(WordLineMapping.Dense)]
    [TestCase(WordLineMapping.Compacted)]
    public void One_crossbar_feeding_two_gives_both_its_list_alike_on_one_and_two_threads(WordLineMapping wordLines)
    {
        // The first crossbar's list is read in place by two crossbars (fan-out): neither may disturb it for the other.
        // 300 steps, enough for two threads to take the sample (MinimumStepsOnTwoThreads, 100 by default).
        const int steps = 300, outputs2 = 30;
        var spec = Spec(tiles: 32, wordLines);
        var first = Scattering();
        List<Node> nodes =
        [
            new InputNode("in", [Inputs]), new DenseNode("first", first, Middle, Inputs),
            new SparseNode("second", ChipTestData.RandomSparse(Outputs, Middle, 0.4, seed: 5)),
            new SparseNode("third", ChipTestData.RandomSparse(outputs2, Middle, 0.4, seed: 6)),
            IntegrateAndFire("if1", Outputs), new OutputNode("out1", [Outputs]),
            IntegrateAndFire("if2", outputs2), new OutputNode("out2", [outputs2]),
        ];
        List<Edge> edges =
        [
            new("in", "first"), new("first", "second"), new("first", "third"),
            new("second", "if1"), new("if1", "out1"), new("third", "if2"), new("if2", "out2"),
        ];
        var program = NetworkMapper.Map(new Network(nodes, edges), new ChipModel(spec), 1);
        var input = RandomInput(steps, 0.3);
        var one = RunAgainstSoftware(program, input, threads: 1, "out1", "out2");
        // Each reader's reads counted by hand from the first crossbar's values, as in the test above.
        foreach (var reader in new[] { "second", "third" })
        {
            var matrix = program[reader].Matrices[0].Matrix;
            long expected = 0;
            for (var t = 0; t < steps; t++) expected += Reads(matrix, Middle, Multiply(first, input.Row(t)), spec.Macro.ParallelRows);
            Assert.That(one.Reads[reader], Is.EqualTo(expected), reader);
        }
        // Two threads: the same run, read for read and cycle for cycle; a few times, as a race shows only now and then.
        for (var k = 0; k < 3; k++) AssertSameRun(RunAgainstSoftware(program, input, threads: 2, "out1", "out2"), one);
    }

    [TestCase(WordLineMapping.Dense)]
    [TestCase(WordLineMapping.Compacted)]
    public void A_loop_of_two_crossbars_back_to_its_neurons_runs_as_the_software_on_one_and_two_threads(WordLineMapping wordLines)
    {
        // Recurrent: the neurons p feed a dense crossbar b, which feeds a sparse crossbar c with no neuron between, which
        // feeds p again (the input reaches p through an identity crossbar a). 200 steps: two threads take the sample.
        const int steps = 200;
        var spec = Spec(tiles: 64, wordLines);
        var identity = new float[Middle * Inputs];
        for (var e = 0; e < Inputs; e++) identity[e * Inputs + e] = 1;
        List<Node> nodes =
        [
            new InputNode("in", [Inputs]), new DenseNode("a", identity, Middle, Inputs), IntegrateAndFire("p", Middle),
            new DenseNode("b", Scattering(), Middle, Inputs), new SparseNode("c", ChipTestData.RandomSparse(Middle, Middle, 0.2, seed: 5)),
            new OutputNode("out", [Middle]),
        ];
        List<Edge> edges = [new("in", "a"), new("a", "p"), new("p", "b"), new("b", "c"), new("c", "p"), new("p", "out")];
        var program = NetworkMapper.Map(new Network(nodes, edges), new ChipModel(spec), 1);
        var input = RandomInput(steps, 0.2);
        var one = RunAgainstSoftware(program, input, threads: 1, "out");
        Assert.That(one.Reads["c"], Is.GreaterThan(0), "the second crossbar of the loop read");
        AssertSameRun(RunAgainstSoftware(program, input, threads: 2, "out"), one);
    }

    /// <summary>What a run must repeat whatever its thread count: reads per layer, each step's latency, the outputs.</summary>
    private sealed record Run(Dictionary<string, long> Reads, long[] StepLatencyCycles, float[][] Outputs);

    private static void AssertSameRun(Run actual, Run expected)
    {
        Assert.That(actual.Reads, Is.EqualTo(expected.Reads), "reads per layer");
        Assert.That(actual.StepLatencyCycles, Is.EqualTo(expected.StepLatencyCycles), "step latencies");
        Assert.That(actual.Outputs, Is.EqualTo(expected.Outputs), "outputs");
    }

    /// <summary>
    /// Runs <paramref name="input"/> on <paramref name="threads"/> threads (asserting that two really ran the function
    /// pass on a producer thread), and checks that each of <paramref name="outputs"/> spiked and equals the software
    /// model's, step by step.
    /// </summary>
    private static Run RunAgainstSoftware(ChipProgram program, SpikeRaster input, int threads, params string[] outputs)
    {
        var executor = new ChipExecutor(program, 1e-3, seed: 1, threads: threads);
        var chip = executor.RunSample(input);
        Assert.That(executor.ProducerThreadsStarted, Is.EqualTo(threads > 1 ? 1 : 0), "a producer thread ran the function pass");
        foreach (var name in outputs)
        {
            Assert.That(chip[name].CountNonZero(), Is.GreaterThan(0), name);
            var software = executor.LastSoftwareOutputs[name];
            for (var t = 0; t < input.Timesteps; t++) Assert.That(chip[name].Row(t).ToArray(), Is.EqualTo(software.Row(t).ToArray()), $"{name}, step {t}");
        }
        var result = executor.Finish();
        return new Run(result.Layers.ToDictionary(l => l.Node, l => l.Reads), result.StepLatencyCycles,
            outputs.Select(name => chip[name].Data.ToArray()).ToArray());
    }

    /// <summary>Small macros (16 rows in groups of 8, 16 weight columns): the crossbars here span several row and column blocks.</summary>
    private static ArchitectureSpec Spec(int tiles, WordLineMapping wordLines)
    {
        var ideal = ChipTestData.Ideal(tiles);
        return ideal with
        {
            Macro = ideal.Macro with { Crossbar = ideal.Macro.Crossbar with { Rows = 16, Columns = 256, WeightBits = 8 }, ParallelRows = 8 },
            Mapping = ideal.Mapping with { WordLines = wordLines },
        };
    }

    private static NeuronNode IntegrateAndFire(string name, int count) =>
        new(name, new IntegratorModel(NeuronModel.Fill(count, 1), NeuronModel.Fill(count, 2.5f)));

    /// <summary>Spikes on each of the <see cref="Inputs"/> channels at each step with probability <paramref name="rate"/> (seed 9).</summary>
    private static SpikeRaster RandomInput(int steps, double rate)
    {
        var rng = new Random(9);
        return new SpikeRaster(steps, Inputs, Enumerable.Range(0, steps * Inputs).Select(_ => rng.NextDouble() < rate ? 1f : 0f).ToArray());
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
