namespace Neuromorphic.Arch.Execution;

/// <summary>
/// Who times each captured step when both threads time steps (<see cref="TimingEngine"/>, barrier execution): one word
/// per slot of the ring of step records, holding the step's number and its state. The producer opens a step's word when
/// it captures the step; either thread may then take the step with one compare-and-swap: the kernel's thread when it
/// reaches the step, the producer (<see cref="TryClaim"/>) when it would otherwise wait for room. A step the producer
/// claimed is timed in its own engine into the slot's <see cref="StepPack"/>, published (<see cref="Publish"/>), and the
/// kernel's thread, reaching it, waits for it (<see cref="AwaitReady"/>). The step's number in the word keeps a stale
/// claim from matching a later step in the same slot. No lock; one CAS per step and thread at most.
/// </summary>
internal sealed class StepClaims
{
    private const long Opened = 0, Producer = 1, Ready = 2, Kernel = 3;

    // Padded (PaddedLong): both threads write the words of neighbouring steps at once (the kernel's thread takes step s
    // while the producer claims or publishes s + 1, ...); in one line each write would move it between the cores.
    private readonly PaddedLong[] _words;
    private readonly StepPack[] _packs;
    private readonly int _mask;

    /// <summary>Words for a ring of <paramref name="capacity"/> steps (a power of two: the ring's), with packs for a chip of <paramref name="units"/> units.</summary>
    public StepClaims(int capacity, int units)
    {
        if (capacity < 1 || (capacity & (capacity - 1)) != 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "a power of two");
        _mask = capacity - 1;
        _words = new PaddedLong[capacity];
        for (var k = 0; k < capacity; k++) _words[k].Value = -1;
        _packs = new StepPack[capacity];
        for (var k = 0; k < capacity; k++) _packs[k] = new StepPack(units);
    }

    /// <summary>Bytes the packs' entries take now (they grow to the most units a step used).</summary>
    public long PackBytes => _packs.Sum(p => p.Bytes);

    private int Slot(long step) => (int)(step & _mask);

    /// <summary>Producer, before the step's capture is published: the step may be taken.</summary>
    public void Open(long step) => Volatile.Write(ref _words[Slot(step)].Value, step << 2 | Opened);

    /// <summary>Producer: takes the step to time it in its engine; false if the kernel's thread has taken it.</summary>
    public bool TryClaim(long step) => Interlocked.CompareExchange(ref _words[Slot(step)].Value, step << 2 | Producer, step << 2 | Opened) == (step << 2 | Opened);

    /// <summary>The pack of a claimed step (the producer fills it, the kernel reads it once published).</summary>
    public StepPack PackOf(long step) => _packs[Slot(step)];

    /// <summary>Producer: the claimed step's pack is complete (a release: the pack is written before the word says so).</summary>
    public void Publish(long step) => Volatile.Write(ref _words[Slot(step)].Value, step << 2 | Ready);

    /// <summary>Kernel's thread: takes the step to time it here; false if the producer claimed it.</summary>
    public bool TryTake(long step) => Interlocked.CompareExchange(ref _words[Slot(step)].Value, step << 2 | Kernel, step << 2 | Opened) == (step << 2 | Opened);

    /// <summary>
    /// Kernel's thread: waits until the producer has published the step it claimed (spinning, then yielding: a step takes
    /// microseconds). False if the producer failed (<paramref name="producer"/> aborted) first.
    /// </summary>
    public bool AwaitReady(long step, StepProgress producer)
    {
        var ready = step << 2 | Ready;
        var spin = new SpinWait();
        while (Volatile.Read(ref _words[Slot(step)].Value) != ready)
        {
            if (producer.Aborted) return false;
            spin.SpinOnce(sleep1Threshold: -1);
        }
        return true;
    }
}
