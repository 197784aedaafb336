using CsCheck;
using Neuromorphic.Arch.Execution;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>The handover between the function pass's thread and the kernel's (<see cref="StepProgress"/>), as a bounded ring.</summary>
public class StepProgressTests
{
    /// <summary>
    /// A producer writes items into a ring of <paramref name="capacity"/> slots, advancing "produced" after each; a consumer
    /// waits for each item, reads it, and advances "consumed". Each side pauses at random (spins, yields, sleeps), so the
    /// two wait on each other in every way. Returns the items read, and the most items ever produced and not consumed.
    /// </summary>
    private static (long[] Read, long MaxInFlight) Handover(int capacity, int items, int[] producerPauses, int[] consumerPauses)
    {
        var (produced, consumed) = (new StepProgress(), new StepProgress());
        var ring = new long[capacity];
        var read = new long[items];
        long maxInFlight = 0;
        var producer = new Thread(() =>
        {
            for (var k = 0; k < items; k++)
            {
                var wanted = k - capacity + 1;
                if (!consumed.WaitFor(wanted, wanted + capacity / 2)) return;
                Pause(producerPauses[k % producerPauses.Length]);
                ring[k % capacity] = 1000L * k + 7;
                produced.Advance(k + 1);
            }
        });
        producer.Start();
        // The consumer on a task of its own too, so a lost wake-up fails the test instead of hanging the suite.
        var consumer = Task.Run(() =>
        {
            for (var k = 0; k < items; k++)
            {
                if (!produced.WaitFor(k + 1, Math.Min(k + 1 + capacity / 4, items))) break;
                maxInFlight = Math.Max(maxInFlight, produced.Value - consumed.Value);
                Pause(consumerPauses[k % consumerPauses.Length]);
                read[k] = ring[k % capacity];
                consumed.Advance(k + 1);
            }
        });
        if (!consumer.Wait(TimeSpan.FromSeconds(30)))
        {
            produced.Abort();
            consumed.Abort();
            throw new TimeoutException("the consumer hangs");
        }
        if (!producer.Join(TimeSpan.FromSeconds(30))) throw new TimeoutException("the producer hangs");
        return (read, maxInFlight);
    }

    private static void Pause(int kind)
    {
        switch (kind)
        {
            case 1: Thread.SpinWait(200); break;
            case 2: Thread.Yield(); break;
            case 3: Thread.Sleep(1); break;
        }
    }

    [Test]
    public void Items_come_out_in_order_none_lost_and_the_ring_stays_bounded()
    {
        var pauses = Gen.Int[0, 3].Array[1, 8];
        Gen.Select(Gen.Int[1, 16], Gen.Int[0, 300], pauses, pauses).Sample((capacity, items, p, c) =>
        {
            var (read, maxInFlight) = Handover(capacity, items, p, c);
            for (var k = 0; k < items; k++) if (read[k] != 1000L * k + 7) return false;
            return maxInFlight <= capacity;
        }, iter: 60, threads: 1);
    }

    [Test]
    public void An_abort_wakes_a_sleeping_waiter()
    {
        var progress = new StepProgress();
        var waiter = Task.Run(() => progress.WaitFor(1, 10));
        Thread.Sleep(50);
        progress.Abort();
        Assert.That(waiter.Wait(TimeSpan.FromSeconds(10)), "the waiter must wake");
        Assert.That(waiter.Result, Is.False);
        progress.Rearm();
        progress.Advance(3);
        Assert.That(progress.WaitFor(3, 3), Is.True);
    }

    [Test]
    public void A_sleeping_waiter_wakes_when_the_count_reaches_its_target()
    {
        var progress = new StepProgress();
        var waiter = Task.Run(() => progress.WaitFor(1, 4));
        for (var k = 1; k <= 4; k++)
        {
            Thread.Sleep(5);
            progress.Advance(k);
        }
        Assert.That(waiter.Wait(TimeSpan.FromSeconds(10)), "the waiter must wake");
        Assert.That(waiter.Result, Is.True);
    }
}
