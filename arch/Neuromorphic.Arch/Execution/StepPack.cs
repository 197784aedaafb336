namespace Neuromorphic.Arch.Execution;

/// <summary>
/// What one step timed by a second engine changed (<see cref="TimingEngine.TimeShared"/>): its latency and kernel events,
/// the NoC's packets and flits, and the counters of every unit it used. All are integer sums and maxima of a stretch of
/// time every queue was empty before and after, so adding them to the main engine's is exact, whichever engine timed
/// which step. Reused from step to step (the entries grow to the most units a step used; nothing is allocated after).
/// </summary>
internal sealed class StepPack
{
    /// <summary>Cycles from the step's tick to its last event.</summary>
    public long Latency;

    /// <summary>Kernel events the step dispatched, its tick included.</summary>
    public long Events;

    /// <summary>NoC packets and flits the step sent.</summary>
    public long Packets, Flits;

    private UnitDelta[] _entries;
    private readonly int _units;

    /// <summary>A pack for steps of a chip of <paramref name="units"/> units (macros, cores, links, nodes): no step uses more.</summary>
    public StepPack(int units)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        _units = units;
        _entries = new UnitDelta[Math.Min(16, units)];
    }

    /// <summary>About the bytes a pack takes once it has held <paramref name="units"/> units' counters; a pack for a chip of so many units never takes more (the executor's ring budget counts them).</summary>
    public static long BytesFor(int units) => 64 + (long)System.Runtime.CompilerServices.Unsafe.SizeOf<UnitDelta>() * units;

    /// <summary>The units' counters (the first <see cref="Count"/>).</summary>
    public ReadOnlySpan<UnitDelta> Entries => _entries.AsSpan(0, Count);

    /// <summary>Bytes the entries take now (as <see cref="BytesFor"/> counts them).</summary>
    public long Bytes => BytesFor(_entries.Length);

    /// <summary>Entries in <see cref="Entries"/>.</summary>
    public int Count { get; private set; }

    /// <summary>Empties the pack for a new step.</summary>
    public void Clear() => (Latency, Events, Packets, Flits, Count) = (0, 0, 0, 0, 0);

    /// <summary>Adds a unit's counters of the step.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Add(int unit, in QueueCounters counters, long extra)
    {
        ref var e = ref Next(unit);
        (e.Counters, e.Extra) = (counters, extra);
    }

    /// <summary>
    /// Adds an entry for unit <paramref name="unit"/> and returns it, for its counters to be written in place (a harvest
    /// moves each unit's counters once, straight into the pack).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public ref UnitDelta Next(int unit)
    {
        if (Count == _entries.Length) Grow();
        ref var e = ref _entries[Count++];
        e.Unit = unit;
        return ref e;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void Grow()
    {
        // Doubling, but never past the chip's units: a pack stays within what the ring's budget counts for it.
        if (Count == _units) throw new InvalidOperationException($"a step used more than the chip's {_units} units");
        Array.Resize(ref _entries, (int)Math.Min(2L * Count, _units));
    }
}
