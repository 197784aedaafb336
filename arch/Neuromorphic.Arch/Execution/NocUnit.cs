using System.Diagnostics;
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
/// buffer stalls the link behind it (back-pressure). A packet holds all its flits in a buffer from
/// the moment it starts crossing the link into it until its head starts crossing its next link (or,
/// at its destination, until its delivery), when it leaves the buffer whole. The tail arrives
/// flits - 1 cycles after the head.
/// <para>Injections, link crossings, links freeing and deliveries are timed events of the NoC's own
/// agenda, handled in (cycle, posting) order. The NoC runs its agenda ahead of the kernel as far as
/// nothing else can act first (up to the earliest kernel event's cycle, advancing the kernel's time
/// as it goes: <see cref="Scheduler.TryAdvanceTo"/>) and holds one kernel wake-up at its earliest item
/// otherwise. So a packet on a quiet route costs no kernel event per hop, and packets still contend
/// for links in the order they reach them. At equal cycles, a running drain handles the NoC's items
/// before kernel events not yet dispatched, while a wake-up takes its place among the kernel's events
/// of its cycle by the kernel's sequence (<see cref="Scheduler.WakeAt"/>): where a drain stops is part
/// of the order, so dropping agenda items (even ones that change no link) can reorder a cycle.</para>
/// </summary>
public sealed class NocUnit : IComponent
{
    private const int Inject = 0, LinkFree = 1, HeadArrive = 2, Deliver = 3;

    /// <summary>
    /// A packet in flight (no references, so writing one needs no GC write barrier). It follows its XY route:
    /// <see cref="XLeft"/> hops in x (direction <see cref="XDirection"/>), then the rest of its <see cref="HopsLeft"/>
    /// in y (<see cref="YDirection"/>), from <see cref="Tile"/>, the router its head enters next (where it is, once
    /// it has arrived). The next link is computed, not stored, so no route is kept per pair of tiles.
    /// </summary>
    private struct Packet
    {
        public long Token, Enqueued;
        public int Tile, HopsLeft, XLeft, XDirection, YDirection, InLink, Client, Flits, NextWaiting;
    }

    /// <summary>
    /// A directed link as a hop sees it: busy until <see cref="FreeAt"/>; the FIFO of packets waiting at its upstream
    /// router (a list through <see cref="Packet.NextWaiting"/>); its downstream buffer's flits; its busy cycles and the
    /// packets that crossed without waiting. A hop that finds the link free touches this record only (48 bytes); the
    /// queue statistics of packets that wait are kept apart (<see cref="_queues"/>) and merged in <see cref="Links"/>.
    /// </summary>
    private struct Link
    {
        public long FreeAt, Busy, PassedThrough;
        public int Buffered, WaitHead, WaitTail, WaitCount;
        public bool FreePending; // a LinkFree item is pending
    }

    private readonly int _id, _bufferFlits, _linkWidth, _width;
    private readonly long _ratio, _hop;
    private readonly ExactDivisor _edge, _flit, _row; // NoC clock edges; flits of a payload; a tile's row in the mesh
    // Per direction (east, west, north, south), the tile index step of a hop.
    private readonly int[] _step;
    private readonly Link[] _links;
    private readonly QueueCounters[] _queues; // per link: the packets that waited for it
    private readonly string[] _linkNames;
    private IUnitClient[] _clients = new IUnitClient[4];
    private int _clientCount;
    private IUnitClient? _lastClient; // the last packet's client and its index (ClientIndex)
    private int _lastClientIndex;
    private readonly UnitAgenda _agenda = new();
    private bool _draining;
    private readonly Sim.Kernel.Ledger _ledger;

    // Packets in flight, pooled.
    private Packet[] _packets = new Packet[64];
    private int[] _free = new int[64];
    private int _freeCount, _allocated;

    /// <summary>Registers the NoC with <paramref name="scheduler"/>.</summary>
    /// <param name="scheduler">The kernel.</param>
    /// <param name="parameters">Mesh size, link width, hop latency, buffers, clock.</param>
    /// <param name="baseClockHz">The kernel's clock (the NoC clock must divide it).</param>
    /// <param name="ledger">Where flit counts go, per layer (see <see cref="Handles"/>).</param>
    /// <exception cref="ArgumentException">The NoC clock does not divide the base clock.</exception>
    /// <exception cref="InvalidOperationException">A hop is not a whole number of NoC cycles (crossings would start between edges).</exception>
    public NocUnit(Scheduler scheduler, MeshNocParameters parameters, double baseClockHz, Sim.Kernel.Ledger ledger)
    {
        var ratio = baseClockHz / parameters.ClockHz;
        if (ratio < 1 || Math.Abs(ratio - Math.Round(ratio)) > 1e-9)
            throw new ArgumentException($"the NoC clock {parameters.ClockHz} Hz must divide the base clock {baseClockHz} Hz");
        _ratio = (long)Math.Round(ratio);
        _edge = new ExactDivisor(_ratio);
        _flit = new ExactDivisor(parameters.LinkWidthBits);
        _row = new ExactDivisor(parameters.Width);
        // A hop is at least one NoC cycle (MeshNocParameters and the architecture loader refuse 0): a barrier step's
        // start on an idle chip, which both threads timing steps rely on (TimingEngine.TimeShared), assumes it.
        _hop = parameters.HopLatencyCycles * _ratio;
        // Cross relies on every crossing starting on a NoC clock edge, which holds because edges are the multiples of the
        // whole ratio checked above and every delay after an edge is whole NoC cycles: a hop (checked here once, with the
        // divisor Cross's debug check uses) and a packet's flits on a link (flits x _ratio).
        if (_edge.NextMultiple(_hop) != _hop)
            throw new InvalidOperationException($"a hop of {_hop} base cycles is not a whole number of NoC cycles of {_ratio}");
        _bufferFlits = parameters.BufferFlits;
        _linkWidth = parameters.LinkWidthBits;
        _width = parameters.Width;
        _step = [1, -1, _width, -_width];
        var links = parameters.Tiles * 4;
        _links = new Link[links];
        _queues = new QueueCounters[links];
        _linkNames = new string[links];
        for (var t = 0; t < parameters.Tiles; t++)
            for (var d = 0; d < 4; d++) _linkNames[t * 4 + d] = $"tile{t}.router.{"ewns"[d]}";
        _ledger = ledger;
        Handles("");
        _id = scheduler.Register(this);
    }

    /// <summary>
    /// Per directed link (tile x 4 + east/west/north/south): busy cycles, queue occupancy, as they stand
    /// now (a snapshot: closing one closes the copy, not the link's running statistics).
    /// </summary>
    public UnitStatistics[] Links
    {
        get
        {
            var links = new UnitStatistics[_links.Length];
            for (var k = 0; k < links.Length; k++)
            {
                // The waiting packets' counters, with the link's busy cycles and the packets that passed straight through
                // (each an arrival that joined and left an empty queue at once: a queue length of 1 at most).
                ref readonly var l = ref _links[k];
                var counters = _queues[k];
                counters.Busy = l.Busy;
                counters.Arrivals += l.PassedThrough;
                if (l.PassedThrough > 0 && counters.MaxLength == 0) counters.MaxLength = 1;
                links[k] = new UnitStatistics(_linkNames[k], "noc_link", in counters);
            }
            return links;
        }
    }

    /// <summary>
    /// Tests: whether the drain takes the NoC's own stale wake-up at once when it is the kernel's next event
    /// (<see cref="Scheduler.TryDispatchWake"/>; the default) rather than returning to the kernel for it. The results are
    /// the same either way.
    /// </summary>
    internal bool TakesWakesInline { get; init; } = true;

    /// <summary>
    /// Tests: hears every link crossing as it starts (null, the default: nothing is called, one null check per crossing).
    /// The NoC's rules are checked against such a trace by a checker of their own, not by comparing the NoC with itself.
    /// </summary>
    internal interface ICrossingObserver
    {
        /// <summary>
        /// The packet sent with <paramref name="token"/> starts crossing <paramref name="link"/> (tile x 4 +
        /// east/west/north/south) at base cycle <paramref name="cycle"/>. Called just after the crossing posts its head's
        /// arrival at the next router, so the calls come in the order those arrivals are posted.
        /// </summary>
        void Crossed(long token, int link, long cycle);
    }

    private readonly ICrossingObserver? _observer;

    /// <summary>Tests: the observer of every crossing (<see cref="ICrossingObserver"/>); null, the default, for none.</summary>
    internal ICrossingObserver? Observer { get => _observer; init => _observer = value; }

    /// <summary>Wake-ups the drain took at once (<see cref="TakesWakesInline"/>): tests check their traffic has some.</summary>
    internal long WakesTakenInline { get; private set; }

    /// <summary>Packets sent (local ones included).</summary>
    public long Packets { get; private set; }

    /// <summary>Flits sent into the mesh, counted when each packet is sent (local packets, which never enter it, excluded).</summary>
    public long Flits { get; private set; }

    /// <summary>Ledger handles (router flits, link flits) of a layer.</summary>
    public (int Router, int Link) Handles(string layer) => HandlesIn(_ledger, layer);

    /// <summary>Handles (router flits, link flits) of a layer in <paramref name="ledger"/>, for a sender that counts its packets itself (<see cref="CountHops"/>).</summary>
    public static (int Router, int Link) HandlesIn(Sim.Kernel.Ledger ledger, string layer) =>
        (ledger.Register(MeshNoc.Component, layer, MeshNoc.RouterFlitAction), ledger.Register(MeshNoc.Component, layer, MeshNoc.LinkFlitAction));

    /// <summary>Flits of a payload of <paramref name="bits"/>.</summary>
    public int FlitsFor(long bits) => bits <= _linkWidth ? 1 : (int)_flit.Ceiling(bits);

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
        CountHops(_ledger, handles, Hops(fromTile, toTile), flits);
        SendCounted(scheduler, fromTile, toTile, flits, ready, client, token);
    }

    /// <summary>
    /// The one count of routes: a packet's flits on a route of <paramref name="hops"/> hops (<see cref="Hops"/>) into
    /// <paramref name="ledger"/>: every router on the way (the source's and one per hop) and every link take its flits
    /// once; nothing for a packet within a tile (0 hops, or less). <see cref="SendFlits"/> counts with it when it sends,
    /// and so does a sender that counts its packets itself before <see cref="SendCounted"/> (the chip's capture,
    /// <see cref="StepTraffic"/>, on the function pass's thread, into its own ledger, with the routes' hops asked once). It touches no NoC state, so any thread may call it.
    /// </summary>
    /// <param name="ledger">Where the counts go.</param>
    /// <param name="handles">The ledger's router and link flit handles (<see cref="HandlesIn"/>).</param>
    /// <param name="hops">Hops of the packet's route; 0 or less within a tile.</param>
    /// <param name="flits">Flits of the packet.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static void CountHops(Sim.Kernel.Ledger ledger, (int Router, int Link) handles, int hops, int flits)
    {
        if (hops <= 0) return;
        var (router, link) = RouteFlits(hops, flits);
        ledger.Add(handles.Router, router);
        ledger.Add(handles.Link, link);
    }

    /// <summary>
    /// The rule <see cref="CountHops"/> counts by: a packet of <paramref name="flits"/> flits on a route of
    /// <paramref name="hops"/> hops passes hops + 1 routers and hops links; nothing within a tile (0 hops, or less). For a
    /// sender that sums a step's packets before it adds them to its ledger (<see cref="StepTraffic"/>).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static (long Router, long Link) RouteFlits(int hops, long flits) =>
        hops <= 0 ? (0, 0) : (flits * (hops + 1), flits * hops);

    /// <summary>Hops of the XY route between two tiles.</summary>
    public int Hops(int fromTile, int toTile) => HopsOf(Offset(fromTile, toTile));

    private static int HopsOf((int Dx, int Dy) offset) => Math.Abs(offset.Dx) + Math.Abs(offset.Dy);

    /// <summary>Columns (x) and rows (y) of the mesh from one tile to another, signed.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private (int Dx, int Dy) Offset(int fromTile, int toTile)
    {
        var (fromY, toY) = ((int)_row.Floor(fromTile), (int)_row.Floor(toTile));
        return (toTile - toY * _width - (fromTile - fromY * _width), toY - fromY);
    }

    /// <summary>
    /// <see cref="SendFlits"/> for a packet whose route's flits the sender counts itself (<see cref="CountHops"/>): the
    /// source's router and one router and link per hop (<see cref="Hops"/>) take its flits once.
    /// </summary>
    public void SendCounted(Scheduler scheduler, int fromTile, int toTile, int flits, long ready, IUnitClient client, long token)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(flits, 1);
        Packets++;
        var p = Allocate();
        ref var pk = ref _packets[p];
        pk.Client = ClientIndex(client);
        pk.Token = token;
        pk.Flits = flits;
        pk.InLink = -1;
        var at = Math.Max(ready, scheduler.Now);
        if (fromTile == toTile)
        {
            Post(scheduler, at, Deliver, p);
            return;
        }
        var offset = Offset(fromTile, toTile);
        pk.Tile = fromTile;
        pk.XLeft = Math.Abs(offset.Dx);
        pk.HopsLeft = HopsOf(offset);
        pk.XDirection = offset.Dx > 0 ? 0 : 1;
        pk.YDirection = offset.Dy > 0 ? 2 : 3;
        Flits += flits;
        Post(scheduler, _edge.NextMultiple(at), Inject, p);
    }

    /// <summary>
    /// The next link of the packet's XY route from the router its head is at (x first, then y; it is not at its
    /// destination); the packet's position moves past it.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private int NextLink(ref Packet pk)
    {
        // Without branches on the direction: which way is a select, the position a table step.
        var inX = pk.XLeft > 0 ? 1 : 0;
        var dir = inX != 0 ? pk.XDirection : pk.YDirection;
        var link = pk.Tile * 4 + dir;
        pk.Tile += _step[dir];
        pk.XLeft -= inX;
        pk.HopsLeft--;
        return link;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private int ClientIndex(IUnitClient client) =>
        // A run's packets come from one client or a few, mostly the same as the last: that one without a look-up.
        ReferenceEquals(client, _lastClient) ? _lastClientIndex : FindClient(client);

    /// <summary>Looks <paramref name="client"/> up (adding it if new) and makes it the last client.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private int FindClient(IUnitClient client)
    {
        _lastClient = client;
        // A run has one client or a few: a look-up by reference in a short array.
        var clients = _clients;
        for (var k = 0; k < _clientCount; k++)
            if (ReferenceEquals(clients[k], client)) return _lastClientIndex = k;
        if (_clientCount == clients.Length) Array.Resize(ref _clients, _clientCount * 2);
        _clients[_clientCount] = client;
        return _lastClientIndex = _clientCount++;
    }

    /// <inheritdoc />
    public void OnEvent(in SimEvent ev, Scheduler scheduler)
    {
        // A wake-up: run the agenda as far as nothing else can act first.
        _draining = true;
        var agenda = _agenda;
        long next;
        while (true)
        {
            if (!agenda.TryPeek(out next, out var source) || !scheduler.TryAdvanceTo(next))
            {
                // Nothing left, or something else comes first. If that is one of the NoC's own (stale) wake-ups, and the
                // kernel's next event, the kernel would only hand it back to go on here: it is taken at once (at its time,
                // counted as an event), and the drain goes on.
                if (TakesWakesInline && scheduler.TryDispatchWake(_id))
                {
                    WakesTakenInline++;
                    continue;
                }
                break;
            }
            // The first lane holds heads' arrivals only (most items): no dispatch on the kind for them.
            if (source == UnitAgenda.InLane)
            {
                HeadArrived(scheduler, agenda.PopLane());
                continue;
            }
            int kind, p;
            if (source != UnitAgenda.InCalendar) agenda.PopSoon(source, out kind, out p);
            else agenda.PopCalendar(out kind, out p);
            switch (kind)
            {
                case HeadArrive: HeadArrived(scheduler, p); break;
                case LinkFree:
                    _links[p].FreePending = false;
                    TryServe(scheduler, p);
                    break;
                case Inject: Enqueue(scheduler, NextLink(ref _packets[p]), p); break;
                default: Delivered(scheduler, p); break;
            }
        }
        _draining = false;
        if (agenda.TryPeek(out next)) Wake(scheduler, next);
    }

    private void Post(Scheduler scheduler, long cycle, int kind, int payload)
    {
        // Injections come in cycle order (at the NoC clock edge after the time they are sent), link frees and
        // deliveries mostly so among themselves: each kind of its own in a lane of the agenda.
        if (kind == Inject) _agenda.PostSecond(cycle, kind, payload);
        else _agenda.PostThird(cycle, kind, payload);
        if (!_draining) Wake(scheduler, cycle);
    }

    /// <summary>
    /// Makes sure a kernel wake-up is pending at or before <paramref name="cycle"/>. Each new one is earlier than all
    /// pending (else none is needed): the kernel keeps them as a stack beside its event queue (<see cref="Scheduler.WakeAt"/>).
    /// </summary>
    private void Wake(Scheduler scheduler, long cycle)
    {
        if (scheduler.TryPeekWake(out var pending) && pending <= cycle) return;
        scheduler.WakeAt(_id, cycle);
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void HeadArrived(Scheduler scheduler, int p)
    {
        ref var pk = ref _packets[p];
        // The head has crossed its last link into the next router.
        if (pk.HopsLeft > 0) Enqueue(scheduler, NextLink(ref pk), p);
        else if (pk.Flits > 1 || _agenda.TryPeek(out var next) && next <= scheduler.Now) Post(scheduler, scheduler.Now + (pk.Flits - 1) * _ratio, Deliver, p);
        else
        {
            // A one-flit packet's tail is in with its head. Its delivery now would be the agenda's next item (nothing
            // else waits at this cycle, and the drain goes on at this cycle whatever the kernel holds): done at once.
            Delivered(scheduler, p);
        }
    }

    private void Delivered(Scheduler scheduler, int p)
    {
        ref var pk = ref _packets[p];
        if (pk.InLink >= 0)
        {
            // The packet leaves the last buffer: the link into it may serve a packet waiting for room (the call only then).
            ref var last = ref _links[pk.InLink];
            last.Buffered -= pk.Flits;
            if (last.WaitCount > 0) TryServe(scheduler, pk.InLink);
        }
        var (client, token) = (_clients[pk.Client], pk.Token);
        _free[_freeCount++] = p;
        client.Completed(token, scheduler);
    }

    // Inlined (into the drain's hops and injections): most entries pass straight through, and the crossing is the hop's
    // whole work, so a hop costs no call; a packet that waits takes the call.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Enqueue(Scheduler scheduler, int link, int p)
    {
        var now = scheduler.Now;
        ref var l = ref _links[link];
        ref var pk = ref _packets[p];
        // An idle link with nobody waiting whose next buffer takes the packet: it crosses at once. Not here with an
        // observer (tests): its crossings go by the call, so the drain's inlined code carries no call of its own for it.
        if (CrossesAtOnce(ref l, ref pk, now) && _observer is null)
        {
            l.PassedThrough++;
            Cross(scheduler, ref l, link, ref pk, p, now, observe: false);
            return;
        }
        EnqueueOutOfLine(scheduler, link, p, now);
    }

    /// <summary>Whether a packet reaching <paramref name="l"/> now crosses at once: idle, nobody waiting, its flits fit the buffer behind.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private bool CrossesAtOnce(ref Link l, ref Packet pk, long now) =>
        l.WaitCount == 0 && now >= l.FreeAt && (l.Buffered == 0 || l.Buffered + pk.Flits <= _bufferFlits);

    /// <summary>
    /// <see cref="Enqueue"/>'s call: a packet that waits (<see cref="Wait"/>), or, with an observer, one that crosses at
    /// once as <see cref="Enqueue"/> would have it cross, told to the observer.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void EnqueueOutOfLine(Scheduler scheduler, int link, int p, long now)
    {
        ref var l = ref _links[link];
        ref var pk = ref _packets[p];
        if (_observer is not null && CrossesAtOnce(ref l, ref pk, now))
        {
            l.PassedThrough++;
            Cross(scheduler, ref l, link, ref pk, p, now, observe: true);
            return;
        }
        Wait(scheduler, link, p, now);
    }

    /// <summary>Packet <paramref name="p"/> joins the queue of <paramref name="link"/>, busy or with packets waiting or a full buffer behind it.</summary>
    // Inlined into EnqueueOutOfLine, its one caller: a packet that waits takes one call, as before the observer.
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Wait(Scheduler scheduler, int link, int p, long now)
    {
        ref var l = ref _links[link];
        ref var pk = ref _packets[p];
        pk.Enqueued = now;
        _queues[link].Enqueue(now, 1);
        pk.NextWaiting = -1;
        if (l.WaitCount++ == 0) l.WaitHead = p;
        else _packets[l.WaitTail].NextWaiting = p;
        l.WaitTail = p;
        TryServe(scheduler, link);
    }

    private void TryServe(Scheduler scheduler, int link)
    {
        ref var l = ref _links[link];
        if (l.WaitCount == 0) return;
        var now = scheduler.Now;
        if (now < l.FreeAt)
        {
            // Busy: wake up when the link frees (one event per busy period with packets waiting, none otherwise).
            if (!l.FreePending) { l.FreePending = true; Post(scheduler, l.FreeAt, LinkFree, link); }
            return;
        }
        var p = l.WaitHead;
        ref var pk = ref _packets[p];
        // Back-pressure: the next router's input buffer must take the whole packet (an empty one takes any).
        if (l.Buffered > 0 && l.Buffered + pk.Flits > _bufferFlits) return;
        l.WaitHead = pk.NextWaiting;
        l.WaitCount--;
        _queues[link].Dequeue(now, pk.Enqueued);
        Cross(scheduler, ref l, link, ref pk, p, now, _observer is not null);
        // Packets still wait: the next may go when the link frees, if its flits fit the buffer then. Nothing else need
        // call this link back by that cycle (the packet just sent may stay in the buffer, blocked further on), so the
        // link asks for its own wake-up, as it does when it is found busy.
        if (l.WaitCount > 0 && !l.FreePending) { l.FreePending = true; Post(scheduler, l.FreeAt, LinkFree, link); }
    }

    /// <summary>
    /// Packet <paramref name="p"/> (<paramref name="pk"/>) takes <paramref name="link"/> (<paramref name="l"/>) from
    /// <paramref name="now"/>, a NoC clock edge. Neither record moves meanwhile: only <see cref="Allocate"/> grows the
    /// packets, and a crossing allocates none (it posts, and serves the link behind it, nothing else). With
    /// <paramref name="observe"/> it tells the observer (a constant false where the drain inlines it: no code there).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Cross(Scheduler scheduler, ref Link l, int link, ref Packet pk, int p, long now, bool observe)
    {
        var flits = pk.Flits;
        // Every agenda item that can start a crossing falls on a NoC clock edge (injections wait for the next edge;
        // head arrivals, link frees and the deliveries of packets that crossed links, which free a link, come whole NoC
        // cycles after an edge), so the crossing starts now. A delivery within a tile (SendCounted posts it at
        // max(ready, now)) need not fall on an edge, but it frees no link, so it starts no crossing.
        // The constructor checks what this relies on (a whole clock ratio, a hop of whole NoC cycles), so only a Debug
        // build re-checks it per crossing, the hot path.
        Debug.Assert(_edge.NextMultiple(now) == now, "a crossing starts between NoC clock edges");
        // An engine that times steps for another lists the links a step used (a link crosses once at least, and its
        // busy cycles are zero until then: Harvest zeroes them).
        if (_touched is not null && l.Busy == 0) _touched[_touchedCount++] = link;
        var busy = flits * _ratio;
        l.FreeAt = now + busy;
        l.Buffered += flits;
        l.Busy += busy;
        var previous = pk.InLink;
        pk.InLink = link;
        if (previous >= 0)
        {
            // The packet leaves the buffer it waited in: the link feeding that buffer may go on.
            ref var before = ref _links[previous];
            before.Buffered -= flits;
            if (before.WaitCount > 0) TryServe(scheduler, previous);
        }
        // Every head arrives one hop latency after the crossing starts, now; as now never goes back, arrivals come in
        // cycle order: the agenda's lane takes them.
        var arrival = now + _hop;
        _agenda.PostInOrder(arrival, HeadArrive, p);
        if (!_draining) Wake(scheduler, arrival);
        // Told last, after the arrival is posted (and after the crossings the buffer left may have started, which post
        // theirs first), so the observer hears crossings in the order their arrivals are posted: the order of a tie at a
        // router. Out of line, and only where Cross is called with an observer.
        if (observe) Observe(p, link);
    }

    /// <summary>
    /// Tells the observer (tests) that packet <paramref name="p"/> has just started crossing <paramref name="link"/>
    /// (<see cref="ICrossingObserver.Crossed"/>): at the link's free time less the packet's flits.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private void Observe(int p, int link)
    {
        ref readonly var pk = ref _packets[p];
        _observer!.Crossed(pk.Token, link, _links[link].FreeAt - pk.Flits * _ratio);
    }

    // The links used since the last Harvest (TrackLinks; null: not listed).
    private int[]? _touched;
    private int _touchedCount;

    /// <summary>Directed links (tiles x 4).</summary>
    internal int LinkCount => _links.Length;

    /// <summary>Lists the links each step uses, for <see cref="Harvest"/> (an engine that times steps for another: <see cref="TimingEngine"/>).</summary>
    internal void TrackLinks() => _touched ??= new int[_links.Length];

    /// <summary>
    /// Between steps (no packet in flight): hands the packets, flits and every used link's counters over to
    /// <paramref name="pack"/> (link k as unit <paramref name="first"/> + k, its busy cycles in the counters, the packets
    /// that passed through as the extra), and starts them again from zero. Needs <see cref="TrackLinks"/>.
    /// </summary>
    internal void Harvest(StepPack pack, int first)
    {
        var touched = _touched ?? throw new InvalidOperationException("the NoC does not list its links (TrackLinks)");
        (pack.Packets, pack.Flits, Packets, Flits) = (Packets, Flits, 0, 0);
        for (var k = 0; k < _touchedCount; k++)
        {
            var link = touched[k];
            ref var l = ref _links[link];
            ref var q = ref _queues[link];
            var counters = q;
            counters.Busy = l.Busy;
            pack.Add(first + link, in counters, l.PassedThrough);
            (q, l.Busy, l.PassedThrough) = (default, 0, 0);
        }
        _touchedCount = 0;
    }

    /// <summary>Adds a link's counters of a step timed elsewhere (<see cref="Harvest"/>): the link's busy cycles are the counters'.</summary>
    internal void MergeLink(int link, in QueueCounters counters, long passedThrough)
    {
        ref var l = ref _links[link];
        l.Busy += counters.Busy;
        l.PassedThrough += passedThrough;
        var waited = counters;
        waited.Busy = 0;
        _queues[link].Add(in waited);
    }

    /// <summary>Adds the packets and flits of a step timed elsewhere.</summary>
    internal void MergeSent(long packets, long flits)
    {
        Packets += packets;
        Flits += flits;
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private int Allocate() => _freeCount > 0 ? _free[--_freeCount] : AllocateNew();

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private int AllocateNew()
    {
        if (_allocated == _packets.Length)
        {
            Array.Resize(ref _packets, _allocated * 2);
            Array.Resize(ref _free, _allocated * 2);
        }
        return _allocated++;
    }
}
