using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// Who times each captured step when both threads time steps (<see cref="TimingEngine"/>, barrier execution): one word
/// per slot of the ring of step records, holding the step's number and its state. The producer opens a step's word when
/// it captures the step; either thread may then take the step with one compare-and-swap: the kernel's thread when it
/// reaches the step, the producer (<see cref="TryClaim"/>) when it would otherwise wait for room. A step the producer
/// claimed is timed in its own engine into a <see cref="StepPack"/> from a pool, published (<see cref="Publish"/>), and the
/// kernel's thread, reaching it, waits for it (<see cref="AwaitReady(long, StepProgress, long)"/>). The step's number in the word keeps a stale
/// claim from matching a later step in the same slot. A claim also says from which start the producer times the step
/// (its residue modulo the units' clocks' common period, <see cref="StartOf"/>): the kernel's thread takes the step over
/// only if its own start has that residue. No lock; one CAS per step and thread at most.
/// <para>
/// Only the word's line crosses between the cores for a step taken over: the producer leaves the step's latency and
/// events beside the word (<see cref="Publish"/>), and the kernel's thread, taking the step over, marks it accepted
/// (<see cref="Accept"/>) instead of reading the pack. The producer adds an accepted step's pack to <see cref="Accepted"/>
/// when it opens the slot's next step (<see cref="Open"/>: the step's fate is known by then, as the slot is free), on its
/// own core, where the pack was written; the rest at the sample's end (<see cref="FoldAccepted"/>). Measured (session
/// 26, docs/performance.md): the kernel's merge of each pack read its lines from the other core, and the producer's
/// harvest wrote lines the kernel had read last.
/// </para>
/// </summary>
internal sealed class StepClaims
{
    private const int StateBits = 3;
    private const long StateMask = (1 << StateBits) - 1;
    private const long Opened = 0, Producer = 1, Ready = 2, Kernel = 3, TakenOver = 4;

    // Padded (a line before and after): both threads write the words of neighbouring steps at once (the kernel's thread
    // takes step s while the producer claims or publishes s + 1, ...); in one line each write would move it between the cores.
    [StructLayout(LayoutKind.Explicit, Size = 144)]
    private struct Word
    {
        [FieldOffset(64)] public long Value;
        // The claimed step's start residue: written before the claim's CAS, read by the kernel's thread after its own
        // CAS failed on the claim (both full fences), next to the word it reads just before.
        [FieldOffset(72)] public long Start;
        // The step's latency and kernel events (its tick included), written before the word says Ready: the kernel's
        // thread reads them next to the word it has just read. The four fields span 32 bytes: on the word's line, or on it
        // and the next when an element straddles a line (an array's elements are only 8-byte aligned), never further.
        [FieldOffset(80)] public long Latency;
        [FieldOffset(88)] public long Events;
    }

    private readonly Word[] _words;
    private readonly int _mask;
    // The packs, one per slot at most, handed out at each claim and back once the step's fate is known (the slot's next
    // Open, or FoldAccepted), last in, first out (the producer's only): the pack a claim takes is the one added up last,
    // still in the core's caches, and the packs in use are the few claims in flight rather than one per slot of the ring.
    private readonly StepPack[] _packs;
    private readonly int[] _free;
    private int _freeCount;
    private readonly int[] _packOf;                // per slot: the pack its claimed step holds, -1 if none

    /// <summary>Words for a ring of <paramref name="capacity"/> steps (a power of two: the ring's), with packs for a chip of <paramref name="units"/> units.</summary>
    public StepClaims(int capacity, int units)
    {
        Accepted = new PackTotals(units);
        if (capacity < 1 || (capacity & (capacity - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "a power of two");
        _mask = capacity - 1;
        _words = new Word[capacity];
        for (var k = 0; k < capacity; k++) _words[k].Value = -1;
        _packs = new StepPack[capacity];
        for (var k = 0; k < capacity; k++) _packs[k] = new StepPack(units);
        // Handed out from the first: the stack's top is pack 0.
        (_free, _freeCount) = (Enumerable.Range(0, capacity).Reverse().ToArray(), capacity);
        _packOf = Enumerable.Repeat(-1, capacity).ToArray();
    }

    /// <summary>Bytes the packs' entries take now (they grow to the most units a step used).</summary>
    public long PackBytes => _packs.Sum(p => p.Bytes);

    private int Slot(long step) => (int)(step & _mask);

    /// <summary>
    /// The packs of the steps the kernel's thread took over, added up (the producer's until the sample ends; then the
    /// caller's, after <see cref="FoldAccepted"/>).
    /// </summary>
    public PackTotals Accepted { get; }

    /// <summary>
    /// Producer, before the step's capture is published: the step may be taken. If the kernel's thread took over the
    /// slot's previous step (completed, as the slot is free), its pack is added to <see cref="Accepted"/> first.
    /// </summary>
    public void Open(long step)
    {
        var slot = Slot(step);
        ref var word = ref _words[slot].Value;
        Settle(slot, Volatile.Read(ref word));
        Volatile.Write(ref word, step << StateBits | Opened);
    }

    /// <summary>The slot's step is complete: its pack, if it has one, is added up if the step was taken over, and freed.</summary>
    private void Settle(int slot, long word)
    {
        var pack = _packOf[slot];
        if (pack < 0) return;
        if ((word & StateMask) == TakenOver) Accepted.Add(_packs[pack]);
        _free[_freeCount++] = pack;
        _packOf[slot] = -1;
    }

    /// <summary>
    /// After a sample, both threads done (every step complete): the packs of the steps taken over that no later
    /// <see cref="Open"/> has added up are added to <see cref="Accepted"/>, and every pack is freed (none is added twice).
    /// </summary>
    public void FoldAccepted()
    {
        for (var slot = 0; slot < _words.Length; slot++) Settle(slot, _words[slot].Value);
    }

    /// <summary>
    /// Producer: takes the step to time it in its engine from a start of residue <paramref name="start"/>; false if the
    /// kernel's thread has taken it.
    /// </summary>
    public bool TryClaim(long step, long start)
    {
        ref var word = ref _words[Slot(step)];
        var open = step << StateBits | Opened;
        // Only an open step's start is written: a step claimed already (by either thread) keeps the start it was timed
        // from, whatever StepChains proposes. Writing it and then losing the claim to the kernel's thread is harmless:
        // that thread reads a step's start only if the producer claimed it.
        if (Volatile.Read(ref word.Value) != open) return false;
        word.Start = start;
        if (Interlocked.CompareExchange(ref word.Value, step << StateBits | Producer, open) != open) return false;
        _packOf[Slot(step)] = _free[--_freeCount];
        return true;
    }

    /// <summary>Kernel's thread, once <see cref="TryTake"/> failed on the step: the residue the producer times it from.</summary>
    public long StartOf(long step) => Volatile.Read(ref _words[Slot(step)].Start);

    /// <summary>The pack of a claimed step (the producer's: it fills it, and adds it up once the step is accepted).</summary>
    public StepPack PackOf(long step) => _packs[_packOf[Slot(step)]];

    /// <summary>
    /// Producer: the claimed step is timed, its <paramref name="latency"/> and kernel <paramref name="events"/> (the tick
    /// included) are these, and its pack is complete (a release: all of it is written before the word says so).
    /// </summary>
    public void Publish(long step, long latency, long events)
    {
        ref var word = ref _words[Slot(step)];
        (word.Latency, word.Events) = (latency, events);
        Volatile.Write(ref word.Value, step << StateBits | Ready);
    }

    /// <summary>Kernel's thread, once the step is published (<see cref="IsReady"/>): its latency and kernel events.</summary>
    public (long Latency, long Events) ResultOf(long step)
    {
        ref var word = ref _words[Slot(step)];
        return (word.Latency, word.Events);
    }

    /// <summary>
    /// Kernel's thread, taking a published step over, before completing it: its pack counts (the producer adds it to
    /// <see cref="Accepted"/> once it reuses the slot; a step turned down is never marked, and its pack never counts).
    /// </summary>
    public void Accept(long step) => Volatile.Write(ref _words[Slot(step)].Value, step << StateBits | TakenOver);

    /// <summary>Kernel's thread: takes the step to time it here; false if the producer claimed it.</summary>
    public bool TryTake(long step) =>
        Interlocked.CompareExchange(ref _words[Slot(step)].Value, step << StateBits | Kernel, step << StateBits | Opened) == (step << StateBits | Opened);

    /// <summary>
    /// Kernel's thread: waits until the producer has published the step it claimed (spinning, then yielding: a step takes
    /// microseconds). False if the producer failed (<paramref name="producer"/> aborted) first.
    /// </summary>
    public bool AwaitReady(long step, StepProgress producer) => AwaitReady(step, producer, long.MaxValue) == ClaimWait.Ready;

    /// <summary>Kernel's thread: whether the producer has published the step it claimed (an acquire, as in <see cref="AwaitReady(long, StepProgress, long)"/>).</summary>
    public bool IsReady(long step) => Volatile.Read(ref _words[Slot(step)].Value) == (step << StateBits | Ready);

    /// <summary>
    /// Kernel's thread: waits until the producer has published the step it claimed, for at most
    /// <paramref name="patience"/> stopwatch ticks (spinning; <see cref="long.MaxValue"/>: as long as it takes, spinning, then
    /// yielding): <see cref="ClaimWait.Late"/> if it has not by
    /// then (the kernel's thread may then time the step itself: the producer only reads the step's records, and its pack,
    /// published later, is read by no one), <see cref="ClaimWait.Aborted"/> if the producer failed first.
    /// </summary>
    public ClaimWait AwaitReady(long step, StepProgress producer, long patience)
    {
        var ready = step << StateBits | Ready;
        ref var word = ref _words[Slot(step)].Value;
        if (Volatile.Read(ref word) == ready) return ClaimWait.Ready;
        if (patience == long.MaxValue)
        {
            var spin = new SpinWait();
            while (Volatile.Read(ref word) != ready)
            {
                if (producer.Aborted) return ClaimWait.Aborted;
                spin.SpinOnce(sleep1Threshold: -1);
            }
            return ClaimWait.Ready;
        }
        // Spinning only, no yield: the patience is microseconds, and a yield on a busy machine can lose the core for a
        // scheduler quantum (milliseconds), which is what the patience is there to avoid.
        var deadline = Stopwatch.GetTimestamp() + patience;
        while (Volatile.Read(ref word) != ready)
        {
            if (producer.Aborted) return ClaimWait.Aborted;
            if (Stopwatch.GetTimestamp() > deadline) return ClaimWait.Late;
            Thread.SpinWait(20);
        }
        return ClaimWait.Ready;
    }
}

/// <summary>What the kernel's thread found waiting for a claimed step (<see cref="StepClaims.AwaitReady(long, StepProgress, long)"/>).</summary>
internal enum ClaimWait
{
    /// <summary>The producer published the step (its latency and events; its pack is added up by the producer).</summary>
    Ready,

    /// <summary>Not published within the patience given (the producer descheduled, or the step unusually long).</summary>
    Late,

    /// <summary>The producer failed.</summary>
    Aborted,
}
