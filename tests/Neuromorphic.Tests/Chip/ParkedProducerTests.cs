using Neuromorphic.Arch.Execution;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>The chip executor's producer thread (<see cref="ParkedProducer"/>): one thread for many jobs, parked between them.</summary>
public class ParkedProducerTests
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(1);

    [Test]
    public void One_background_thread_runs_every_job_in_turn_and_the_caller_sees_what_it_wrote()
    {
        var threads = new List<Thread>();
        var written = new long[1000];
        var caller = Environment.CurrentManagedThreadId;
        var producer = new ParkedProducer(k =>
        {
            threads.Add(Thread.CurrentThread);
            // Plain writes: Wait must make them visible to the caller.
            for (var i = 0; i < written.Length; i++) written[i] = 1000L * k + i;
        }, "test producer", Long);
        for (var k = 0; k < 200; k++)
        {
            producer.Run(k);
            Assert.That(producer.Wait(), Is.Null);
            Assert.That(written[0], Is.EqualTo(1000L * k));
            Assert.That(written[^1], Is.EqualTo(1000L * k + written.Length - 1));
        }
        Assert.That(producer.ThreadsStarted, Is.EqualTo(1));
        Assert.That(threads.Distinct().Count(), Is.EqualTo(1));
        Assert.That(threads[0].ManagedThreadId, Is.Not.EqualTo(caller));
        // It never keeps the process alive.
        Assert.That(threads[0].IsBackground);
        producer.Stop();
        Assert.That(threads[0].Join(TimeSpan.FromSeconds(30)), "a stopped producer's thread ends");
    }

    private static readonly AsyncLocal<int> CallerValue = new();

    [Test]
    public void The_thread_carries_no_callers_execution_context()
    {
        // The thread is started by the first Run and serves later ones: had it captured the first caller's context, every
        // job would see that caller's AsyncLocals, stale for the later callers.
        var seen = new List<int>();
        var producer = new ParkedProducer(_ => seen.Add(CallerValue.Value), "test producer", Long);
        foreach (var value in new[] { 42, 7 })
        {
            CallerValue.Value = value;
            producer.Run(0);
            Assert.That(producer.Wait(), Is.Null);
        }
        CallerValue.Value = 0;
        producer.Stop();
        Assert.That(producer.ThreadsStarted, Is.EqualTo(1));
        Assert.That(seen, Is.EqualTo(new[] { 0, 0 }));
    }

    [Test]
    public void A_failed_job_is_returned_to_the_caller_and_the_thread_goes_on()
    {
        var producer = new ParkedProducer(k =>
        {
            if (k == 1) throw new InvalidDataException("job 1 failed");
        }, "test producer", Long);
        producer.Run(0);
        Assert.That(producer.Wait(), Is.Null);
        producer.Run(1);
        var failure = producer.Wait();
        Assert.That(failure?.SourceException, Is.TypeOf<InvalidDataException>().With.Message.EqualTo("job 1 failed"));
        // Returned once: the next job's result is its own.
        producer.Run(2);
        Assert.That(producer.Wait(), Is.Null);
        Assert.That(producer.ThreadsStarted, Is.EqualTo(1));
        producer.Stop();
    }

    [Test]
    public void A_thread_idle_past_the_timeout_ends_and_the_next_job_starts_another()
    {
        Thread? first = null, second = null;
        var producer = new ParkedProducer(_ =>
        {
            if (first is null) first = Thread.CurrentThread;
            else second = Thread.CurrentThread;
        }, "test producer", TimeSpan.FromMilliseconds(20));
        producer.Run(0);
        Assert.That(producer.Wait(), Is.Null);
        // Dropped without Stop (an executor nobody finishes): its thread does not park forever.
        Assert.That(first!.Join(TimeSpan.FromSeconds(30)), "an idle producer's thread ends");
        producer.Run(1);
        Assert.That(producer.Wait(), Is.Null);
        Assert.That(producer.ThreadsStarted, Is.EqualTo(2));
        Assert.That(second, Is.Not.Null.And.Not.SameAs(first));
        producer.Stop();
    }

    [Test]
    public void A_job_after_a_stop_runs_on_a_new_or_the_same_thread()
    {
        var runs = 0;
        var producer = new ParkedProducer(_ => runs++, "test producer", Long);
        for (var k = 0; k < 50; k++)
        {
            // Stop and Run race with the thread's ending: every job still runs, once.
            producer.Run(k);
            Assert.That(producer.Wait(), Is.Null);
            producer.Stop();
        }
        Assert.That(runs, Is.EqualTo(50));
        Assert.That(producer.ThreadsStarted, Is.InRange(1, 50));
    }

    [Test]
    public void A_second_job_before_the_first_is_waited_for_is_refused()
    {
        using var release = new ManualResetEventSlim();
        var producer = new ParkedProducer(_ => release.Wait(), "test producer", Long);
        producer.Run(0);
        Assert.That(() => producer.Run(1), Throws.InvalidOperationException);
        release.Set();
        Assert.That(producer.Wait(), Is.Null);
        producer.Stop();
    }
}
