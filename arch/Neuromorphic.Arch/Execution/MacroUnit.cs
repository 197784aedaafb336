using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// The timing of one RRAM macro as a kernel component. Work arrives as operations of n row-group
/// reads; each read is a two-stage pipeline on the macro's two resources: the array (word lines
/// driven on a macro clock edge, bit lines settle: <c>D</c> cycles, then the array holds its sample
/// until the ADC bank takes it) and the ADC bank (all columns converted through the multiplexers:
/// <c>R</c> cycles), followed by the shift-add (<c>S</c> cycles, not a shared resource). Operations
/// are served first come, first served. Back to back, n reads finish after
/// <c>D + R + S + (n - 1) max(D, R)</c> cycles (one read per <c>max(D, R)</c> is the macro's
/// throughput) when every read can drive on the edge its array frees at: D whole macro cycles (as the
/// chip's are) and R whole macro cycles, or <c>R &lt;= D</c>, or <c>R &gt;= D + E - 1</c> (E base cycles a
/// macro cycle: a drive that waits for its edge has settled by the time the bank frees). Otherwise a read
/// taken when the bank frees between edges waits for the next edge, up to E - 1 cycles, so n reads can end
/// up to (n - 1)(E - 1) cycles later (MacroThroughputRulesTests; no preset meets the case). The functional
/// macro's timeline (RramMacro, what <c>inspect</c> reports) drives on the same edges and ends every operation
/// when this unit does (MacroTimelineAgreementTests).
/// <para>A synchronous unit (NeuroSim's synchronous read: <c>D</c> = rounds x synchronous cycles, <c>R</c> = 0) holds array
/// and ADCs together for each read's <c>D</c> cycles, with no overlap; only an operation's arrival is rounded up to a macro
/// edge, its reads drive as soon as the macro frees (NeuroSim's clock is its own), as RramMacro times them. The pipelined
/// rule cannot express this: it rounds every free time up to an edge.</para>
/// </summary>
/// <remarks>
/// Both resources belong to this macro alone and are served in arrival order, so when an operation
/// arrives the time of each of its drives, samples and conversions is already fixed by the reads
/// queued before it: the unit computes them then (the same times a drive, sample and conversion
/// event each would give) and puts one kernel event on the timeline, the operation's end. Queue
/// statistics follow from those times: each read's wait is known when it is queued, the queue's
/// length when an operation arrives is the reads queued before and not yet taken, and the queue's
/// occupancy integrated over the run equals the reads' summed waits: each read adds one to the queue's
/// length for exactly the cycles it waits, so the integral is the sum of the waits whatever the order
/// the reads are served in, provided every read has left the queue before the integral closes (true
/// at the end of a run, when <see cref="Close"/> is called). So no read's departure is recorded one by
/// one (<see cref="Close"/> hands the sums over).
/// </remarks>
public sealed class MacroUnit : IComponent
{
    private readonly IUnitClient _client;
    private readonly long _driveSettle, _convert, _shiftAdd;
    private readonly ExactDivisor _edge;
    private readonly Queue<long> _tokens = new();
    // Reads queued and perhaps not yet taken: when each is taken, in order (a ring).
    private long[] _taken = new long[16];
    private int _takenHead, _takenCount;
    private long _lastTaken; // the ring's last entry (valid while it is not empty), read without touching the ring
    private QueueCounters _counters;
    private long _release, _converted; // the array is free from _release, the ADC bank from _converted
    private readonly bool _convertBound; // conversions, not drives, set the pace of back-to-back reads
    private readonly bool _synchronous;  // reads drive when the macro frees, only the arrival on an edge
    private readonly int _id;

    /// <summary>Registers the macro with <paramref name="scheduler"/>.</summary>
    /// <param name="scheduler">The kernel.</param>
    /// <param name="statistics">Where busy time and queue occupancy go.</param>
    /// <param name="driveSettleCycles">D, base cycles.</param>
    /// <param name="conversionCycles">R: all conversion rounds of one read, base cycles.</param>
    /// <param name="shiftAddCycles">S, base cycles.</param>
    /// <param name="edgeCycles">Base cycles per macro clock cycle (drives start on an edge).</param>
    /// <param name="client">Told when an operation's last read is done.</param>
    /// <param name="synchronous">NeuroSim's synchronous read (see the summary): only an operation's arrival waits for an edge.</param>
    public MacroUnit(Scheduler scheduler, UnitStatistics statistics, long driveSettleCycles, long conversionCycles, long shiftAddCycles, long edgeCycles, IUnitClient client,
        bool synchronous = false)
    {
        Statistics = statistics;
        (_driveSettle, _convert, _shiftAdd, _edge, _client) = (driveSettleCycles, conversionCycles, shiftAddCycles, new ExactDivisor(Math.Max(1, edgeCycles)), client);
        // A read's drive starts at most an edge minus one cycle after the array frees; if it has settled by the time
        // the ADC bank finishes the previous read, the bank sets the pace (see Reserve).
        _convertBound = !synchronous && conversionCycles >= driveSettleCycles + _edge.Value - 1;
        _synchronous = synchronous;
        _id = scheduler.Register(this);
    }

    /// <summary>Busy time (array working or holding its sample) and queued reads (see <see cref="Close"/>).</summary>
    public UnitStatistics Statistics { get; }

    /// <summary>When the last operation was queued, and when its last read is done (<see cref="Reserve"/>).</summary>
    public long RequestedAt { get; private set; }

    /// <inheritdoc cref="RequestedAt"/>
    public long DoneAt { get; private set; }

    /// <summary>Row-group reads performed (or committed to: every queued read is converted).</summary>
    public long Reads { get; private set; }

    /// <summary>Queues an operation of <paramref name="reads"/> row-group reads; <paramref name="token"/> is reported when the last is done.</summary>
    public void Request(Scheduler scheduler, int reads, long token)
    {
        if (reads <= 0)
        {
            _client.Completed(token, scheduler);
            return;
        }
        var done = Reserve(scheduler, reads);
        _tokens.Enqueue(token);
        scheduler.ScheduleAt(_id, done, 0, 0);
    }

    /// <summary>
    /// Queues an operation of <paramref name="reads"/> row-group reads and returns the cycle its last
    /// read is done, without an event: for a caller that waits on several macros with one.
    /// </summary>
    public long Reserve(Scheduler scheduler, int reads)
    {
        var now = scheduler.Now;
        if (reads <= 0) return now;
        Taken(now);
        // The reads join the queue behind those not taken yet.
        var length = _takenCount + reads;
        _counters.Arrivals += reads;
        _counters.Queued += reads;
        if (length > _counters.MaxLength) _counters.MaxLength = length;
        if (length > _taken.Length) GrowTaken(length);
        var taken = _taken;
        var mask = taken.Length - 1;
        long busy = 0, wait = 0;
        var i = 0;
        if (_convertBound)
        {
            // The ADC bank bounds the pipeline: each read after the first is taken when the previous one's sample is,
            // and its sample is one conversion later (its drive, at most an edge minus one cycle after it is taken, has
            // settled by then), so no read but the first needs the edge or the maxima below.
            var at = Math.Max(now, _release);
            var sample = Math.Max(_edge.NextMultiple(at) + _driveSettle, _converted);
            taken[(_takenHead + _takenCount++) & mask] = at;
            wait += at - now;
            busy += sample - at;
            for (i = 1; i < reads; i++)
            {
                taken[(_takenHead + _takenCount++) & mask] = sample;
                wait += sample - now;
                sample += _convert;
            }
            busy += (reads - 1) * _convert;
            _release = sample;
            _converted = sample + _convert;
        }
        for (; i < reads; i++)
        {
            // The read is taken when the array is free; it drives on the next macro clock edge, settles,
            // and its sample waits in the array until the ADC bank has finished the previous read.
            var at = Math.Max(now, _release);
            // Synchronous: the arrival's edge or, later, when the macro frees (on its own clock, not rounded).
            var drive = _synchronous ? Math.Max(_edge.NextMultiple(now), _release) : _edge.NextMultiple(at);
            var sample = Math.Max(drive + _driveSettle, _converted);
            taken[(_takenHead + _takenCount++) & mask] = at;
            wait += at - now;
            busy += sample - at;
            _release = sample;
            _converted = sample + _convert;
        }
        _lastTaken = taken[(_takenHead + _takenCount - 1) & mask];
        _counters.Wait += wait;
        _counters.Busy += busy;
        Reads += reads;
        (RequestedAt, DoneAt) = (now, _converted + _shiftAdd);
        return DoneAt;
    }

    /// <summary>
    /// Hands the queue's statistics to <see cref="Statistics"/> at the end of the run: busy cycles, reads queued, their
    /// waits, the longest queue, and the occupancy integrated over the run, which is the summed waits (see the remarks:
    /// it needs every queued read taken by <paramref name="now"/>, which the end of a run guarantees).
    /// </summary>
    /// <param name="now">The run's end. The sums do not depend on it; it is kept so a macro is closed at the run's end
    /// like every other unit (<see cref="UnitStatistics.Close"/>, which does integrate up to it), and checked against:
    /// no read may still be waiting, the condition for the area to equal the summed waits.</param>
    /// <exception cref="InvalidOperationException">A read queued at the macro is still waiting at <paramref name="now"/>.</exception>
    public void Close(long now)
    {
        // Checked in every build (once per run, so free): a Release build, the one CI tests, would otherwise report a
        // wrong occupancy silently.
        if (_takenCount > 0 && _lastTaken > now)
            throw new InvalidOperationException(
                "a read is still waiting when the macro's statistics are closed: the occupancy integral would not be the summed waits");
        _takenCount = 0;
        var counters = _counters;
        counters.Area = counters.Wait;
        counters.Length = 0;
        Statistics.Load(in counters);
    }

    /// <summary>
    /// Hands the queue's counters and reads over and starts again from zero (an engine that times steps for another:
    /// <see cref="TimingEngine"/>; between steps, when every read has been taken).
    /// </summary>
    internal void Harvest(out QueueCounters counters, out long reads)
    {
        (counters, reads) = (_counters, Reads);
        (_counters, Reads) = (default, 0);
    }

    /// <summary>Adds the counters and reads of a step timed elsewhere (<see cref="Harvest"/>, <see cref="QueueCounters.Add"/>).</summary>
    internal void Merge(in QueueCounters counters, long reads)
    {
        _counters.Add(in counters);
        Reads += reads;
    }

    /// <inheritdoc />
    public void OnEvent(in SimEvent ev, Scheduler scheduler)
    {
        // Operations end in arrival order (each ends after the previous one's last conversion).
        Taken(scheduler.Now);
        _client.Completed(_tokens.Dequeue(), scheduler);
    }

    /// <summary>The reads taken by <paramref name="now"/> leave the queue.</summary>
    private void Taken(long now)
    {
        // Taken in order: when the last read is taken, all are (the usual case when a macro's work of one step meets
        // its last step's), and the ring, a cache line or more away, need not be read.
        if (_takenCount == 0) return;
        if (_lastTaken <= now)
        {
            (_takenHead, _takenCount) = (0, 0);
            return;
        }
        var taken = _taken;
        var mask = taken.Length - 1;
        while (_takenCount > 0 && taken[_takenHead] <= now)
        {
            _takenHead = (_takenHead + 1) & mask;
            _takenCount--;
        }
    }

    private void GrowTaken(int needed)
    {
        var size = _taken.Length;
        while (size < needed) size *= 2;
        var grown = new long[size];
        for (var k = 0; k < _takenCount; k++) grown[k] = _taken[(_takenHead + k) & (_taken.Length - 1)];
        (_taken, _takenHead) = (grown, 0);
    }
}
