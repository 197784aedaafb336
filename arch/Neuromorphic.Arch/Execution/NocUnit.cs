using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// The mesh network on chip as a kernel component: packets of flits follow their XY routes link by
/// link. Each directed link has a FIFO of packets waiting at its upstream router, served in arrival
/// order (so packets contend in the order they became ready), is busy one NoC cycle per flit, and
/// its head flit reaches the next router one hop latency after it left (virtual cut-through).
/// Each link's downstream input buffer holds <see cref="MeshNocParameters.BufferFlits"/> flits: a
/// packet may only cross when its flits fit there (an empty buffer takes any packet), so a full
/// buffer stalls the link behind it (back-pressure). The tail arrives flits - 1 cycles after the
/// head.
/// <para>Injections, link crossings, links freeing and deliveries are timed events of the NoC's own
/// agenda, handled in (cycle, posting) order. The NoC runs its agenda ahead of the kernel as far as
/// nothing else can act first (up to the earliest kernel event's cycle, advancing the kernel's time
/// as it goes: <see cref="Scheduler.TryAdvanceTo"/>) and holds one kernel wake-up at its earliest item
/// otherwise. So a packet on a quiet route costs no kernel event per hop, and packets still contend
/// for links in the order they reach them. At equal cycles, the NoC's items go before kernel events
/// not yet dispatched.</para>
/// </summary>
public sealed class NocUnit : IComponent
{
    private const int Inject = 0, LinkFree = 1, HeadArrive = 2, Deliver = 3;
    private readonly MeshNocParameters _p;
    private readonly int _id;
    private readonly long _ratio, _hop;
    private readonly Queue<int>[] _waiting;
    private readonly long[] _freeAt;     // a link is busy until then
    private readonly bool[] _wakeAt;     // a LinkFree event is pending for the link
    private readonly int[] _buffered;
    private readonly Dictionary<int, int[]> _routes = [];
    private readonly UnitAgenda _agenda = new();
    private readonly PriorityQueue<long, long> _wakes = new(); // kernel wake-ups pending, by cycle (one per cycle)
    private bool _draining;
    private readonly Sim.Kernel.Ledger _ledger;
    private readonly int _hRouter, _hLink;

    // Packets in flight, pooled.
    private int[][] _route = new int[64][];
    private int[] _hopAt = new int[64], _flits = new int[64];
    private long[] _token = new long[64], _enqueued = new long[64];
    private IUnitClient?[] _client = new IUnitClient?[64];
    private int[] _routerHandle = new int[64], _linkHandle = new int[64];
    private readonly Stack<int> _free = new();
    private int _allocated;

    /// <summary>Registers the NoC with <paramref name="scheduler"/>.</summary>
    /// <param name="scheduler">The kernel.</param>
    /// <param name="parameters">Mesh size, link width, hop latency, buffers, clock.</param>
    /// <param name="baseClockHz">The kernel's clock (the NoC clock must divide it).</param>
    /// <param name="ledger">Where flit counts go, per layer (see <see cref="Handles"/>).</param>
    public NocUnit(Scheduler scheduler, MeshNocParameters parameters, double baseClockHz, Sim.Kernel.Ledger ledger)
    {
        _p = parameters;
        var ratio = baseClockHz / parameters.ClockHz;
        if (ratio < 1 || Math.Abs(ratio - Math.Round(ratio)) > 1e-9)
            throw new ArgumentException($"the NoC clock {parameters.ClockHz} Hz must divide the base clock {baseClockHz} Hz");
        _ratio = (long)Math.Round(ratio);
        _hop = parameters.HopLatencyCycles * _ratio;
        var links = parameters.Tiles * 4;
        _waiting = new Queue<int>[links];
        for (var i = 0; i < links; i++) _waiting[i] = new Queue<int>();
        _freeAt = new long[links];
        _wakeAt = new bool[links];
        _buffered = new int[links];
        Links = new UnitStatistics[links];
        for (var t = 0; t < parameters.Tiles; t++)
            for (var d = 0; d < 4; d++) Links[t * 4 + d] = new UnitStatistics($"tile{t}.router.{"ewns"[d]}", "noc_link");
        _ledger = ledger;
        (_hRouter, _hLink) = Handles("");
        _id = scheduler.Register(this);
    }

    /// <summary>Per directed link (tile x 4 + east/west/north/south): busy cycles, queue occupancy.</summary>
    public UnitStatistics[] Links { get; }

    /// <summary>Packets sent (local ones included).</summary>
    public long Packets { get; private set; }

    /// <summary>Flits injected into the mesh.</summary>
    public long Flits { get; private set; }

    /// <summary>Ledger handles (router flits, link flits) of a layer.</summary>
    public (int Router, int Link) Handles(string layer) =>
        (_ledger.Register(MeshNoc.Component, layer, MeshNoc.RouterFlitAction), _ledger.Register(MeshNoc.Component, layer, MeshNoc.LinkFlitAction));

    /// <summary>Flits of a payload of <paramref name="bits"/>.</summary>
    public int FlitsFor(long bits) => bits <= _p.LinkWidthBits ? 1 : (int)((bits + _p.LinkWidthBits - 1) / _p.LinkWidthBits);

    /// <summary>
    /// Sends <paramref name="bits"/> from one tile to another, ready at base cycle <paramref name="ready"/>
    /// (at least now); <paramref name="client"/> hears <paramref name="token"/> when the tail arrives.
    /// </summary>
    public void Send(Scheduler scheduler, int fromTile, int toTile, long bits, long ready, IUnitClient client, long token, (int Router, int Link) handles) =>
        SendFlits(scheduler, fromTile, toTile, FlitsFor(bits), ready, client, token, handles);

    /// <summary>
    /// Sends a packet of <paramref name="flits"/> flits (e.g. several payloads, each in flits of its
    /// own) from one tile to another; otherwise as <see cref="Send"/>.
    /// </summary>
    public void SendFlits(Scheduler scheduler, int fromTile, int toTile, int flits, long ready, IUnitClient client, long token, (int Router, int Link) handles)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(flits, 1);
        Packets++;
        var p = Allocate();
        _client[p] = client;
        _token[p] = token;
        _flits[p] = flits;
        _route[p] = fromTile == toTile ? [] : Route(fromTile, toTile);
        _hopAt[p] = 0;
        (_routerHandle[p], _linkHandle[p]) = handles;
        var at = Math.Max(ready, scheduler.Now);
        Post(scheduler, _route[p].Length == 0 ? at : (at + _ratio - 1) / _ratio * _ratio, _route[p].Length == 0 ? Deliver : Inject, p);
    }

    /// <inheritdoc />
    public void OnEvent(in SimEvent ev, Scheduler scheduler)
    {
        // A wake-up: run the agenda as far as nothing else can act first.
        _wakes.Dequeue();
        _draining = true;
        while (_agenda.Count > 0 && scheduler.TryAdvanceTo(_agenda.MinCycle))
        {
            var (_, kind, p) = _agenda.Pop();
            Handle(kind, p, scheduler);
        }
        _draining = false;
        if (_agenda.Count > 0) Wake(scheduler, _agenda.MinCycle);
    }

    private void Post(Scheduler scheduler, long cycle, int kind, int payload)
    {
        _agenda.Post(cycle, kind, payload);
        if (!_draining) Wake(scheduler, cycle);
    }

    /// <summary>Makes sure a kernel wake-up is pending at or before <paramref name="cycle"/>.</summary>
    private void Wake(Scheduler scheduler, long cycle)
    {
        if (_wakes.Count > 0 && _wakes.Peek() <= cycle) return;
        _wakes.Enqueue(cycle, cycle);
        scheduler.ScheduleAt(_id, cycle);
    }

    private void Handle(int kind, int p, Scheduler scheduler)
    {
        switch (kind)
        {
            case Inject:
                Flits += _flits[p];
                // Every router on the way (the source's and one per hop) and every link takes the packet's flits once.
                _ledger.Add(_routerHandle[p], (long)_flits[p] * (_route[p].Length + 1));
                _ledger.Add(_linkHandle[p], (long)_flits[p] * _route[p].Length);
                Enqueue(scheduler, _route[p][0], p);
                break;
            case LinkFree:
                _wakeAt[p] = false;
                TryServe(scheduler, p);
                break;
            case HeadArrive:
                if (++_hopAt[p] == _route[p].Length) Post(scheduler, scheduler.Now + (_flits[p] - 1) * _ratio, Deliver, p);
                else Enqueue(scheduler, _route[p][_hopAt[p]], p);
                break;
            case Deliver:
                var route = _route[p];
                if (route.Length > 0)
                {
                    var last = route[^1];
                    _buffered[last] -= _flits[p];
                    TryServe(scheduler, last);
                }
                var (client, token) = (_client[p]!, _token[p]);
                _client[p] = null;
                _free.Push(p);
                client.Completed(token, scheduler);
                break;
        }
    }

    private void Enqueue(Scheduler scheduler, int link, int p)
    {
        _enqueued[p] = scheduler.Now;
        Links[link].Enqueue(scheduler.Now);
        _waiting[link].Enqueue(p);
        TryServe(scheduler, link);
    }

    private void TryServe(Scheduler scheduler, int link)
    {
        if (_waiting[link].Count == 0) return;
        if (scheduler.Now < _freeAt[link])
        {
            // Busy: wake up when the link frees (one event per busy period with packets waiting, none otherwise).
            if (!_wakeAt[link]) { _wakeAt[link] = true; Post(scheduler, _freeAt[link], LinkFree, link); }
            return;
        }
        var p = _waiting[link].Peek();
        var flits = _flits[p];
        // Back-pressure: the next router's input buffer must take the whole packet (an empty one takes any).
        if (_buffered[link] > 0 && _buffered[link] + flits > _p.BufferFlits) return;
        _waiting[link].Dequeue();
        var now = scheduler.Now;
        Links[link].Dequeue(now, _enqueued[p]);
        var start = (now + _ratio - 1) / _ratio * _ratio;
        _freeAt[link] = start + flits * _ratio;
        _buffered[link] += flits;
        Links[link].Busy(flits * _ratio);
        if (_hopAt[p] > 0)
        {
            // The packet leaves the buffer it waited in: the link feeding that buffer may go on.
            var previous = _route[p][_hopAt[p] - 1];
            _buffered[previous] -= flits;
            TryServe(scheduler, previous);
        }
        Post(scheduler, start + _hop, HeadArrive, p);
    }

    private int Allocate()
    {
        if (_free.Count > 0) return _free.Pop();
        if (_allocated == _flits.Length)
        {
            var n = _allocated * 2;
            Array.Resize(ref _route, n);
            Array.Resize(ref _hopAt, n);
            Array.Resize(ref _flits, n);
            Array.Resize(ref _token, n);
            Array.Resize(ref _enqueued, n);
            Array.Resize(ref _client, n);
            Array.Resize(ref _routerHandle, n);
            Array.Resize(ref _linkHandle, n);
        }
        return _allocated++;
    }

    /// <summary>The XY route's links (tile x 4 + direction), cached per pair.</summary>
    private int[] Route(int from, int to)
    {
        var key = from * _p.Tiles + to;
        if (_routes.TryGetValue(key, out var cached)) return cached;
        var links = new List<int>();
        int w = _p.Width, x = from % w, y = from / w, tx = to % w, ty = to / w;
        while (x != tx)
        {
            var dir = tx > x ? 0 : 1;
            links.Add((y * w + x) * 4 + dir);
            x += dir == 0 ? 1 : -1;
        }
        while (y != ty)
        {
            var dir = ty > y ? 2 : 3;
            links.Add((y * w + x) * 4 + dir);
            y += dir == 2 ? 1 : -1;
        }
        return _routes[key] = links.ToArray();
    }
}
