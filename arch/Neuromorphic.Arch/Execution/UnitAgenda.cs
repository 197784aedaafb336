using System.Runtime.CompilerServices;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// A component's own queue of timed work items, ordered by (cycle, posting order): a binary min-heap
/// of structs that grows by doubling and does not allocate after warm-up.
/// </summary>
internal sealed class UnitAgenda
{
    private struct Item
    {
        public long Cycle, Sequence;
        public int Kind, Payload;
    }

    private Item[] _items = new Item[64];
    private long _next;

    public int Count { get; private set; }

    /// <summary>Cycle of the earliest item (valid when <see cref="Count"/> &gt; 0).</summary>
    public long MinCycle => _items[0].Cycle;

    public void Post(long cycle, int kind, int payload)
    {
        if (Count == _items.Length) Array.Resize(ref _items, Count * 2);
        var item = new Item { Cycle = cycle, Sequence = _next++, Kind = kind, Payload = payload };
        var items = _items;
        var i = Count++;
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
        var items = _items;
        var top = (items[0].Cycle, items[0].Kind, items[0].Payload);
        var last = --Count;
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
