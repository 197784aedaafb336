using Neuromorphic.Arch.Execution;

namespace Neuromorphic.Tests.Review;

/// <summary>A packet as its sender sent it: tile to tile, flits, the kernel's time of the send, ready cycle, and the posting number of its injection.</summary>
internal sealed record NocSend(long Token, int From, int To, int Flits, long Now, long Ready, long Posted);

/// <summary>A packet's crossing of a link (tile x 4 + east/west/north/south) from a base cycle, with the posting number of its head's arrival.</summary>
internal readonly record struct NocCrossing(long Token, int Link, long Cycle, long Posted);

/// <summary>
/// A run of the NoC as seen from outside: the mesh, the sends, every crossing and every delivery (in the order they
/// happened). Times are base cycles; <see cref="Ratio"/> base cycles make a NoC cycle; <see cref="Hop"/> is in base cycles.
/// </summary>
internal sealed record NocTrace(int Width, int Height, long Ratio, long Hop, int Buffer,
    IReadOnlyList<NocSend> Sends, IReadOnlyList<NocCrossing> Crossings, IReadOnlyList<(long Token, long Cycle)> Deliveries);

/// <summary>What checked traces exercised (a property over traffic that never contends shows nothing).</summary>
internal sealed class NocCoverage
{
    /// <summary>Link entries that waited (crossed after they reached the link).</summary>
    public long Waited;

    /// <summary>Instants a link was idle with a packet waiting whose flits did not fit its downstream buffer (back-pressure).</summary>
    public long Stalled;

    /// <summary>Link entries that reached their link at the same cycle as an earlier-posted one.</summary>
    public long Ties;

    /// <summary>
    /// Waiting packets that crossed the moment their link freed while the packet sent before them still sat in the
    /// buffer behind it (the case of the lost wake-up fixed in session 27).
    /// </summary>
    public long BehindBuffered;

    /// <summary>Adds another trace's counts.</summary>
    public void Add(NocCoverage other)
    {
        Waited += other.Waited;
        Stalled += other.Stalled;
        Ties += other.Ties;
        BehindBuffered += other.BehindBuffered;
    }
}

/// <summary>
/// Checks a NoC trace against the NoC's documented rules (docs/architecture.md, <see cref="NocUnit"/>'s summary),
/// written from the rules, not from the NoC's code:
/// <list type="bullet">
/// <item>a packet crosses the links of its XY route (x first), in order, each from a NoC clock edge, never before it
/// reached the link: its injection (the first edge at or after max(ready, the send's time)) for its first link, its head's
/// arrival one hop after it started crossing the previous link for the others;</item>
/// <item>a link carries one packet at a time, busy one NoC cycle per flit;</item>
/// <item>each link serves its packets in the order they reached it, ties at one cycle in the order their reaching was
/// posted (the agenda's (cycle, posting) order): an injection when it was sent, an arrival when its previous crossing
/// started;</item>
/// <item>a packet occupies a link's downstream buffer from its crossing of that link until it crosses its next link or is
/// delivered; a packet crosses only if its flits fit the buffer, or the buffer is empty (so the buffer is never over its
/// capacity but for one packet larger than it);</item>
/// <item>work conservation: at no instant is a link idle while the first packet waiting for it fits its buffer;</item>
/// <item>delivery: the last crossing + one hop + flits - 1 NoC cycles (within a tile: max(ready, the send's time)),
/// every packet exactly once;</item>
/// <item>the links' statistics: busy cycles, arrivals, queued arrivals, waits, queue area and longest queue agree with the
/// trace, as do the packets and flits sent.</item>
/// </list>
/// </summary>
internal static class NocRuleChecker
{
    /// <summary>A packet's visit to one link: when it reached it (and the posting number of that), crossed it, and left its downstream buffer.</summary>
    private sealed class Visit
    {
        public long Token, Reach, Posted, Cross, Leave;
        public int Flits;
    }

    /// <summary>
    /// Checks <paramref name="trace"/>, and the NoC's counters after it (<paramref name="links"/>, <paramref name="packets"/>,
    /// <paramref name="flits"/>). Returns the first broken rule, or null; adds what the trace exercised to <paramref name="coverage"/>.
    /// </summary>
    public static string? Check(NocTrace trace, IReadOnlyList<UnitStatistics> links, long packets, long flits, NocCoverage coverage)
    {
        var (r, hop, buffer) = (trace.Ratio, trace.Hop, trace.Buffer);
        var linkCount = trace.Width * trace.Height * 4;
        var crossings = new Dictionary<long, List<NocCrossing>>();
        foreach (var c in trace.Crossings)
        {
            if (!crossings.TryGetValue(c.Token, out var list)) crossings[c.Token] = list = [];
            list.Add(c);
        }
        var delivered = new Dictionary<long, long>();
        foreach (var (token, cycle) in trace.Deliveries)
            if (!delivered.TryAdd(token, cycle)) return $"packet {token} delivered twice (at {delivered[token]} and {cycle})";
        var sent = new HashSet<long>();
        var visits = new List<Visit>[linkCount];
        for (var k = 0; k < linkCount; k++) visits[k] = [];
        long meshFlits = 0;
        foreach (var s in trace.Sends)
        {
            if (!sent.Add(s.Token)) return $"token {s.Token} sent twice (the traffic must give unique tokens)";
            var route = Route(trace.Width, s.From, s.To);
            var cs = crossings.TryGetValue(s.Token, out var l) ? l : [];
            if (cs.Count != route.Count || !cs.Select(c => c.Link).SequenceEqual(route))
                return $"packet {s.Token} ({s.From}->{s.To}) crossed links [{string.Join(",", cs.Select(c => c.Link))}], its XY route is [{string.Join(",", route)}]";
            if (!delivered.TryGetValue(s.Token, out var at)) return $"packet {s.Token} ({s.From}->{s.To}) never delivered";
            var start = Math.Max(s.Ready, s.Now);
            if (route.Count == 0)
            {
                if (at != start) return $"packet {s.Token} within tile {s.From}: delivered at {at}, expected max(ready, sent) = {start}";
                continue;
            }
            meshFlits += s.Flits;
            var (reach, posted) = (Ceiling(start, r), s.Posted);
            for (var k = 0; k < cs.Count; k++)
            {
                var c = cs[k];
                if (c.Cycle % r != 0) return $"packet {s.Token} crosses link {c.Link} at {c.Cycle}, not a NoC clock edge (every {r})";
                if (c.Cycle < reach) return $"packet {s.Token} crosses link {c.Link} at {c.Cycle}, before it reached it at {reach}";
                var leave = k + 1 < cs.Count ? cs[k + 1].Cycle : c.Cycle + hop + (s.Flits - 1) * r;
                visits[c.Link].Add(new Visit { Token = s.Token, Reach = reach, Posted = posted, Cross = c.Cycle, Leave = leave, Flits = s.Flits });
                (reach, posted) = (c.Cycle + hop, c.Posted);
            }
            var expected = cs[^1].Cycle + hop + (s.Flits - 1) * r;
            if (at != expected) return $"packet {s.Token} ({s.Flits} flits) delivered at {at}, expected last crossing {cs[^1].Cycle} + hop {hop} + {s.Flits - 1} x {r} = {expected}";
        }
        foreach (var token in crossings.Keys.Concat(delivered.Keys))
            if (!sent.Contains(token)) return $"packet {token} crossed or was delivered but never sent";
        if (packets != trace.Sends.Count) return $"the NoC counts {packets} packets, {trace.Sends.Count} were sent";
        if (flits != meshFlits) return $"the NoC counts {flits} flits into the mesh, the sends had {meshFlits}";
        if (links.Count != linkCount) return $"{links.Count} link statistics, the mesh has {linkCount} links";
        for (var link = 0; link < linkCount; link++)
        {
            var error = CheckLink(link, visits[link], r, buffer, links[link], coverage);
            if (error is not null) return error;
        }
        return null;
    }

    private static string? CheckLink(int link, List<Visit> visits, long r, int buffer, UnitStatistics stats, NocCoverage coverage)
    {
        // One packet at a time, one NoC cycle per flit.
        var byCross = visits.OrderBy(v => v.Cross).ToList();
        for (var k = 1; k < byCross.Count; k++)
            if (byCross[k].Cross < byCross[k - 1].Cross + byCross[k - 1].Flits * r)
                return $"link {link}: packet {byCross[k].Token} crosses at {byCross[k].Cross} while packet {byCross[k - 1].Token} ({byCross[k - 1].Flits} flits from {byCross[k - 1].Cross}) holds it";
        // FIFO by (reach, posting): the crossings must come in that order.
        var fifo = visits.OrderBy(v => v.Reach).ThenBy(v => v.Posted).ToList();
        for (var k = 1; k < fifo.Count; k++)
        {
            if (fifo[k].Cross <= fifo[k - 1].Cross)
                return $"link {link}: packet {fifo[k].Token} (reached {fifo[k].Reach}, posted {fifo[k].Posted}) crosses at {fifo[k].Cross}, not after packet {fifo[k - 1].Token} (reached {fifo[k - 1].Reach}, posted {fifo[k - 1].Posted}, crossed {fifo[k - 1].Cross})";
            if (fifo[k].Reach == fifo[k - 1].Reach) coverage.Ties++;
        }
        // The downstream buffer's flits at the end of an instant (after the packets that leave it then, with those that
        // enter it then): a packet occupies it over [its crossing, its leaving).
        long Occupied(long t, Visit? except)
        {
            long sum = 0;
            foreach (var q in visits)
                if (q != except && q.Cross <= t && t < q.Leave) sum += q.Flits;
            return sum;
        }
        bool Fits(long occupied, int flits) => occupied == 0 || occupied + flits <= buffer;
        foreach (var v in visits)
        {
            var occupied = Occupied(v.Cross, v);
            if (!Fits(occupied, v.Flits))
                return $"link {link}: packet {v.Token} ({v.Flits} flits) crosses at {v.Cross} into a buffer holding {occupied} of {buffer} flits";
            if (v.Cross > v.Reach) coverage.Waited++;
        }
        // Work conservation. Whether the link is idle, which packet heads its queue and what its buffer holds change only
        // when a packet reaches the link, the link frees, or a packet leaves the buffer (a crossing makes the link busy):
        // the first instant of any violation is one of those.
        var instants = new SortedSet<long>();
        foreach (var v in visits)
        {
            instants.Add(v.Reach);
            instants.Add(v.Cross + v.Flits * r);
            instants.Add(v.Leave);
        }
        foreach (var t in instants)
        {
            if (visits.Any(v => v.Cross <= t && t < v.Cross + v.Flits * r)) continue; // busy (or starting a crossing)
            var head = fifo.FirstOrDefault(v => v.Reach <= t && v.Cross > t);
            if (head is null) continue;
            var occupied = Occupied(t, null);
            if (Fits(occupied, head.Flits))
                return $"link {link}: idle at {t} while packet {head.Token} ({head.Flits} flits, reached {head.Reach}) waits and fits its buffer ({occupied} of {buffer} flits); it crosses at {head.Cross}";
            coverage.Stalled++;
        }
        for (var k = 1; k < byCross.Count; k++)
        {
            var (before, v) = (byCross[k - 1], byCross[k]);
            if (v.Reach < v.Cross && v.Cross == before.Cross + before.Flits * r && before.Leave > v.Cross) coverage.BehindBuffered++;
        }
        // Statistics: every packet that reached the link is an arrival; each waited from reaching to crossing (the queue's
        // area is the same sum, the queue being empty at the end); the queue's longest length lies between the packets
        // waiting at the end of an instant and those waiting at any time within it.
        long busy = visits.Sum(v => v.Flits * r), waits = visits.Sum(v => v.Cross - v.Reach);
        long waited = visits.Count(v => v.Cross > v.Reach);
        var atLeast = visits.Count == 0 ? 0 : Math.Max(1, visits.Max(t => visits.Count(v => v.Reach <= t.Reach && t.Reach < v.Cross)));
        var atMost = visits.Count == 0 ? 0 : visits.Max(t => visits.Count(v => v.Reach <= t.Reach && t.Reach <= v.Cross));
        if (stats.BusyCycles != busy) return $"link {link}: busy {stats.BusyCycles} cycles, the trace's crossings make {busy}";
        if (stats.Arrivals != visits.Count) return $"link {link}: {stats.Arrivals} arrivals, {visits.Count} packets reached it";
        if (stats.WaitCycles != waits) return $"link {link}: waits of {stats.WaitCycles} cycles, the trace's are {waits}";
        if (stats.QueueArea != waits) return $"link {link}: queue area {stats.QueueArea}, the trace's waits sum to {waits}";
        if (stats.QueuedArrivals < waited || stats.QueuedArrivals > visits.Count)
            return $"link {link}: {stats.QueuedArrivals} queued arrivals, outside [{waited} that waited, {visits.Count} that reached it]";
        if (stats.MaxQueueLength < atLeast || stats.MaxQueueLength > atMost)
            return $"link {link}: longest queue {stats.MaxQueueLength}, outside [{atLeast}, {atMost}] from the trace";
        if (stats.QueueLength != 0) return $"link {link}: {stats.QueueLength} packets still queued after the run";
        return null;
    }

    /// <summary>The links of the XY route from one tile to another: x first (east = x + 1), then y (north = y + 1).</summary>
    public static List<int> Route(int width, int from, int to)
    {
        var route = new List<int>();
        var (x, y, toX, toY) = (from % width, from / width, to % width, to / width);
        for (; x != toX; x += toX > x ? 1 : -1) route.Add((y * width + x) * 4 + (toX > x ? 0 : 1));
        for (; y != toY; y += toY > y ? 1 : -1) route.Add((y * width + x) * 4 + (toY > y ? 2 : 3));
        return route;
    }

    private static long Ceiling(long cycle, long r) => (cycle + r - 1) / r * r;
}
