using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Sim.Randomness;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// The mapper programs a dense layer's blocks in parallel, each from its own named stream, and places them in order:
/// the chip is the one block-by-block programming in order gives, and a layer that cannot fit fails before any block is
/// programmed, with the chip's out-of-macros message.
/// </summary>
public sealed class ParallelProgrammingTests
{
    /// <summary><c>rram-40nm-256kb</c> with programming spread and device-to-device variation: every cell's conductance is a draw.</summary>
    private static ChipModel Noisy(int tiles = 64)
    {
        var preset = ArchitectureLoader.Load("rram-40nm-256kb");
        return new ChipModel(preset with
        {
            Macro = preset.Macro with { Device = preset.Macro.Device with { ProgrammingSigma = 0.05, DeviceToDeviceSigma = 0.05 } },
            Chip = preset.Chip with { Tiles = tiles },
        });
    }

    private static float[] Weights(int outputs, int inputs, int seed)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, outputs * inputs).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();
    }

    [Test]
    public void Each_block_holds_what_programming_it_alone_from_its_stream_gives()
    {
        const int outputs = 300, inputs = 1100;
        var chip = Noisy();
        var w = Weights(outputs, inputs, 5);
        var mapped = new Mapper(chip, 9) { Threads = 4 }.Map("fc", w, outputs, inputs);
        Assert.That(mapped.Tiles.Count, Is.GreaterThan(4), "several blocks programmed at once");
        Assert.That(mapped.Tiles.Select(t => t.Macro), Is.EqualTo(Enumerable.Range(0, mapped.Tiles.Count)), "placed in order");
        for (var b = 0; b < mapped.Tiles.Count; b++)
        {
            var t = mapped.Tiles[b];
            // The block [inputs x outputs] of the row-major [outputs x inputs] matrix, normalised by the layer's scale.
            var block = new float[t.RowCount * t.ColumnCount];
            for (var i = 0; i < t.RowCount; i++)
                for (var j = 0; j < t.ColumnCount; j++)
                    block[i * t.ColumnCount + j] = (float)(w[(t.ColumnStart + j) * inputs + t.RowStart + i] / mapped.Scale);
            var alone = CrossbarArray.Program(block, t.RowCount, t.ColumnCount, t.Array.Parameters, chip.Device,
                DeterministicRandom.ForComponent(9, $"program.fc.{b}"));
            Assert.That(t.Array.Conductances.ToArray(), Is.EqualTo(alone.Conductances.ToArray()), $"block {b}");
            Assert.That(t.Array.Stats, Is.EqualTo(alone.Stats), $"block {b}'s programming");
        }
    }

    [Test]
    public void A_layer_that_cannot_fit_fails_before_programming_and_places_nothing()
    {
        var chip = Noisy(tiles: 1);
        var mapper = new Mapper(chip, 1);
        var macros = chip.Spec.Chip.MacrosPerTile;
        // A first layer of one macro, then one that needs all of them: it asks one more than the chip has left.
        mapper.Map("first", Weights(10, 10, 1), 10, 10);
        var rows = chip.Spec.Macro.Crossbar.Rows * macros;
        var e = Assert.Throws<MappingException>(() => mapper.Map("big", Weights(10, rows, 2), 10, rows));
        Assert.That(e!.Message, Does.Contain($"more than the chip's {macros} macros (1 tiles x {macros})"));
        Assert.That(mapper.MacrosUsed, Is.EqualTo(1), "the failed layer placed nothing");
    }

    /// <summary>
    /// Counts the blocks programmed and the most at once. Each of the first blocks waits a moment for company (another block
    /// starting), so that a loop that may run blocks at once shows it even on a busy thread pool; under a limit of one
    /// thread no company can come, and the count stays 1 whatever the load.
    /// </summary>
    private sealed class Watch
    {
        private const int Waiting = 4;
        private static readonly TimeSpan Patience = TimeSpan.FromMilliseconds(50);
        private int _running, _started;

        public int Blocks => _started;

        public int MostAtOnce;

        public void Around(Action block)
        {
            var order = Interlocked.Increment(ref _started);
            var now = Interlocked.Increment(ref _running);
            if (order <= Waiting) SpinWait.SpinUntil(() => Volatile.Read(ref _running) > 1, Patience);
            lock (this) MostAtOnce = Math.Max(MostAtOnce, Math.Max(now, Volatile.Read(ref _running)));
            block();
            Interlocked.Decrement(ref _running);
        }
    }

    [Test]
    public void The_thread_limit_bounds_the_programming_loops_and_leaves_the_chip_as_it_is()
    {
        const int outputs = 300, inputs = 1100;
        var w = Weights(outputs, inputs, 6);
        var one = new Watch();
        var limited = new Mapper(Noisy(), 3) { Threads = 1, AroundBlock = one.Around }.Map("fc", w, outputs, inputs);
        var four = new Mapper(Noisy(), 3) { Threads = 4 }.Map("fc", w, outputs, inputs);
        Assert.That(one.Blocks, Is.EqualTo(limited.Tiles.Count).And.GreaterThan(4));
        Assert.That(one.MostAtOnce, Is.EqualTo(1), "--threads 1: one block at a time");
        for (var b = 0; b < four.Tiles.Count; b++)
            Assert.That(limited.Tiles[b].Array.Conductances.ToArray(), Is.EqualTo(four.Tiles[b].Array.Conductances.ToArray()), $"block {b}");
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Mapper(Noisy(), 3) { Threads = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new Mapper(Noisy(), 3) { Threads = 0 }, "0 no longer means every core: the caller says how many");
    }

    [Test]
    public void The_thread_limit_bounds_the_compacted_mapping_too()
    {
        var ideal = ChipTestData.Ideal();
        var spec = ideal with
        {
            Macro = ideal.Macro with { Device = ideal.Macro.Device with { ProgrammingSigma = 0.05 } },
            Chip = ideal.Chip with { Tiles = 1 << 12 },
            Mapping = ideal.Mapping with { WordLines = WordLineMapping.Compacted },
        };
        var weights = ChipTestData.RandomSparse(3000, 2000, 0.002, 12);
        var one = new Watch();
        var limited = new Mapper(new ChipModel(spec), 5) { Threads = 1, AroundBlock = one.Around }.MapCompacted("w", weights);
        var four = new Mapper(new ChipModel(spec), 5) { Threads = 4 }.MapCompacted("w", weights);
        Assert.That(one.Blocks, Is.GreaterThan(4), "column blocks");
        Assert.That(one.MostAtOnce, Is.EqualTo(1), "--threads 1: one block at a time");
        Assert.That(limited.Tiles, Has.Count.EqualTo(four.Tiles.Count));
        for (var k = 0; k < limited.Tiles.Count; k++)
            Assert.That(limited.Tiles[k].Array.Conductances.ToArray(), Is.EqualTo(four.Tiles[k].Array.Conductances.ToArray()), $"macro {k}");
    }
}
