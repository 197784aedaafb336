using BenchmarkDotNet.Attributes;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Benchmarks;

/// <summary>Where pushed events land relative to the queue's current cycle.</summary>
public enum DelayRange
{
    /// <summary>Delays in [0, wheel size): every event goes straight into the timing wheel.</summary>
    Near,

    /// <summary>Delays in [wheel size, 1024 x wheel size): every event goes through the far heap and migrates into the wheel.</summary>
    Far,
}

/// <summary>
/// The raw <see cref="EventQueue"/> (wheel of 1024 cycles): a burst of N pushes followed by N pops,
/// and the classic "hold" pattern (pop one, push one later) with N events pending.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Kernel")]
public class EventQueueBenchmarks
{
    private const int WheelSize = 1024;
    private const int HoldOperations = 4096;

    private EventQueue _burstQueue = null!;
    private EventQueue _holdQueue = null!;
    private long[] _delays = null!;
    private long _burstNow;
    private long _sequence;
    private int _holdNext;

    /// <summary>Events per burst, and events pending in the hold pattern.</summary>
    [Params(1_024, 65_536)]
    public int N { get; set; }

    /// <summary>Near (wheel) or far (heap) delays.</summary>
    [Params(DelayRange.Near, DelayRange.Far)]
    public DelayRange Delay { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var rng = DeterministicRandom.ForComponent(1, "bench.event-queue");
        // The burst uses the first N delays; the hold loop cycles through the first HoldOperations (a power of two).
        _delays = new long[Math.Max(N, HoldOperations)];
        for (var i = 0; i < _delays.Length; i++)
        {
            _delays[i] = Delay == DelayRange.Near ? rng.NextInt(WheelSize) : WheelSize + rng.NextInt(WheelSize * (WheelSize - 1));
        }

        _burstQueue = new EventQueue(WheelSize);
        _burstNow = 0;
        // Bursts up front grow the bucket and heap buffers. Pooled bucket buffers go to whichever bucket
        // fills next, so a few bursts pass before every pooled buffer is as large as the busiest bucket;
        // until then a burst may still allocate (a short, cold run can show a few bytes per operation).
        for (var burst = 0; burst < 4; burst++)
        {
            PushThenPopAll();
        }

        _holdQueue = new EventQueue(WheelSize);
        for (var i = 0; i < N; i++)
        {
            _holdQueue.Push(new SimEvent(_delays[i], _sequence++, 0, 0, 0));
        }
        _holdNext = 0;
        for (var round = 0; round < 16; round++)
        {
            Hold();
        }
    }

    /// <summary>Pushes N events at the current cycle + delay, then pops them all (time per burst of N).</summary>
    [Benchmark]
    public long PushThenPopAll()
    {
        var queue = _burstQueue;
        var now = _burstNow;
        var delays = _delays;
        var n = N;
        for (var i = 0; i < n; i++)
        {
            queue.Push(new SimEvent(now + delays[i], _sequence++, 0, 0, i));
        }
        long checksum = 0;
        while (queue.TryPop(out var ev))
        {
            checksum += ev.Payload;
            now = ev.Cycle;
        }
        _burstNow = now;
        return checksum;
    }

    /// <summary>With N events pending: pop the earliest, push one at its cycle + delay (time per pop + push).</summary>
    [Benchmark(OperationsPerInvoke = HoldOperations)]
    public long Hold()
    {
        var queue = _holdQueue;
        var delays = _delays;
        var mask = HoldOperations - 1;
        var next = _holdNext;
        long checksum = 0;
        for (var k = 0; k < HoldOperations; k++)
        {
            queue.TryPop(out var ev);
            checksum += ev.Cycle;
            queue.Push(new SimEvent(ev.Cycle + delays[next], _sequence++, 0, 0, 0));
            next = (next + 1) & mask;
        }
        _holdNext = next;
        return checksum;
    }
}
