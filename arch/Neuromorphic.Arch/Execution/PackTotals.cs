namespace Neuromorphic.Arch.Execution;

/// <summary>
/// The packs of many steps added up, per unit (<see cref="StepClaims.Accepted"/>): integer sums, and the longest queue
/// the longest of theirs, so the order the packs come in changes nothing. The main engine adds them all to its units at
/// the sample's end (<see cref="TimingEngine.Merge"/>) instead of each pack at its step: the units' counters are only
/// read after the sample. Nothing is allocated after construction.
/// </summary>
internal sealed class PackTotals
{
    private readonly QueueCounters[] _counters;
    private readonly long[] _extra;
    private readonly bool[] _listed;
    private readonly int[] _units;   // the units with counters, in the order they first came (the first Count)

    /// <summary>Totals for a chip of <paramref name="units"/> units (<see cref="StepPack"/>'s numbering).</summary>
    public PackTotals(int units)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(units, 1);
        (_counters, _extra, _listed, _units) = (new QueueCounters[units], new long[units], new bool[units], new int[units]);
    }

    /// <summary>NoC packets and flits of the packs added.</summary>
    public long Packets, Flits;

    /// <summary>Units in <see cref="Units"/>.</summary>
    public int Count { get; private set; }

    /// <summary>The units with counters (the first <see cref="Count"/>), in the order they first came.</summary>
    public ReadOnlySpan<int> Units => _units.AsSpan(0, Count);

    /// <summary>Unit <paramref name="unit"/>'s counters added up (<see cref="QueueCounters.Add"/>: the length and last change stay 0).</summary>
    public ref readonly QueueCounters CountersOf(int unit) => ref _counters[unit];

    /// <summary>Unit <paramref name="unit"/>'s extra counts added up (<see cref="UnitDelta.Extra"/>).</summary>
    public long ExtraOf(int unit) => _extra[unit];

    /// <summary>Adds a step's pack (its latency and events are the step's own: not added).</summary>
    public void Add(StepPack pack)
    {
        foreach (ref readonly var e in pack.Entries)
        {
            var u = e.Unit;
            if (!_listed[u])
            {
                _listed[u] = true;
                _units[Count++] = u;
            }
            _counters[u].Add(in e.Counters);
            _extra[u] += e.Extra;
        }
        Packets += pack.Packets;
        Flits += pack.Flits;
    }

    /// <summary>Empties the totals.</summary>
    public void Clear()
    {
        foreach (var u in Units)
        {
            (_counters[u], _extra[u], _listed[u]) = (default, 0, false);
        }
        (Count, Packets, Flits) = (0, 0, 0);
    }
}
