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
    private readonly int _id, _bufferFlits;
    private readonly long _ratio, _hop;
    // Per directed link: the FIFO of packets waiting at its upstream router (a list through _nextWaiting).
    private readonly int[] _waitHead, _waitTail, _waitCount;
    private readonly long[] _freeAt;     // a link is busy until then
    private readonly bool[] _wakeAt;     // a LinkFree event is pending for the link
    private readonly int[] _buffered;
    private readonly Dictionary<int, int[]> _routes = [];
    private readonly UnitAgenda _agenda = new();
    // Kernel wake-ups pending: each new one is earlier than all pending (else none is needed), and the
    // kernel dispatches them earliest first, so they form a stack with the earliest on top.
    private long[] _wakes = new long[8];
    private int _wakeCount;
    private bool _draining;
    private readonly Sim.Kernel.Ledger _ledger;

    // Packets in flight, pooled.
    private int[][] _route = new int[64][];
    private int[] _hopAt = new int[64], _flits = new int[64], _nextWaiting = new int[64];
    private long[] _token = new long[64], _enqueued = new long[64];
    private IUnitClient?[] _client = new IUnitClient?[64];
    private int[] _routerHandle = new int[64], _linkHandle = new int[64];
    private int[] _free = new int[64];
    private int _freeCount, _allocated;

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
        _bufferFlits = parameters.BufferFlits;
        var links = parameters.Tiles * 4;
        (_waitHead, _waitTail, _waitCount) = (new int[links], new int[links], new int[links]);
        _freeAt = new long[links];
        _wakeAt = new bool[links];
        _buffered = new int[links];
        Links = new UnitStatistics[links];
        for (var t = 0; t < parameters.Tiles; t++)
            for (var d = 0; d < 4; d++) Links[t * 4 + d] = new UnitStatistics($"tile{t}.router.{"ewns"[d]}", "noc_link");
        _ledger = ledger;
        Handles("");
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
    public void SendFlits(Scheduler scheduler, int fromTile, int toTile, int flits, long ready, IUnitClient client, long token, (int Router, int Link) handles) =>
        SendFlits(scheduler, fromTile == toTile ? [] : Route(fromTile, toTile), flits, ready, client, token, handles);

    /// <summary>
    /// Sends a packet of <paramref name="flits"/> flits along <paramref name="route"/> (from <see cref="Route"/>;
    /// empty: within a tile), for a caller that keeps its routes; otherwise as <see cref="SendFlits(Scheduler, int, int, int, long, IUnitClient, long, ValueTuple{int, int})"/>.
    /// </summary>
    internal void SendFlits(Scheduler scheduler, int[] route, int flits, long ready, IUnitClient client, long token, (int Router, int Link) handles)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(flits, 1);
        Packets++;
        var p = Allocate();
        _client[p] = client;
        _token[p] = token;
        _flits[p] = flits;
        _route[p] = route;
        _hopAt[p] = 0;
        (_routerHandle[p], _linkHandle[p]) = handles;
        var at = Math.Max(ready, scheduler.Now);
        Post(scheduler, route.Length == 0 ? at : (at + _ratio - 1) / _ratio * _ratio, route.Length == 0 ? Deliver : Inject, p);
    }

    /// <inheritdoc />
    public void OnEvent(in SimEvent ev, Scheduler scheduler)
    {
        // A wake-up: run the agenda as far as nothing else can act first.
        _wakeCount--;
        _draining = true;
        var agenda = _agenda;
        while (agenda.Count > 0 && scheduler.TryAdvanceTo(agenda.MinCycle))
        {
            var (_, kind, p) = agenda.Pop();
            Handle(kind, p, scheduler);
        }
        _draining = false;
        if (agenda.Count > 0) Wake(scheduler, agenda.MinCycle);
    }

    private void Post(Scheduler scheduler, long cycle, int kind, int payload)
    {
        _agenda.Post(cycle, kind, payload);
        if (!_draining) Wake(scheduler, cycle);
    }

    /// <summary>Makes sure a kernel wake-up is pending at or before <paramref name="cycle"/>.</summary>
    private void Wake(Scheduler scheduler, long cycle)
    {
        if (_wakeCount > 0 && _wakes[_wakeCount - 1] <= cycle) return;
        if (_wakeCount == _wakes.Length) Array.Resize(ref _wakes, _wakeCount * 2);
        _wakes[_wakeCount++] = cycle;
        scheduler.ScheduleAt(_id, cycle);
    }

    private void Handle(int kind, int p, Scheduler scheduler)
    {
        switch (kind)
        {
            case Inject:
            {
                var route = _route[p];
                Flits += _flits[p];
                // Every router on the way (the source's and one per hop) and every link takes the packet's flits once.
                _ledger.Add(_routerHandle[p], (long)_flits[p] * (route.Length + 1));
                _ledger.Add(_linkHandle[p], (long)_flits[p] * route.Length);
                Enqueue(scheduler, route[0], p);
                break;
            }
            case LinkFree:
                _wakeAt[p] = false;
                TryServe(scheduler, p);
                break;
            case HeadArrive:
            {
                var route = _route[p];
                var hop = ++_hopAt[p];
                if (hop == route.Length) Post(scheduler, scheduler.Now + (_flits[p] - 1) * _ratio, Deliver, p);
                else Enqueue(scheduler, route[hop], p);
                break;
            }
            case Deliver:
            {
                var route = _route[p];
                if (route.Length > 0)
                {
                    var last = route[^1];
                    _buffered[last] -= _flits[p];
                    TryServe(scheduler, last);
                }
                var (client, token) = (_client[p]!, _token[p]);
                _client[p] = null;
                _free[_freeCount++] = p;
                client.Completed(token, scheduler);
                break;
            }
        }
    }

    private void Enqueue(Scheduler scheduler, int link, int p)
    {
        var now = scheduler.Now;
        // An idle link with nobody waiting whose next buffer takes the packet: it crosses at once.
        if (_waitCount[link] == 0 && now >= _freeAt[link] && Fits(link, _flits[p]))
        {
            Links[link].PassThrough(now);
            Cross(scheduler, link, p, now);
            return;
        }
        _enqueued[p] = now;
        Links[link].Enqueue(now);
        _nextWaiting[p] = -1;
        if (_waitCount[link]++ == 0) _waitHead[link] = p;
        else _nextWaiting[_waitTail[link]] = p;
        _waitTail[link] = p;
        TryServe(scheduler, link);
    }

    /// <summary>Back-pressure: the next router's input buffer must take the whole packet (an empty one takes any).</summary>
    private bool Fits(int link, int flits) => _buffered[link] == 0 || _buffered[link] + flits <= _bufferFlits;

    private void TryServe(Scheduler scheduler, int link)
    {
        if (_waitCount[link] == 0) return;
        var now = scheduler.Now;
        if (now < _freeAt[link])
        {
            // Busy: wake up when the link frees (one event per busy period with packets waiting, none otherwise).
            if (!_wakeAt[link]) { _wakeAt[link] = true; Post(scheduler, _freeAt[link], LinkFree, link); }
            return;
        }
        var p = _waitHead[link];
        if (!Fits(link, _flits[p])) return;
        _waitHead[link] = _nextWaiting[p];
        _waitCount[link]--;
        Links[link].Dequeue(now, _enqueued[p]);
        Cross(scheduler, link, p, now);
    }

    /// <summary>Packet <paramref name="p"/> takes <paramref name="link"/> from the next NoC clock edge.</summary>
    private void Cross(Scheduler scheduler, int link, int p, long now)
    {
        var flits = _flits[p];
        var start = (now + _ratio - 1) / _ratio * _ratio;
        _freeAt[link] = start + flits * _ratio;
        _buffered[link] += flits;
        Links[link].Busy(flits * _ratio);
        var hop = _hopAt[p];
        if (hop > 0)
        {
            // The packet leaves the buffer it waited in: the link feeding that buffer may go on.
            var previous = _route[p][hop - 1];
            _buffered[previous] -= flits;
            TryServe(scheduler, previous);
        }
        Post(scheduler, start + _hop, HeadArrive, p);
    }

    private int Allocate()
    {
        if (_freeCount > 0) return _free[--_freeCount];
        if (_allocated == _flits.Length)
        {
            var n = _allocated * 2;
            Array.Resize(ref _route, n);
            Array.Resize(ref _hopAt, n);
            Array.Resize(ref _flits, n);
            Array.Resize(ref _nextWaiting, n);
            Array.Resize(ref _token, n);
            Array.Resize(ref _enqueued, n);
            Array.Resize(ref _client, n);
            Array.Resize(ref _routerHandle, n);
            Array.Resize(ref _linkHandle, n);
            Array.Resize(ref _free, n);
        }
        return _allocated++;
    }

    /// <summary>The XY route's links (tile x 4 + direction) from one tile to another (empty within a tile), cached per pair.</summary>
    internal int[] Route(int from, int to)
    {
        if (from == to) return [];
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
