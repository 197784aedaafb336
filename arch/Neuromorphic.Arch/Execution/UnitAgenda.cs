using System.Runtime.CompilerServices;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// A component's own queue of timed work items, ordered by (cycle, posting order): a binary min-heap
/// of structs that grows by doubling and does not allocate after warm-up, and in front of it one slot for
/// an item earlier than all of the heap's (a packet's next hop on a quiet route is usually that item: it
/// goes in and out without a sift).
/// </summary>
internal sealed class UnitAgenda
{
    private struct Item
    {
        public long Cycle, Sequence;
        public int Kind, Payload;
    }

    private Item[] _items = new Item[64];
    private int _heap;         // items in the heap
    private Item _first;       // when _hasFirst: before every item of the heap
    private bool _hasFirst;
    private long _next;

    public int Count => _heap + (_hasFirst ? 1 : 0);

    /// <summary>Cycle of the earliest item (valid when <see cref="Count"/> &gt; 0).</summary>
    public long MinCycle => _hasFirst ? _first.Cycle : _items[0].Cycle;

    public void Post(long cycle, int kind, int payload)
    {
        var item = new Item { Cycle = cycle, Sequence = _next++, Kind = kind, Payload = payload };
        if (!_hasFirst)
        {
            // Later sequence than all: first only if strictly earlier than the heap's earliest cycle.
            if (_heap == 0 || cycle < _items[0].Cycle) { (_first, _hasFirst) = (item, true); return; }
            Push(item);
            return;
        }
        if (Before(in item, in _first))
        {
            Push(_first);
            _first = item;
            return;
        }
        Push(item);
    }

    private void Push(Item item)
    {
        if (_heap == _items.Length) Array.Resize(ref _items, _heap * 2);
        var items = _items;
        var i = _heap++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Before(in item, in items[parent])) break;
            items[i] = items[parent];
            i = parent;
        }
        items[i] = item;
    }

    /// <summary>Removes the earliest item.</summary>
    public (long Cycle, int Kind, int Payload) Pop()
    {
        if (_hasFirst)
        {
            _hasFirst = false;
            return (_first.Cycle, _first.Kind, _first.Payload);
        }
        var items = _items;
        var top = (items[0].Cycle, items[0].Kind, items[0].Payload);
        var last = --_heap;
        if (last > 0)
        {
            var moved = items[last];
            var i = 0;
            while (true)
            {
                var child = 2 * i + 1;
                if (child >= last) break;
                if (child + 1 < last && Before(in items[child + 1], in items[child])) child++;
                if (!Before(in items[child], in moved)) break;
                items[i] = items[child];
                i = child;
            }
            items[i] = moved;
        }
        return top;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Before(in Item a, in Item b) => a.Cycle < b.Cycle || a.Cycle == b.Cycle && a.Sequence < b.Sequence;
}
