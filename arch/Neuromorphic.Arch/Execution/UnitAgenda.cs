namespace Neuromorphic.Arch.Execution;

/// <summary>
/// A component's own queue of timed work items, ordered by (cycle, posting order): a binary min-heap
/// over parallel arrays that grows by doubling and does not allocate after warm-up.
/// </summary>
internal sealed class UnitAgenda
{
    private long[] _cycle = new long[64], _sequence = new long[64];
    private int[] _kind = new int[64], _payload = new int[64];
    private long _next;

    public int Count { get; private set; }

    /// <summary>Cycle of the earliest item (valid when <see cref="Count"/> &gt; 0).</summary>
    public long MinCycle => _cycle[0];

    public void Post(long cycle, int kind, int payload)
    {
        if (Count == _cycle.Length)
        {
            var n = Count * 2;
            Array.Resize(ref _cycle, n);
            Array.Resize(ref _sequence, n);
            Array.Resize(ref _kind, n);
            Array.Resize(ref _payload, n);
        }
        var sequence = _next++;
        var i = Count++;
        while (i > 0)
        {
            var parent = (i - 1) >> 1;
            if (!Before(cycle, sequence, parent)) break;
            Move(parent, i);
            i = parent;
        }
        Set(i, cycle, sequence, kind, payload);
    }

    /// <summary>Removes the earliest item.</summary>
    public (long Cycle, int Kind, int Payload) Pop()
    {
        var top = (_cycle[0], _kind[0], _payload[0]);
        var last = --Count;
        if (last > 0)
        {
            long c = _cycle[last], s = _sequence[last];
            int k = _kind[last], p = _payload[last];
            var i = 0;
            while (true)
            {
                var child = 2 * i + 1;
                if (child >= last) break;
                if (child + 1 < last && Less(child + 1, child)) child++;
                if (!Before(_cycle[child], _sequence[child], i, c, s)) break;
                Move(child, i);
                i = child;
            }
            Set(i, c, s, k, p);
        }
        return top;
    }

    private bool Before(long cycle, long sequence, int j) => cycle < _cycle[j] || cycle == _cycle[j] && sequence < _sequence[j];

    // Whether the item at (cycle, sequence) goes before (c, s); the index is unused but keeps call sites readable.
    private static bool Before(long cycle, long sequence, int _, long c, long s) => cycle < c || cycle == c && sequence < s;

    private bool Less(int a, int b) => _cycle[a] < _cycle[b] || _cycle[a] == _cycle[b] && _sequence[a] < _sequence[b];

    private void Move(int from, int to) => Set(to, _cycle[from], _sequence[from], _kind[from], _payload[from]);

    private void Set(int i, long cycle, long sequence, int kind, int payload) =>
        (_cycle[i], _sequence[i], _kind[i], _payload[i]) = (cycle, sequence, kind, payload);
}
