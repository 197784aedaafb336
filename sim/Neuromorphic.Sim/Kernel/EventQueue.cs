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
/// already (Sequence) order and the insertion step in <see cref="Push"/> never has to walk the bucket.
/// </para>
/// <para>
/// A bucket is a list threaded through pooled nodes (an array of structs: the event and the next node), so a
/// push or pop writes a few array slots and no object references: nothing to rent or return per bucket, no GC
/// write barrier. The node array grows by doubling and is reused: after warm-up, <see cref="Push"/> and
/// <see cref="TryPop"/> do not allocate. Not thread-safe.
/// </para>
/// </remarks>
public sealed class EventQueue
{
    /// <summary>Largest accepted wheel size; beyond this the per-bucket bookkeeping costs more than the heap saves.</summary>
    public const int MaxWheelSizeCycles = 1 << 20;

    private const int None = -1;

    private struct Node
    {
        public SimEvent Event;
        public int Next;
    }

    private readonly int _wheelSize;
    private readonly int _wheelMask;

    // Bucket b's list: first and last node (valid while b's bit is set in _occupied).
    private readonly int[] _first;
    private readonly int[] _last;

    // Bit b set <=> bucket b is non-empty; lets TryPop skip 64 empty cycles per word.
    private readonly ulong[] _occupied;

    private readonly EventHeap _far = new();

    // Pooled nodes: the free ones form a list through Next.
    private Node[] _nodes = new Node[64];
    private int _free = None;
    private int _used;
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
        _first = new int[wheelSizeCycles];
        _last = new int[wheelSizeCycles];
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
        int node = _first[b];
        Node[] nodes = _nodes;
        ref Node taken = ref nodes[node];
        ev = taken.Event;
        int next = taken.Next;
        taken.Next = _free;
        _free = node;
        _wheelCount--;
        if (next == None)
        {
            _occupied[b >> 6] &= ~(1UL << (b & 63));
            if (_wheelCount > 0)
            {
                // Every pending event is at or after the popped one, so the scan from the window's start finds the next.
                _minBucket = NextOccupiedBucket();
                _minCycle = nodes[_first[_minBucket]].Event.Cycle;
            }
        }
        else
        {
            _first[b] = next;
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
            sequence = _nodes[_first[_minBucket]].Event.Sequence;
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

    /// <summary>Removes all events and resets the queue's time to cycle 0; the node pool is kept for reuse.</summary>
    public void Clear()
    {
        Array.Clear(_occupied);
        _far.Clear();
        _free = None;
        _used = 0;
        _wheelCount = 0;
        _base = 0;
    }

    private void PushNear(in SimEvent ev)
    {
        int b = (int)(ev.Cycle & _wheelMask);
        int node = Allocate();
        Node[] nodes = _nodes;
        nodes[node].Event = ev;
        ref ulong word = ref _occupied[b >> 6];
        ulong bit = 1UL << (b & 63);
        if ((word & bit) == 0)
        {
            nodes[node].Next = None;
            _first[b] = node;
            _last[b] = node;
            word |= bit;
            // A new bucket: the earliest if the wheel was empty or it comes before the earliest one.
            if (_wheelCount == 0 || ev.Cycle < _minCycle)
            {
                _minBucket = b;
                _minCycle = ev.Cycle;
            }
        }
        else if (nodes[_last[b]].Event.Sequence <= ev.Sequence)
        {
            // Scheduler sequences are monotonic: the new event goes last.
            nodes[node].Next = None;
            nodes[_last[b]].Next = node;
            _last[b] = node;
        }
        else
        {
            // A caller of the raw queue pushed sequences out of order: keep the bucket sorted by Sequence.
            int previous = None;
            int at = _first[b];
            while (nodes[at].Event.Sequence <= ev.Sequence)
            {
                previous = at;
                at = nodes[at].Next;
            }
            nodes[node].Next = at;
            if (previous == None)
            {
                _first[b] = node;
            }
            else
            {
                nodes[previous].Next = node;
            }
        }
        _wheelCount++;
    }

    private int Allocate()
    {
        if (_free != None)
        {
            int node = _free;
            _free = _nodes[node].Next;
            return node;
        }
        if (_used == _nodes.Length)
        {
            Array.Resize(ref _nodes, _nodes.Length * 2);
        }
        return _used++;
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

    private void ThrowPast(long cycle) =>
        throw new ArgumentOutOfRangeException(
            "ev", cycle, $"Event cycle {cycle} is before the queue's current cycle {_base}; events cannot be scheduled in the past.");
}
