namespace Neuromorphic.Sim.Kernel;

/// <summary>
/// Binary min-heap of <see cref="SimEvent"/> ordered by (Cycle, Sequence), stored in a struct array.
/// Holds the events beyond the timing wheel's window; the array grows by doubling and is never shrunk,
/// so steady-state pushes and pops do not allocate.
/// </summary>
internal sealed class EventHeap
{
    private SimEvent[] _items = new SimEvent[16];

    /// <summary>Number of events in the heap.</summary>
    public int Count { get; private set; }

    /// <summary>The earliest event; only valid when <see cref="Count"/> &gt; 0.</summary>
    public ref readonly SimEvent Peek() => ref _items[0];

    /// <summary>Adds an event.</summary>
    public void Push(in SimEvent ev)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }
        SimEvent[] items = _items;
        int i = Count++;
        // Sift up by moving parents down into the hole; the new event is written once at the end.
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!SimEvent.Precedes(in ev, in items[parent]))
            {
                break;
            }
            items[i] = items[parent];
            i = parent;
        }
        items[i] = ev;
    }

    /// <summary>Removes and returns the earliest event; only valid when <see cref="Count"/> &gt; 0.</summary>
    public SimEvent Pop()
    {
        SimEvent[] items = _items;
        SimEvent top = items[0];
        int n = --Count;
        if (n > 0)
        {
            SimEvent last = items[n];
            int i = 0;
            while (true)
            {
                int child = (2 * i) + 1;
                if (child >= n)
                {
                    break;
                }
                if (child + 1 < n && SimEvent.Precedes(in items[child + 1], in items[child]))
                {
                    child++;
                }
                if (!SimEvent.Precedes(in items[child], in last))
                {
                    break;
                }
                items[i] = items[child];
                i = child;
            }
            items[i] = last;
        }
        return top;
    }

    /// <summary>Removes all events, keeping the buffer.</summary>
    public void Clear() => Count = 0;
}
