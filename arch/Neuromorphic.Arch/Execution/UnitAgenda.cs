using System.Diagnostics;
using System.Numerics;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// A component's own queue of timed work items, ordered by (cycle, posting order), for items never
/// posted before the last one handed out (as the NoC posts them). A calendar: a ring of one bucket
/// per cycle over a window that starts at the last cycle handed out, each bucket a FIFO of items
/// (a linked list through pooled slots), and a bitmap of the non-empty buckets; items beyond the
/// window wait in a heap and enter their buckets as the window reaches them. So posting and taking
/// an item cost a few array writes, not a sift, and nothing allocates after warm-up.
/// <para>Beside the calendar, three lanes: plain FIFOs for items posted in cycle order. The first
/// (<see cref="PostInOrder"/>) takes the items of one kind the poster knows come in cycle order (the
/// NoC's hops, each one hop latency after the time it is posted at); the other two (<see cref="PostSoon"/>)
/// take any other item that comes at or after the last one their lane took (the NoC posts its
/// injections to one, its link frees and deliveries to the other: each mostly comes in order), or
/// one that lands a few items before their tail, inserted in its place (<see cref="TryInsert"/>),
/// the rest going to the calendar. Every item carries its posting number, so the earliest of the
/// lanes' heads and the calendar's is the earliest item by (cycle, posting order) whichever holds it.</para>
/// </summary>
internal sealed class UnitAgenda
{
    // A window of 1024 cycles: its buckets (8 KB) and bitmap (16 words) are small enough to stay cached between bursts.
    // The NoC posts a link's free time or a delivery up to a packet's flits x its clock ratio ahead, so a long packet's
    // items can fall beyond the window (with the NoC at 200 MHz, ratio 5: more than ~204 flits) and wait in the heap:
    // correct, only slower. Measured (session 17, a temporary counter): of the posts that reach the calendar (the lanes
    // have no window), none fell beyond it on `bench cuba --hardware rram-40nm-256kb` (2 s: 0 of 314,539; 2.33 M posts
    // in all), the default LSM run, or the Sinabs CNN on the chip (N-MNIST 60004: no calendar post at all); on CUBA with
    // 400 k neurons and compacted word lines (10 steps) 147,113 of 637,393 did (23 %; 0.79 % of all 18.7 M posts).
    private const int WheelBits = 10, Wheel = 1 << WheelBits, Mask = Wheel - 1;

    /// <summary>A pooled item: its cycle, posting number, kind and payload, and the next item of its bucket (or of the free list).</summary>
    private struct Item
    {
        public long Cycle, Sequence;
        public int Kind, Payload, Next;
    }

    /// <summary>A bucket's FIFO: first and last item (valid while its bit is set in <see cref="_occupied"/>).</summary>
    private struct Bucket
    {
        public int Head, Tail;
    }

    // One array of structs, so an item is one cache line's worth of reads, not four.
    private Item[] _items = new Item[64];
    private int _freeSlot = -1, _slots;

    private readonly Bucket[] _buckets = new Bucket[Wheel];
    private readonly ulong[] _occupied = new ulong[Wheel / 64];
    private int _wheelCount;
    private long _base;        // the window: [_base, _base + Wheel); the last cycle handed out
    private int _minBucket;    // the earliest non-empty bucket (while the wheel holds items)

    // Items beyond the window, by (cycle, posting order).
    private readonly PriorityQueue<int, (long Cycle, long Sequence)> _far = new();
    private long _sequence;
    private int _farCount;

    // The calendar's earliest item (cycle, posting number), kept up to date by every post and pop
    // (long.MaxValue when the calendar is empty), so finding the earliest item is two comparisons.
    private long _calendarCycle = long.MaxValue, _calendarSequence;

    /// <summary>A lane: a ring of items in cycle order, and its last item's cycle.</summary>
    private struct Lane
    {
        public Item[] Items;
        public int Head, Count;
        public long Tail;

        public Lane() => (Items, Tail) = (new Item[64], long.MinValue);
    }

    // The lanes: InLane's, InSoon's, InLater's.
    private Lane _lane = new(), _soon = new(), _later = new();

    // The earliest item (cycle, posting number, where) of the calendar and the second and third lanes together, kept up
    // to date by their posts and pops (long.MaxValue when all three are empty). The first lane takes most items (the
    // NoC's hops) and posts to it never change this, so finding the earliest item is one comparison against its head.
    private long _otherCycle = long.MaxValue, _otherSequence;
    private int _otherSource = InCalendar;

    /// <summary>Where the earliest item is (<see cref="TryPeek(out long, out int)"/>), and the lanes <see cref="PostSoon"/> takes.</summary>
    public const int InCalendar = 0, InLane = 1, InSoon = 2, InLater = 3;

    public int Count => _wheelCount + _farCount + _lane.Count + _soon.Count + _later.Count;

    /// <summary>The earliest item's cycle, if there is one.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool TryPeek(out long cycle) => TryPeek(out cycle, out _);

    /// <summary>
    /// The earliest item's cycle, if there is one, and where it is: <see cref="InCalendar"/> (<see cref="PopCalendar"/>),
    /// <see cref="InLane"/> (<see cref="PopLane"/>), <see cref="InSoon"/> or <see cref="InLater"/> (<see cref="PopSoon"/>).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool TryPeek(out long cycle, out int source)
    {
        // The first lane's head against the earliest of the rest: the earlier by (cycle, posting number) wins.
        cycle = _otherCycle;
        source = _otherSource;
        if (_lane.Count > 0)
        {
            ref var head = ref _lane.Items[_lane.Head];
            if (head.Cycle < cycle || head.Cycle == cycle && head.Sequence < _otherSequence) (cycle, source) = (head.Cycle, InLane);
        }
        return cycle != long.MaxValue;
    }

    /// <summary>Finds the earliest item of the calendar and the second and third lanes again, after one of them lost its earliest.</summary>
    private void UpdateOther()
    {
        var (cycle, sequence, source) = (_calendarCycle, _calendarSequence, InCalendar);
        Earlier(ref _soon, InSoon, ref cycle, ref sequence, ref source);
        Earlier(ref _later, InLater, ref cycle, ref sequence, ref source);
        (_otherCycle, _otherSequence, _otherSource) = (cycle, sequence, source);
    }

    /// <summary>
    /// An item was just posted at <paramref name="cycle"/> to <paramref name="source"/> (the calendar or the second or third
    /// lane): as it has the latest posting number, it is their earliest exactly when it comes at an earlier cycle than
    /// their earliest so far (at the same cycle, that one was posted first).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Posted(long cycle, int source)
    {
        if (cycle < _otherCycle) (_otherCycle, _otherSequence, _otherSource) = (cycle, _sequence - 1, source);
    }

    /// <summary>Makes <paramref name="lane"/>'s head the earliest so far (<paramref name="source"/>) if it comes before it.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void Earlier(ref Lane lane, int name, ref long cycle, ref long sequence, ref int source)
    {
        if (lane.Count == 0) return;
        ref var head = ref lane.Items[lane.Head];
        if (head.Cycle < cycle || head.Cycle == cycle && head.Sequence < sequence) (cycle, sequence, source) = (head.Cycle, head.Sequence, name);
    }

    /// <summary>Removes <paramref name="lane"/>'s head (the earliest item) and returns it.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private ref Item Pop(ref Lane lane)
    {
        ref var item = ref lane.Items[lane.Head];
        lane.Head = (lane.Head + 1) & (lane.Items.Length - 1);
        lane.Count--;
        if (item.Cycle != _base) MoveWindow(item.Cycle);
        return ref item;
    }

    /// <summary>Removes the lane's head, the earliest item (see <see cref="TryPeek(out long, out int)"/>), and returns its payload.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public int PopLane() => Pop(ref _lane).Payload;

    /// <summary>
    /// Removes the head of lane <paramref name="source"/> (<see cref="InSoon"/> or <see cref="InLater"/>), the earliest
    /// item (see <see cref="TryPeek(out long, out int)"/>).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void PopSoon(int source, out int kind, out int payload)
    {
        // Always on (not a Debug.Assert, which a Release build, the one CI tests, drops): any other source would silently
        // pop the third lane's head, out of order. The compare is predictable: `bench cuba` showed no cost beyond noise.
        if (source is not (InSoon or InLater)) Fail("PopSoon serves the lanes PostSoon takes");
        ref var item = ref Pop(ref source == InSoon ? ref _soon : ref _later);
        (kind, payload) = (item.Kind, item.Payload);
        UpdateOther();
    }

    /// <summary>
    /// Posts an item to lane <paramref name="lane"/> (<see cref="InSoon"/> or <see cref="InLater"/>) if it comes at or
    /// after every item there (usually so for items of one kind posted at the current time or a fixed delay after it) or
    /// at most <see cref="MaxInsertShift"/> items before its tail (<see cref="TryInsert"/>), else to the calendar: handed
    /// out in (cycle, posting) order either way.
    /// </summary>
    public void PostSoon(int lane, long cycle, int kind, int payload)
    {
        if (lane is not (InSoon or InLater)) Fail("PostSoon takes the second and third lanes"); // always on, as in PopSoon
        PostTo(ref lane == InSoon ? ref _soon : ref _later, lane, cycle, kind, payload);
    }

    /// <summary><see cref="PostSoon"/> to the second lane (<see cref="InSoon"/>), for a poster that always names it.</summary>
    public void PostSecond(long cycle, int kind, int payload) => PostTo(ref _soon, InSoon, cycle, kind, payload);

    /// <summary><see cref="PostSoon"/> to the third lane (<see cref="InLater"/>), for a poster that always names it.</summary>
    public void PostThird(long cycle, int kind, int payload) => PostTo(ref _later, InLater, cycle, kind, payload);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void PostTo(ref Lane to, int lane, long cycle, int kind, int payload)
    {
        if (!OutOfOrder(ref to, cycle)) Append(ref to, cycle, kind, payload);
        else if (cycle < _base || !TryInsert(ref to, cycle, kind, payload))
        {
            Post(cycle, kind, payload);
            return;
        }
        Posted(cycle, lane);
    }

    /// <summary>
    /// Most items a lane's post moves to make room for one that comes before its tail (<see cref="TryInsert"/>); one that
    /// would move more goes to the calendar.
    /// </summary>
    internal const int MaxInsertShift = 8;

    /// <summary>
    /// Puts an item that comes before <paramref name="lane"/>'s tail (and not before the last cycle handed out) into the lane
    /// after every item at or before its cycle, moving the later ones (at most <see cref="MaxInsertShift"/>) one place on:
    /// as it has the latest posting number, the lane stays in (cycle, posting) order. Returns false, changing nothing, when
    /// more would move. (The NoC's link frees and deliveries come a packet's flits after now, so a long packet's item often
    /// lands before a shorter one's posted just before: a few places back, not worth the calendar.)
    /// </summary>
    private bool TryInsert(ref Lane lane, long cycle, int kind, int payload)
    {
        // An empty lane takes no insert (the calendar does): its tail is a stale cycle (see OutOfOrder), and the moves
        // below assume a last item after the new one.
        if (lane.Count == 0) return false;
        var items = lane.Items;
        var mask = items.Length - 1;
        var end = lane.Head + lane.Count; // one past the last item (unwrapped)
        // Would it move more than the most? Then the item MaxInsertShift + 1 places from the end comes after it too.
        if (lane.Count > MaxInsertShift && items[(end - MaxInsertShift - 1) & mask].Cycle > cycle) return false;
        if (lane.Count == items.Length)
        {
            Grow(ref lane);
            (items, end) = (lane.Items, lane.Count);
            mask = items.Length - 1;
        }
        // One pass from the back: each later item moves one place on (the lane's tail is later: at least one moves).
        var at = end;
        do
        {
            items[at & mask] = items[(at - 1) & mask];
            at--;
        }
        while (at > lane.Head && items[(at - 1) & mask].Cycle > cycle);
        ref var item = ref items[at & mask];
        (item.Cycle, item.Sequence, item.Kind, item.Payload) = (cycle, _sequence++, kind, payload);
        lane.Count++;
        return true;
    }

    /// <summary>
    /// Whether an item at <paramref name="cycle"/> cannot join <paramref name="lane"/>'s tail: it comes before the lane's
    /// last item (or the last cycle handed out). Such an item is inserted a few places before the tail
    /// (<see cref="TryInsert"/>, at most <see cref="MaxInsertShift"/> items moved), or else goes to the calendar.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool OutOfOrder(ref Lane lane, long cycle)
    {
        // No test of the lane's count is needed: an empty lane's tail is at most _base (its last item has been handed out,
        // and _base is the last cycle handed out), so an item before it is before _base too, and goes to Post either way.
        // Only a Debug build checks it: were it false, an item between _base and an empty lane's stale tail would reach
        // TryInsert, which refuses an empty lane, and go to the calendar, which keeps it in (cycle, posting) order all the
        // same: slower, never wrong.
        Debug.Assert(lane.Count > 0 || lane.Tail <= _base, "an empty lane's tail is after the last cycle handed out");
        return cycle < lane.Tail || cycle < _base;
    }

    /// <summary>Throws for a broken invariant; out of line, so the callers' fast paths stay small enough to inline.</summary>
    [System.Diagnostics.CodeAnalysis.DoesNotReturn, System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Fail(string message) => throw new InvalidOperationException(message);

    // Inlined: every hop posts one (the NoC's most frequent item), and the call's prologue and epilogue cost more than the append.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Append(ref Lane lane, long cycle, int kind, int payload)
    {
        if (lane.Count == lane.Items.Length) Grow(ref lane);
        ref var item = ref lane.Items[(lane.Head + lane.Count++) & (lane.Items.Length - 1)];
        (item.Cycle, item.Sequence, item.Kind, item.Payload) = (cycle, _sequence++, kind, payload);
        lane.Tail = cycle;
    }

    public void Post(long cycle, int kind, int payload)
    {
        PostToCalendar(cycle, kind, payload);
        Posted(cycle, InCalendar);
    }

    private void PostToCalendar(long cycle, int kind, int payload)
    {
        if (cycle < _base) throw new InvalidOperationException($"an item at cycle {cycle} posted after cycle {_base} was handed out");
        var slot = Allocate();
        ref var item = ref _items[slot];
        (item.Cycle, item.Sequence, item.Kind, item.Payload) = (cycle, _sequence++, kind, payload);
        if (cycle - _base >= Wheel)
        {
            _far.Enqueue(slot, (cycle, item.Sequence));
            _farCount++;
            // Far items are later than every wheel item: the earliest only when the wheel is empty.
            if (_wheelCount == 0)
            {
                var first = _far.Peek();
                (_calendarCycle, _calendarSequence) = (_items[first].Cycle, _items[first].Sequence);
            }
            return;
        }
        Append(slot, ref item);
    }

    /// <summary>
    /// Posts an item the poster expects at or after every item it posted this way before (so it joins the
    /// lane's tail); one that is not goes to the calendar. Either way it is handed out in (cycle, posting) order.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void PostInOrder(long cycle, int kind, int payload)
    {
        if (OutOfOrder(ref _lane, cycle)) Post(cycle, kind, payload);
        else Append(ref _lane, cycle, kind, payload);
    }

    /// <summary>A full lane's ring twice as long, its items kept in order (out of line: rare, and it keeps the append small).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void Grow(ref Lane lane)
    {
        var items = lane.Items;
        var grown = new Item[items.Length * 2];
        for (var k = 0; k < lane.Count; k++) grown[k] = items[(lane.Head + k) & (items.Length - 1)];
        (lane.Items, lane.Head) = (grown, 0);
    }

    private void Append(int slot, ref Item item)
    {
        var b = (int)(item.Cycle & Mask);
        item.Next = -1;
        ref var bucket = ref _buckets[b];
        ref var word = ref _occupied[b >> 6];
        var bit = 1UL << (b & 63);
        if ((word & bit) == 0)
        {
            bucket.Head = slot;
            word |= bit;
            // A new bucket earlier than the calendar's earliest (far items are all later than any wheel item).
            if (item.Cycle < _calendarCycle || _wheelCount == 0)
            {
                (_calendarCycle, _calendarSequence) = (item.Cycle, item.Sequence);
                _minBucket = b;
            }
        }
        else _items[bucket.Tail].Next = slot;
        bucket.Tail = slot;
        _wheelCount++;
    }

    /// <summary>Removes the calendar's earliest item, the earliest item (see <see cref="TryPeek(out long, out int)"/>).</summary>
    public void PopCalendar(out int kind, out int payload)
    {
        if (_calendarCycle == long.MaxValue) throw new InvalidOperationException("the agenda is empty");
        if (_wheelCount == 0)
        {
            // Jump the window to the earliest far item (it enters its bucket and becomes the wheel's earliest).
            _base = _calendarCycle;
            Migrate();
        }
        var b = _minBucket;
        ref var bucket = ref _buckets[b];
        var slot = bucket.Head;
        ref var item = ref _items[slot];
        var next = item.Next;
        _wheelCount--;
        var cycle = item.Cycle;
        (kind, payload) = (item.Kind, item.Payload);
        item.Next = _freeSlot;
        _freeSlot = slot;
        if (next >= 0)
        {
            // The bucket's next item, of the same cycle, is the calendar's earliest now.
            bucket.Head = next;
            _calendarSequence = _items[next].Sequence;
        }
        else
        {
            _occupied[b >> 6] &= ~(1UL << (b & 63));
            if (_wheelCount > 0)
            {
                _minBucket = NextOccupiedBucket();
                ref var first = ref _items[_buckets[_minBucket].Head];
                (_calendarCycle, _calendarSequence) = (first.Cycle, first.Sequence);
            }
            else if (_farCount > 0)
            {
                var f = _far.Peek();
                (_calendarCycle, _calendarSequence) = (_items[f].Cycle, _items[f].Sequence);
            }
            else _calendarCycle = long.MaxValue;
        }
        if (cycle != _base) MoveWindow(cycle);
        UpdateOther();
    }

    /// <summary>The window starts at <paramref name="cycle"/>, the cycle of the item just handed out.</summary>
    private void MoveWindow(long cycle)
    {
        _base = cycle;
        // Far items now inside the window enter their buckets before anything is posted there.
        if (_farCount > 0) Migrate();
    }

    private void Migrate()
    {
        while (_far.TryPeek(out var slot, out var key) && key.Cycle - _base < Wheel)
        {
            _far.Dequeue();
            _farCount--;
            Append(slot, ref _items[slot]);
        }
    }

    private int Allocate()
    {
        if (_freeSlot >= 0)
        {
            var s = _freeSlot;
            _freeSlot = _items[s].Next;
            return s;
        }
        if (_slots == _items.Length) Array.Resize(ref _items, _slots * 2);
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
