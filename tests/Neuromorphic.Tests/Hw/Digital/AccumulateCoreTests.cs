using Neuromorphic.Hw.Digital;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Digital;

[TestFixture]
public sealed class AccumulateCoreTests
{
    // 4 inputs -> 3 outputs: row 0 -> {0: 5, 2: -3}, row 1 -> {}, row 2 -> {1: 7}, row 3 -> {0: 1, 1: 2, 2: 4}.
    private static readonly int[] Offsets = [0, 2, 2, 3, 6];
    private static readonly int[] Columns = [0, 2, 1, 0, 1, 2];
    private static readonly int[] Weights = [5, -3, 7, 1, 2, 4];

    [Test]
    public void AccumulatesOnlyTheFanOutOfSpikingInputs()
    {
        var core = new AccumulateCore(new AccumulateCoreParameters { Lanes = 2 });
        var acc = new int[3];
        AccumulateCounts counts = core.Accumulate(new[] { 0, 3 }, Offsets, Columns, Weights, acc);
        Assert.That(acc, Is.EqualTo(new[] { 6, 2, 1 }));
        Assert.That(counts, Is.EqualTo(new AccumulateCounts(Events: 5, WeightReads: 5, Cycles: 3)));
        Assert.That(core.Count(new[] { 0, 3 }, Offsets), Is.EqualTo(counts));
    }

    [Test]
    public void SilenceCostsNothing()
    {
        var core = new AccumulateCore(new AccumulateCoreParameters());
        Assert.That(core.Count(ReadOnlySpan<int>.Empty, Offsets), Is.EqualTo(new AccumulateCounts(0, 0, 0)));
        Assert.That(core.Count(new[] { 1 }, Offsets), Is.EqualTo(new AccumulateCounts(0, 0, 0)), "an empty row");
    }

    [Test]
    public void MatchesDenseReferenceOnRandomSparseMatrices()
    {
        var rng = new Random(99);
        var core = new AccumulateCore(new AccumulateCoreParameters { Lanes = 16 });
        for (int trial = 0; trial < 20; trial++)
        {
            int inputs = rng.Next(1, 60), outputs = rng.Next(1, 40);
            var dense = new int[inputs, outputs];
            var offsets = new List<int> { 0 };
            var cols = new List<int>();
            var ws = new List<int>();
            for (int r = 0; r < inputs; r++)
            {
                for (int c = 0; c < outputs; c++)
                {
                    if (rng.NextDouble() < 0.2)
                    {
                        int w = rng.Next(-128, 128);
                        dense[r, c] = w;
                        cols.Add(c);
                        ws.Add(w);
                    }
                }
                offsets.Add(cols.Count);
            }
            int[] spikes = Enumerable.Range(0, inputs).Where(_ => rng.NextDouble() < 0.3).ToArray();
            var acc = new int[outputs];
            AccumulateCounts counts = core.Accumulate(spikes, offsets.ToArray(), cols.ToArray(), ws.ToArray(), acc);
            long expectedEvents = 0;
            for (int c = 0; c < outputs; c++)
            {
                int sum = spikes.Sum(r => dense[r, c]);
                Assert.That(acc[c], Is.EqualTo(sum));
            }
            foreach (int r in spikes)
            {
                expectedEvents += offsets[r + 1] - offsets[r];
            }
            Assert.That(counts.Events, Is.EqualTo(expectedEvents));
            Assert.That(counts.Cycles, Is.EqualTo((expectedEvents + 15) / 16));
        }
    }

    [Test]
    public void AccumulatorsSaturate()
    {
        var core = new AccumulateCore(new AccumulateCoreParameters { AccumulatorBits = 8 });
        var acc = new[] { 120, -120, 0 };
        core.Accumulate(new[] { 0, 3 }, Offsets, Columns, [50, -3, 7, 50, -200, 4], acc);
        Assert.That(acc, Is.EqualTo(new[] { 127, -128, 1 }));
    }

    [Test]
    public void EnergyPerActionFollowsTheParameters()
    {
        var core = new AccumulateCore(new AccumulateCoreParameters
        {
            AccumulatorBits = 32, WeightBits = 8, IndexBits = 8, WeightMemoryBytes = 8192, TechnologyNm = 45,
        });
        Assert.That(core.AccumulateEnergyPj, Is.EqualTo(0.1).Within(1e-12));
        Assert.That(core.WeightReadEnergyPj, Is.EqualTo(10.0 / 64 * 16).Within(1e-12));
        Assert.That(core.DefaultCosts().Select(c => c.Key),
            Is.EqualTo(new[] { "accumulate_core.accumulate", "accumulate_core.mac", "accumulate_core.weight_read" }));
        var mac = core.DefaultCosts().Single(c => c.Action == AccumulateCore.MacAction);
        Assert.That(mac.EnergyPj, Is.EqualTo(ArithmeticEnergy.MultiplyPj(core.Parameters.WeightBits, core.Parameters.TechnologyNm) + core.AccumulateEnergyPj).Within(1e-12));
    }

    [Test]
    public void BadIndicesAreRejected()
    {
        var core = new AccumulateCore(new AccumulateCoreParameters());
        Assert.Throws<ArgumentOutOfRangeException>(() => core.Count(new[] { 4 }, Offsets));
        Assert.Throws<ArgumentOutOfRangeException>(() => core.Count(new[] { 0 }, ReadOnlySpan<int>.Empty));
        Assert.Throws<ArgumentOutOfRangeException>(() => core.Accumulate(new[] { 0 }, Offsets, Columns, Weights, new int[2]));
        var e = Assert.Throws<ArgumentException>(() => new AccumulateCore(new AccumulateCoreParameters { WeightBits = 0 }));
        Assert.That(e!.Message, Does.Contain("WeightBits"));
    }
}
