using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// The timing of one RRAM macro as a kernel component. Work arrives as operations of n row-group
/// reads; each read is a two-stage pipeline on the macro's two resources: the array (word lines
/// driven on a macro clock edge, bit lines settle: <c>D</c> cycles, then the array holds its sample
/// until the ADC bank takes it) and the ADC bank (all columns converted through the multiplexers:
/// <c>R</c> cycles), followed by the shift-add (<c>S</c> cycles, not a shared resource). Operations
/// are served first come, first served. Back to back, n reads finish after
/// <c>D + R + S + (n - 1) max(D, R)</c> cycles: one read per <c>max(D, R)</c> is the macro's
/// throughput. Every drive, sample and conversion is a kernel event.
/// </summary>
public sealed class MacroUnit : IComponent
{
    private const int Settled = 0, Converted = 1, GroupDone = 2;
    private readonly IUnitClient _client;
    private readonly long _driveSettle, _convert, _shiftAdd, _edge;
    // Operations by sequence number: slot = seq & (capacity - 1); events carry the sequence number,
    // which stays valid when the ring grows.
    private long[] _token = new long[8];
    private int[] _toIssue = new int[8], _pending = new int[8];
    private long[] _arrived = new long[8];
    private long _head, _issue, _tail;
    private bool _arrayBusy, _adcBusy;
    private long _holding = -1;
    private long _arrayStart;
    private readonly int _id;

    /// <summary>Registers the macro with <paramref name="scheduler"/>.</summary>
    /// <param name="scheduler">The kernel.</param>
    /// <param name="statistics">Where busy time and queue occupancy go.</param>
    /// <param name="driveSettleCycles">D, base cycles.</param>
    /// <param name="conversionCycles">R: all conversion rounds of one read, base cycles.</param>
    /// <param name="shiftAddCycles">S, base cycles.</param>
    /// <param name="edgeCycles">Base cycles per macro clock cycle (drives start on an edge).</param>
    /// <param name="client">Told when an operation's last read is done.</param>
    public MacroUnit(Scheduler scheduler, UnitStatistics statistics, long driveSettleCycles, long conversionCycles, long shiftAddCycles, long edgeCycles, IUnitClient client)
    {
        Statistics = statistics;
        (_driveSettle, _convert, _shiftAdd, _edge, _client) = (driveSettleCycles, conversionCycles, shiftAddCycles, Math.Max(1, edgeCycles), client);
        _id = scheduler.Register(this);
    }

    /// <summary>Busy time (array or ADC working) and queued reads.</summary>
    public UnitStatistics Statistics { get; }

    /// <summary>Row-group reads performed.</summary>
    public long Reads { get; private set; }

    /// <summary>Queues an operation of <paramref name="reads"/> row-group reads; <paramref name="token"/> is reported when the last is done.</summary>
    public void Request(Scheduler scheduler, int reads, long token)
    {
        if (reads <= 0)
        {
            _client.Completed(token, scheduler);
            return;
        }
        if (_tail - _head == _token.Length) Grow();
        var slot = Slot(_tail++);
        (_token[slot], _toIssue[slot], _pending[slot], _arrived[slot]) = (token, reads, reads, scheduler.Now);
        for (var i = 0; i < reads; i++) Statistics.Enqueue(scheduler.Now);
        TryDrive(scheduler);
    }

    private int Slot(long seq) => (int)(seq & (_token.Length - 1));

    /// <inheritdoc />
    public void OnEvent(in SimEvent ev, Scheduler scheduler)
    {
        var seq = ev.Payload;
        switch (ev.Kind)
        {
            case Settled:
                if (!_adcBusy) { StartConversion(scheduler, seq); ReleaseArray(scheduler); }
                else _holding = seq;
                break;
            case Converted:
                _adcBusy = false;
                scheduler.Schedule(_id, _shiftAdd, GroupDone, seq);
                if (_holding >= 0)
                {
                    var held = _holding;
                    _holding = -1;
                    StartConversion(scheduler, held);
                    ReleaseArray(scheduler);
                }
                break;
            case GroupDone:
                var slot = Slot(seq);
                if (--_pending[slot] == 0)
                {
                    var token = _token[slot];
                    // Reads finish in order, so finished operations leave from the oldest end.
                    while (_head < _tail && _pending[Slot(_head)] == 0) _head++;
                    _client.Completed(token, scheduler);
                }
                break;
        }
    }

    private void ReleaseArray(Scheduler scheduler)
    {
        _arrayBusy = false;
        Statistics.Busy(scheduler.Now - _arrayStart);
        TryDrive(scheduler);
    }

    private void StartConversion(Scheduler scheduler, long seq)
    {
        _adcBusy = true;
        Reads++;
        scheduler.Schedule(_id, _convert, Converted, seq);
    }

    private void TryDrive(Scheduler scheduler)
    {
        if (_arrayBusy || _holding >= 0) return;
        if (_issue < _head) _issue = _head;
        while (_issue < _tail && _toIssue[Slot(_issue)] == 0) _issue++;
        if (_issue >= _tail) return;
        var slot = Slot(_issue);
        _toIssue[slot]--;
        var now = scheduler.Now;
        var start = (now + _edge - 1) / _edge * _edge;
        Statistics.Dequeue(now, _arrived[slot]);
        _arrayBusy = true;
        _arrayStart = now;
        scheduler.ScheduleAt(_id, start + _driveSettle, Settled, _issue);
    }

    private void Grow()
    {
        var n = _token.Length * 2;
        var token = new long[n];
        var toIssue = new int[n];
        var pending = new int[n];
        var arrived = new long[n];
        for (var seq = _head; seq < _tail; seq++)
        {
            int from = Slot(seq), to = (int)(seq & (n - 1));
            (token[to], toIssue[to], pending[to], arrived[to]) = (_token[from], _toIssue[from], _pending[from], _arrived[from]);
        }
        (_token, _toIssue, _pending, _arrived) = (token, toIssue, pending, arrived);
    }
}
