using System.Numerics;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// A component's own queue of timed work items, ordered by (cycle, posting order), for items never
/// posted before the last one handed out (as the NoC posts them). A calendar: a ring of one bucket
/// per cycle over a window that starts at the last cycle handed out, each bucket a FIFO of items
/// (a linked list through pooled slots), and a bitmap of the non-empty buckets; items beyond the
/// window wait in a heap and enter their buckets as the window reaches them. So posting and taking
/// an item cost a few array writes, not a sift, and nothing allocates after warm-up.
/// </summary>
internal sealed class UnitAgenda
{
    private const int WheelBits = 12, Wheel = 1 << WheelBits, Mask = Wheel - 1;

    // Pooled item slots.
    private long[] _cycle = new long[64];
    private int[] _kind = new int[64], _payload = new int[64], _next = new int[64];
    private int _freeSlot = -1, _slots;

    private readonly int[] _head = new int[Wheel], _tail = new int[Wheel];
    private readonly ulong[] _occupied = new ulong[Wheel / 64];
    private int _wheelCount;
    private long _base;        // the window: [_base, _base + Wheel); the last cycle handed out
    private int _minBucket = -1; // the earliest non-empty bucket, when known

    // Items beyond the window, by (cycle, posting order).
    private readonly PriorityQueue<int, (long Cycle, long Sequence)> _far = new();
    private long _sequence;
    private int _farCount;

    public int Count => _wheelCount + _farCount;

    /// <summary>Cycle of the earliest item (valid when <see cref="Count"/> &gt; 0).</summary>
    public long MinCycle => TryPeek(out var cycle) ? cycle : 0;

    /// <summary>The earliest item's cycle, if there is one.</summary>
    public bool TryPeek(out long cycle)
    {
        if (_wheelCount > 0)
        {
            if (_minBucket < 0) _minBucket = NextOccupiedBucket();
            cycle = _cycle[_head[_minBucket]];
            return true;
        }
        if (_farCount > 0 && _far.TryPeek(out _, out var key))
        {
            cycle = key.Cycle;
            return true;
        }
        cycle = 0;
        return false;
    }

    public void Post(long cycle, int kind, int payload)
    {
        if (cycle < _base) throw new InvalidOperationException($"an item at cycle {cycle} posted after cycle {_base} was handed out");
        var slot = Allocate();
        (_cycle[slot], _kind[slot], _payload[slot]) = (cycle, kind, payload);
        if (cycle - _base >= Wheel) { _far.Enqueue(slot, (cycle, _sequence++)); _farCount++; return; }
        Append(slot, cycle);
    }

    private void Append(int slot, long cycle)
    {
        var b = (int)(cycle & Mask);
        _next[slot] = -1;
        if ((_occupied[b >> 6] & (1UL << (b & 63))) == 0)
        {
            _head[b] = slot;
            _occupied[b >> 6] |= 1UL << (b & 63);
            if (_minBucket >= 0 && cycle < _cycle[_head[_minBucket]]) _minBucket = b;
        }
        else _next[_tail[b]] = slot;
        _tail[b] = slot;
        _wheelCount++;
    }

    /// <summary>Removes the earliest item.</summary>
    public (long Cycle, int Kind, int Payload) Pop()
    {
        Pop(out var kind, out var payload);
        return (_base, kind, payload);
    }

    /// <summary>Removes the earliest item (its cycle becomes the window's start).</summary>
    public void Pop(out int kind, out int payload)
    {
        if (_wheelCount == 0)
        {
            // Jump the window to the earliest far item.
            _base = _far.TryPeek(out _, out var key) ? key.Cycle : throw new InvalidOperationException("the agenda is empty");
            Migrate();
        }
        var b = _minBucket >= 0 ? _minBucket : NextOccupiedBucket();
        var slot = _head[b];
        var next = _next[slot];
        if (next < 0)
        {
            _occupied[b >> 6] &= ~(1UL << (b & 63));
            _minBucket = -1;
        }
        else
        {
            _head[b] = next;
            _minBucket = b;
        }
        _wheelCount--;
        var cycle = _cycle[slot];
        (kind, payload) = (_kind[slot], _payload[slot]);
        _next[slot] = _freeSlot;
        _freeSlot = slot;
        if (cycle != _base)
        {
            _base = cycle;
            // Far items now inside the window enter their buckets before anything is posted there.
            if (_farCount > 0) Migrate();
        }
    }

    private void Migrate()
    {
        while (_far.TryPeek(out var slot, out var key) && key.Cycle - _base < Wheel)
        {
            _far.Dequeue();
            _farCount--;
            Append(slot, key.Cycle);
        }
    }

    private int Allocate()
    {
        if (_freeSlot >= 0)
        {
            var s = _freeSlot;
            _freeSlot = _next[s];
            return s;
        }
        if (_slots == _cycle.Length)
        {
            var n = _slots * 2;
            Array.Resize(ref _cycle, n);
            Array.Resize(ref _kind, n);
            Array.Resize(ref _payload, n);
            Array.Resize(ref _next, n);
        }
        return _slots++;
    }

    /// <summary>First non-empty bucket in window order from the bucket of <see cref="_base"/> (the wheel is not empty).</summary>
    private int NextOccupiedBucket()
    {
        var start = (int)(_base & Mask);
        var w = start >> 6;
        var word = _occupied[w] & (ulong.MaxValue << (start & 63));
        for (var i = 0; i <= _occupied.Length; i++)
        {
            if (word != 0) return (w << 6) + BitOperations.TrailingZeroCount(word);
            w = w + 1 == _occupied.Length ? 0 : w + 1;
            word = _occupied[w];
        }
        throw new InvalidOperationException("the agenda's count and bitmap disagree");
    }
}
