using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// A CUBA population fed by two projections takes their outputs source by source only when no entry is
/// listed by both in a step; otherwise it must take their sum, as one projection holding both would give it.
/// On a fixed-point core the difference shows: quantising each source's events apart rounds differently
/// from quantising their sum (w_e = 1.62 mV at 8 fraction bits: 415 + 415 raw for two single events, 829 raw
/// for a double one), and a conductance at the format's limit saturates once for the sum but once per source.
/// The input here is strong enough to drive ge to that limit, so the saturations tell the two apart.
/// </summary>
public sealed class ChipInputsBySourceTests
{
    private const int Neurons = 48, Inputs = 64, Steps = 300;
    private const double Dt = 1e-4;

    // Both projections onto every neuron; onto halves that share one neuron; onto halves apart (no entry in common).
    [TestCase(0, Neurons - 1, 0, Neurons - 1, true)]
    [TestCase(0, Neurons / 2, Neurons / 2, Neurons - 1, true)]
    [TestCase(0, Neurons / 2 - 1, Neurons / 2, Neurons - 1, false)]
    public void Entries_listed_by_two_sources_are_summed_before_the_core_takes_them(int firstA, int lastA, int firstB, int lastB, bool shared)
    {
        var rng = new Random(11);
        var p = new CubaParameters { Neurons = Neurons, SynapsesPerNeuron = 1 };
        var membranes = Enumerable.Range(0, Neurons).Select(_ => p.Reset + (p.Threshold - p.Reset) * rng.NextDouble()).ToArray();
        // Two excitatory projections onto the same ge entries, never the same (neuron, input) pair: one with both holds only ones.
        var (a, b, both) = DisjointPair(2 * Neurons, (firstA, lastA), (firstB, lastB), Inputs, 0.1, rng);
        var input = new SpikeRaster(Steps, Inputs, Enumerable.Range(0, Steps * Inputs).Select(_ => rng.NextDouble() < 0.3 ? 1f : 0f).ToArray());
        var format = new FixedPointFormat(16, 8);

        var twoSources = RunOnChip(Network(membranes, p, ("a", a), ("b", b)), input);
        var oneSource = RunOnChip(Network(membranes, p, ("ab", both)), input);
        var (gathered, bySource, overlaps) = Reference(membranes, p, format, a, b, input);

        if (shared)
        {
            Assert.That(overlaps, Is.GreaterThan(Steps / 2), "the two projections list the same entries in most steps");
            Assert.That(bySource.Saturations, Is.GreaterThan(gathered.Saturations), "taking such entries source by source would count other saturations");
        }
        else Assert.That(overlaps, Is.Zero);
        Assert.That(twoSources.Saturations, Is.EqualTo(gathered.Saturations), "the summed input's saturations");
        Assert.That(oneSource.Saturations, Is.EqualTo(gathered.Saturations), "one projection's saturations");
        Assert.That(twoSources.Spikes.CountNonZero(), Is.GreaterThan(0));
        for (var t = 0; t < Steps; t++)
        {
            Assert.That(twoSources.Spikes.Row(t).ToArray(), Is.EqualTo(gathered.Spikes.Row(t).ToArray()), $"step {t}: the summed input's spikes");
            Assert.That(twoSources.Spikes.Row(t).ToArray(), Is.EqualTo(oneSource.Spikes.Row(t).ToArray()), $"step {t}: one projection's spikes");
        }
    }

    private static (SpikeRaster Spikes, long Saturations) RunOnChip(Network network, SpikeRaster input)
    {
        var spec = ChipTestData.Ideal(tiles: 4);
        spec = spec with { NeuronCore = spec.NeuronCore with { MembraneBits = 16, FractionBits = 8 } };
        var program = NetworkMapper.Map(network, new ChipModel(spec), 1);
        var executor = new ChipExecutor(program, Dt, seed: 1, golden: false);
        var spikes = executor.RunSample(input)["out"];
        return (spikes, executor.Finish().Saturations);
    }

    private static Network Network(double[] membranes, CubaParameters p, params (string Name, CsrMatrix Weights)[] projections)
    {
        var nodes = new List<Node> { new InputNode("in", [Inputs]), new NeuronNode("cuba", new CubaNeuronModel(p, membranes)), new OutputNode("out", [Neurons]) };
        var edges = new List<Edge> { new("cuba", "out") };
        foreach (var (name, weights) in projections)
        {
            nodes.Add(new SparseNode(name, weights));
            edges.Add(new Edge("in", name));
            edges.Add(new Edge(name, "cuba"));
        }
        return new Network(nodes, edges);
    }

    /// <summary>The core stepped on the gathered input (each entry's events summed) and on each source's events apart.</summary>
    private static ((SpikeRaster Spikes, long Saturations) Gathered, (SpikeRaster Spikes, long Saturations) BySource, int Overlaps) Reference(double[] membranes, CubaParameters p, FixedPointFormat format,
        CsrMatrix a, CsrMatrix b, SpikeRaster input)
    {
        var whole = new FixedPointPopulation(new CubaNeuronModel(p, membranes), Dt, format);
        var split = new FixedPointPopulation(new CubaNeuronModel(p, membranes), Dt, format);
        var (gathered, bySource) = (new SpikeRaster(Steps, Neurons), new SpikeRaster(Steps, Neurons));
        var (outWhole, outSplit) = (new double[Neurons], new double[Neurons]);
        var updated = new byte[Neurons];
        var overlaps = 0;
        for (var t = 0; t < Steps; t++)
        {
            var x = input.Row(t);
            var (fromA, fromB) = (Multiply(a, x), Multiply(b, x));
            var sum = fromA.Zip(fromB, (u, v) => u + v).ToArray();
            whole.Step(sum, outWhole, updated);
            var (entriesA, entriesB) = (NonZero(fromA), NonZero(fromB));
            if (entriesA.Intersect(entriesB).Any()) overlaps++;
            split.AddInputs(fromA, entriesA);
            split.AddInputs(fromB, entriesB);
            split.StepAfterInputs(outSplit);
            for (var k = 0; k < Neurons; k++) (gathered.MutableRow(t)[k], bySource.MutableRow(t)[k]) = ((float)outWhole[k], (float)outSplit[k]);
        }
        return ((gathered, whole.Saturations), (bySource, split.Saturations), overlaps);
    }

    private static double[] Multiply(CsrMatrix m, ReadOnlySpan<float> x)
    {
        var y = new double[m.Rows];
        for (var r = 0; r < m.Rows; r++)
            for (var k = m.RowPointers[r]; k < m.RowPointers[r + 1]; k++) y[r] += m.Values[k] * x[m.ColumnIndices[k]];
        return y;
    }

    private static int[] NonZero(double[] v) => Enumerable.Range(0, v.Length).Where(k => v[k] != 0).ToArray();

    /// <summary>
    /// Two random binary [rows x columns] matrices, non-zero in rows <paramref name="a"/> and <paramref name="b"/>
    /// (first and last, inclusive) respectively, with no (row, column) pair in common, and their sum.
    /// </summary>
    private static (CsrMatrix A, CsrMatrix B, CsrMatrix Both) DisjointPair(int rows, (int First, int Last) a, (int First, int Last) b, int columns,
        double density, Random rng)
    {
        var owner = new int[rows, columns];
        for (var r = 0; r < rows; r++)
            for (var c = 0; c < columns; c++)
            {
                var u = rng.NextDouble();
                var (inA, inB) = (r >= a.First && r <= a.Last, r >= b.First && r <= b.Last);
                owner[r, c] = inA && u < density ? 1 : inB && u >= density && u < 2 * density ? 2 : 0;
            }
        CsrMatrix Of(Func<int, bool> keep)
        {
            var pointers = new int[rows + 1];
            var (cols, values) = (new List<int>(), new List<float>());
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                    if (keep(owner[r, c])) { cols.Add(c); values.Add(1); }
                pointers[r + 1] = cols.Count;
            }
            return new CsrMatrix(rows, columns, pointers, cols.ToArray(), values.ToArray());
        }
        return (Of(o => o == 1), Of(o => o == 2), Of(o => o != 0));
    }
}
