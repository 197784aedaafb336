using CsCheck;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Kernel;

[TestFixture]
public sealed class EventQueueTests
{
    // Small wheels force most generated events beyond the window (into the heap) and many migrations;
    // the default size checks the common configuration.
    private static readonly int[] WheelSizes = [1, 16, 64, 1024];

    [Test]
    public void EqualCyclesPopInInsertionOrder()
    {
        var q = new EventQueue(16);
        for (int i = 0; i < 100; i++)
        {
            q.Push(new SimEvent(7, i, 0, 0, i));
        }
        for (int i = 0; i < 100; i++)
        {
            Assert.That(q.TryPop(out SimEvent ev), Is.True);
            Assert.That(ev.Payload, Is.EqualTo(i));
        }
        Assert.That(q.TryPop(out _), Is.False);
    }

    [Test]
    public void OutOfOrderSequencesAtOneCycleAreSortedBySequence()
    {
        var q = new EventQueue(16);
        q.Push(new SimEvent(5, 3, 0, 0, 0));
        q.Push(new SimEvent(5, 1, 0, 0, 0));
        q.Push(new SimEvent(5, 2, 0, 0, 0));
        q.Push(new SimEvent(500, 0, 0, 0, 0)); // far, smaller sequence than the near ones
        var seqs = new List<long>();
        while (q.TryPop(out SimEvent ev))
        {
            seqs.Add(ev.Sequence);
        }
        Assert.That(seqs, Is.EqualTo(new long[] { 1, 2, 3, 0 }));
    }

    [Test]
    public void PushAllThenPopAllMatchesStableSortByCycle([ValueSource(nameof(WheelSizes))] int wheelSize)
    {
        Gen.Int[0, 100000].Array[0, 500].Sample(cycles =>
        {
            var q = new EventQueue(wheelSize);
            var pushed = new List<SimEvent>(cycles.Length);
            for (int i = 0; i < cycles.Length; i++)
            {
                // Fold some values into a few cycles so that ties are common, keep others far apart.
                long cycle = (cycles[i] & 1) == 0 ? cycles[i] % 37 : cycles[i];
                var ev = new SimEvent(cycle, i, i % 3, i % 5, i);
                pushed.Add(ev);
                q.Push(ev);
            }
            Assert.That(q.Count, Is.EqualTo(cycles.Length));

            var popped = new List<SimEvent>(cycles.Length);
            while (q.TryPeekCycle(out long peek))
            {
                Assert.That(q.TryPop(out SimEvent ev), Is.True);
                Assert.That(ev.Cycle, Is.EqualTo(peek));
                popped.Add(ev);
            }
            // LINQ OrderBy is a stable sort, and Sequence = insertion index.
            Assert.That(popped, Is.EqualTo(pushed.OrderBy(e => e.Cycle).ToList()));
            Assert.That(q.Count, Is.Zero);
        });
    }

    [Test]
    public void InterleavedPushesAndPopsMatchAStableSortedModel([ValueSource(nameof(WheelSizes))] int wheelSize)
    {
        Gen.Int[0, 100000].Array[0, 500].Sample(ops =>
        {
            var q = new EventQueue(wheelSize);
            var model = new List<SimEvent>(); // pending events in insertion order
            long now = 0;
            long seq = 0;
            foreach (int op in ops)
            {
                if (op % 4 == 0)
                {
                    PopAndCompare(q, model, ref now);
                    continue;
                }
                // Delays relative to the last popped cycle: short (including 0, the same cycle), straddling the
                // wheel window (so later pops move the window onto far events), and very far.
                long delay = (op % 4) switch
                {
                    1 => (op / 4) % 8,
                    2 => (op / 4) % (3 * wheelSize),
                    _ => op / 4,
                };
                var ev = new SimEvent(now + delay, seq++, 0, 0, op);
                q.Push(ev);
                model.Add(ev);
                Assert.That(q.Count, Is.EqualTo(model.Count));
            }
            while (model.Count > 0)
            {
                PopAndCompare(q, model, ref now);
            }
            Assert.That(q.TryPop(out _), Is.False);
        });
    }

    [Test]
    public void PushBeforeLastPoppedCycleThrows()
    {
        var q = new EventQueue(16);
        q.Push(new SimEvent(10, 0, 0, 0, 0));
        q.Push(new SimEvent(100, 1, 0, 0, 0));
        Assert.That(q.TryPop(out _), Is.True);
        Assert.That(() => q.Push(new SimEvent(9, 2, 0, 0, 0)), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => q.Push(new SimEvent(10, 2, 0, 0, 0)), Throws.Nothing);
        Assert.That(() => q.Push(new SimEvent(-1, 3, 0, 0, 0)), Throws.TypeOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public void FarEventMigratesAheadOfLaterPushAtSameCycle()
    {
        // A at 40 is far when pushed (window [0,16)). Popping X at 10 and then Y at 25 moves the window to
        // [25,41), which covers 40; B at 40 is pushed then. A was pushed first, so it must come out first.
        var q = new EventQueue(16);
        q.Push(new SimEvent(10, 0, 0, 0, 'X'));
        q.Push(new SimEvent(40, 1, 0, 0, 'A'));
        Assert.That(q.TryPop(out SimEvent x), Is.True);
        Assert.That(x.Payload, Is.EqualTo('X'));
        q.Push(new SimEvent(25, 2, 0, 0, 'Y'));
        Assert.That(q.TryPop(out SimEvent y), Is.True);
        Assert.That(y.Payload, Is.EqualTo('Y'));
        q.Push(new SimEvent(40, 3, 0, 0, 'B'));
        Assert.That(q.TryPop(out SimEvent first), Is.True);
        Assert.That(q.TryPop(out SimEvent second), Is.True);
        Assert.That((first.Payload, second.Payload), Is.EqualTo(((long)'A', (long)'B')));
    }

    [Test]
    public void ClearEmptiesAndResetsTime()
    {
        var q = new EventQueue(16);
        q.Push(new SimEvent(3, 0, 0, 0, 0));
        q.Push(new SimEvent(300, 1, 0, 0, 0));
        Assert.That(q.TryPop(out _), Is.True);
        q.Clear();
        Assert.That(q.Count, Is.Zero);
        Assert.That(q.TryPeekCycle(out _), Is.False);
        q.Push(new SimEvent(0, 0, 0, 0, 42));
        Assert.That(q.TryPop(out SimEvent ev), Is.True);
        Assert.That(ev.Payload, Is.EqualTo(42));
    }

    [TestCase(0)]
    [TestCase(-4)]
    [TestCase(1000)]
    public void WheelSizeMustBeAPowerOfTwo(int size) =>
        Assert.That(() => new EventQueue(size), Throws.TypeOf<ArgumentOutOfRangeException>());

    private static void PopAndCompare(EventQueue q, List<SimEvent> model, ref long now)
    {
        if (model.Count == 0)
        {
            Assert.That(q.TryPop(out _), Is.False);
            return;
        }
        // The first minimum-cycle event in insertion order is what a stable sort puts first.
        int best = 0;
        for (int i = 1; i < model.Count; i++)
        {
            if (model[i].Cycle < model[best].Cycle)
            {
                best = i;
            }
        }
        SimEvent expected = model[best];
        model.RemoveAt(best);
        Assert.That(q.TryPeekCycle(out long peek), Is.True);
        Assert.That(peek, Is.EqualTo(expected.Cycle));
        Assert.That(q.TryPop(out SimEvent actual), Is.True);
        Assert.That(actual, Is.EqualTo(expected));
        now = actual.Cycle;
    }
}
