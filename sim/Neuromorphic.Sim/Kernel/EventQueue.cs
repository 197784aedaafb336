using System.Numerics;

namespace Neuromorphic.Sim.Kernel;

/// <summary>
/// Priority queue of <see cref="SimEvent"/> ordered by (Cycle, Sequence).
/// </summary>
/// <remarks>
/// <para>
/// Near events live in a timing wheel: a ring of <c>wheelSizeCycles</c> buckets (a power of two), one per
/// cycle of the window <c>[last popped cycle, last popped cycle + wheelSizeCycles)</c>. Because the window is
/// never wider than the ring, a bucket only ever holds events of a single cycle, so it is a FIFO kept sorted by
/// Sequence, and the next event is found with a bitmap scan instead of a comparison-based structure.
/// </para>
/// <para>
/// Far events live in a binary min-heap and migrate into the wheel as soon as the window reaches them. The
/// migration is eager (on every advance of the window), which keeps the invariant "heap events are all beyond the
/// window"; together with the monotonic sequence numbers of the scheduler this means a bucket's FIFO order is
/// already (Sequence) order and the insertion step in <see cref="Push"/> never has to move anything.
/// </para>
/// <para>
/// Bucket storage is a ring buffer taken from a pool owned by this queue when the bucket becomes non-empty and
/// returned when it drains, so memory follows the number of simultaneously busy cycles, not the wheel size.
/// All buffers grow by doubling and are reused: after warm-up, <see cref="Push"/> and <see cref="TryPop"/> do not
/// allocate. Not thread-safe.
/// </para>
/// </remarks>
public sealed class EventQueue
{
    /// <summary>Largest accepted wheel size; beyond this the per-bucket bookkeeping costs more than the heap saves.</summary>
    public const int MaxWheelSizeCycles = 1 << 20;

    // Power of two so ring indices are masks, never divisions.
    private const int InitialBucketCapacity = 4;

    private readonly int _wheelSize;
    private readonly int _wheelMask;

    // Parallel arrays rather than an array of mutable structs: bucket b's ring buffer, head index and count.
    private readonly SimEvent[]?[] _bucketItems;
    private readonly int[] _bucketHead;
    private readonly int[] _bucketCount;

    // Bit b set <=> bucket b is non-empty; lets TryPop skip 64 empty cycles per word.
    private readonly ulong[] _occupied;

    private readonly EventHeap _far = new();

    private SimEvent[][] _pool = new SimEvent[16][];
    private int _poolCount;
    private int _wheelCount;

    // Start of the wheel window = cycle of the last popped event (0 before the first pop). Nothing earlier may
    // be pushed, so every pending event is at or after it.
    private long _base;

    // The earliest non-empty bucket and its cycle, kept up to date by every push and pop while the wheel
    // holds events, so peeking is a field read and popping scans the bitmap only when a bucket empties.
    private int _minBucket;
    private long _minCycle;

    /// <summary>Creates an empty queue.</summary>
    /// <param name="wheelSizeCycles">Width of the timing-wheel window in cycles; a power of two in [1, <see cref="MaxWheelSizeCycles"/>].</param>
    public EventQueue(int wheelSizeCycles = 1024)
    {
        if (wheelSizeCycles < 1 || wheelSizeCycles > MaxWheelSizeCycles || !BitOperations.IsPow2(wheelSizeCycles))
        {
            throw new ArgumentOutOfRangeException(
                nameof(wheelSizeCycles), wheelSizeCycles, $"Wheel size must be a power of two between 1 and {MaxWheelSizeCycles}.");
        }
        _wheelSize = wheelSizeCycles;
        _wheelMask = wheelSizeCycles - 1;
        _bucketItems = new SimEvent[]?[wheelSizeCycles];
        _bucketHead = new int[wheelSizeCycles];
        _bucketCount = new int[wheelSizeCycles];
        _occupied = new ulong[(wheelSizeCycles + 63) >> 6];
    }

    /// <summary>Number of pending events.</summary>
    public int Count => _wheelCount + _far.Count;

    /// <summary>Adds an event.</summary>
    /// <param name="ev">The event; its cycle must not be earlier than the cycle of the last popped event (0 before any pop).</param>
    /// <exception cref="ArgumentOutOfRangeException">The event lies in the past of the queue.</exception>
    public void Push(in SimEvent ev)
    {
        if (ev.Cycle < _base)
        {
            ThrowPast(ev.Cycle);
        }
        // ev.Cycle >= _base >= 0, so the difference cannot overflow.
        if (ev.Cycle - _base < _wheelSize)
        {
            PushNear(in ev);
        }
        else
        {
            _far.Push(in ev);
        }
    }

    /// <summary>Removes the earliest event by (Cycle, Sequence).</summary>
    /// <param name="ev">The removed event, or default if the queue is empty.</param>
    /// <returns>False if the queue was empty.</returns>
    public bool TryPop(out SimEvent ev)
    {
        if (_wheelCount == 0)
        {
            if (_far.Count == 0)
            {
                ev = default;
                return false;
            }
            // Jump the window straight to the earliest far event instead of walking through empty cycles.
            _base = _far.Peek().Cycle;
            MigrateFar();
        }

        int b = _minBucket;
        SimEvent[] items = _bucketItems[b]!;
        int head = _bucketHead[b];
        ev = items[head];
        int remaining = _bucketCount[b] - 1;
        _wheelCount--;
        if (remaining == 0)
        {
            _bucketItems[b] = null;
            _bucketCount[b] = 0;
            _occupied[b >> 6] &= ~(1UL << (b & 63));
            ReturnBuffer(items);
            if (_wheelCount > 0)
            {
                // Every pending event is at or after the popped one, so the scan from the window's start finds the next.
                _minBucket = NextOccupiedBucket();
                _minCycle = _bucketItems[_minBucket]![_bucketHead[_minBucket]].Cycle;
            }
        }
        else
        {
            _bucketHead[b] = (head + 1) & (items.Length - 1);
            _bucketCount[b] = remaining;
        }

        if (ev.Cycle != _base)
        {
            _base = ev.Cycle;
            // Far events now inside the window must enter their buckets before anything else is pushed there,
            // or a later push at the same cycle would overtake them.
            MigrateFar();
        }
        return true;
    }

    /// <summary>The cycle of the earliest pending event, without removing it.</summary>
    /// <param name="cycle">The earliest cycle, or 0 if the queue is empty.</param>
    /// <returns>False if the queue is empty.</returns>
    public bool TryPeekCycle(out long cycle)
    {
        if (_wheelCount > 0)
        {
            cycle = _minCycle;
            return true;
        }
        if (_far.Count > 0)
        {
            cycle = _far.Peek().Cycle;
            return true;
        }
        cycle = 0;
        return false;
    }

    /// <summary>The (cycle, sequence) of the earliest pending event, without removing it.</summary>
    /// <param name="cycle">The earliest cycle, or 0 if the queue is empty.</param>
    /// <param name="sequence">Its sequence number, or 0 if the queue is empty.</param>
    /// <returns>False if the queue is empty.</returns>
    public bool TryPeek(out long cycle, out long sequence)
    {
        if (_wheelCount > 0)
        {
            cycle = _minCycle;
            sequence = _bucketItems[_minBucket]![_bucketHead[_minBucket]].Sequence;
            return true;
        }
        if (_far.Count > 0)
        {
            ref readonly SimEvent first = ref _far.Peek();
            (cycle, sequence) = (first.Cycle, first.Sequence);
            return true;
        }
        (cycle, sequence) = (0, 0);
        return false;
    }

    /// <summary>Removes all events and resets the queue's time to cycle 0; buffers are kept for reuse.</summary>
    public void Clear()
    {
        for (int b = 0; b < _bucketItems.Length; b++)
        {
            SimEvent[]? items = _bucketItems[b];
            if (items is not null)
            {
                _bucketItems[b] = null;
                ReturnBuffer(items);
            }
            _bucketHead[b] = 0;
            _bucketCount[b] = 0;
        }
        Array.Clear(_occupied);
        _far.Clear();
        _wheelCount = 0;
        _base = 0;
    }

    private void PushNear(in SimEvent ev)
    {
        int b = (int)(ev.Cycle & _wheelMask);
        SimEvent[]? items = _bucketItems[b];
        int count = _bucketCount[b];
        if (items is null)
        {
            items = RentBuffer();
            _bucketItems[b] = items;
            _bucketHead[b] = 0;
            _occupied[b >> 6] |= 1UL << (b & 63);
            // A new bucket: the earliest if the wheel was empty or it comes before the earliest one.
            if (_wheelCount == 0 || ev.Cycle < _minCycle)
            {
                _minBucket = b;
                _minCycle = ev.Cycle;
            }
        }
        else if (count == items.Length)
        {
            items = GrowBucket(b, items, count);
        }

        int mask = items.Length - 1;
        int head = _bucketHead[b];
        // Keep the bucket sorted by Sequence. Scheduler sequences are monotonic, so the loop exits at once;
        // it only moves events when a caller of the raw queue pushes sequences out of order.
        int pos = count;
        while (pos > 0)
        {
            ref SimEvent prev = ref items[(head + pos - 1) & mask];
            if (prev.Sequence <= ev.Sequence)
            {
                break;
            }
            items[(head + pos) & mask] = prev;
            pos--;
        }
        items[(head + pos) & mask] = ev;
        _bucketCount[b] = count + 1;
        _wheelCount++;
    }

    private void MigrateFar()
    {
        while (_far.Count > 0 && _far.Peek().Cycle - _base < _wheelSize)
        {
            SimEvent ev = _far.Pop();
            PushNear(in ev);
        }
    }

    /// <summary>First non-empty bucket in window order, starting at the bucket of <see cref="_base"/>. Requires a non-empty wheel.</summary>
    private int NextOccupiedBucket()
    {
        int start = (int)(_base & _wheelMask);
        int words = _occupied.Length;
        int w = start >> 6;
        // Bits below `start` in its word belong to the far end of the window; they are seen on wrap-around.
        ulong word = _occupied[w] & (ulong.MaxValue << (start & 63));
        for (int i = 0; i <= words; i++)
        {
            if (word != 0)
            {
                return (w << 6) + BitOperations.TrailingZeroCount(word);
            }
            w = w + 1 == words ? 0 : w + 1;
            word = _occupied[w];
        }
        throw new InvalidOperationException("Timing wheel count and occupancy bitmap disagree.");
    }

    private SimEvent[] GrowBucket(int b, SimEvent[] items, int count)
    {
        var grown = new SimEvent[items.Length * 2];
        int head = _bucketHead[b];
        int firstPart = Math.Min(count, items.Length - head);
        Array.Copy(items, head, grown, 0, firstPart);
        Array.Copy(items, 0, grown, firstPart, count - firstPart);
        _bucketItems[b] = grown;
        _bucketHead[b] = 0;
        // The outgrown buffer is dropped, not pooled: pooling it would let small buffers be rented again and
        // regrown, allocating forever; dropping it means every live buffer only grows, so growth stops.
        return grown;
    }

    private SimEvent[] RentBuffer()
    {
        if (_poolCount > 0)
        {
            SimEvent[] items = _pool[--_poolCount];
            _pool[_poolCount] = null!;
            return items;
        }
        return new SimEvent[InitialBucketCapacity];
    }

    private void ReturnBuffer(SimEvent[] items)
    {
        if (_poolCount == _pool.Length)
        {
            Array.Resize(ref _pool, _pool.Length * 2);
        }
        // SimEvent holds no references, so stale contents need no clearing for the GC's sake.
        _pool[_poolCount++] = items;
    }

    private void ThrowPast(long cycle) =>
        throw new ArgumentOutOfRangeException(
            "ev", cycle, $"Event cycle {cycle} is before the queue's current cycle {_base}; events cannot be scheduled in the past.");
}
