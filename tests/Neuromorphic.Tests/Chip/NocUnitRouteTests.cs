using Neuromorphic.Arch.Execution;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// The NoC unit against closed forms: its energy ledger lines, routes in every direction, and the order of
/// deliveries that tie at one cycle.
/// </summary>
[TestFixture]
public sealed class NocUnitRouteTests
{
    private sealed class Log : IUnitClient, IComponent
    {
        public List<(long Token, long Cycle)> Done { get; } = [];

        public void Completed(long token, Scheduler scheduler) => Done.Add((token, scheduler.Now));

        // A kernel event (not the NoC's) is logged with token -1.
        public void OnEvent(in SimEvent ev, Scheduler scheduler) => Done.Add((-1, scheduler.Now));
    }

    private static MeshNocParameters Mesh(int width, int height, double clockHz = 1e9) =>
        new() { Width = width, Height = height, LinkWidthBits = 32, HopLatencyCycles = 1, ClockHz = clockHz, BufferFlits = 4 };

    [Test]
    public void Ledger_counts_flits_times_routers_and_links_on_each_route()
    {
        // 4 x 3 mesh; tile = y * 4 + x. Each route has a layer of its own, so each ledger line is one route's.
        var ledger = new Ledger();
        var scheduler = new Scheduler();
        var noc = new NocUnit(scheduler, Mesh(4, 3), 1e9, ledger);
        var log = new Log();
        var own = new Ledger();
        var routes = new (string Layer, int From, int To, int Flits)[]
        {
            ("local", 5, 5, 3),     // 0 hops: never enters the mesh
            ("east_north", 0, 11, 2),
            ("west_south", 11, 0, 1),
            ("one_hop", 5, 6, 4),
            ("west_only", 7, 4, 5),
        };
        for (var k = 0; k < routes.Length; k++)
        {
            var r = routes[k];
            noc.SendFlits(scheduler, r.From, r.To, r.Flits, ready: 0, log, token: k, noc.Handles(r.Layer));
            // The chip executor's way: the route counted into a ledger of its own (the function pass's) when the step
            // is captured, from the route's hops asked once, -1 within a tile (StepTraffic, with NocUnit.CountHops; its
            // own assembly is tested in StepTrafficTests).
            NocUnit.CountHops(own, NocUnit.HandlesIn(own, r.Layer), r.From == r.To ? -1 : noc.Hops(r.From, r.To), r.Flits);
        }
        scheduler.RunUntilIdle();

        long injected = 0;
        foreach (var r in routes)
        {
            // XY routes are shortest: hops = |dx| + |dy|. A packet crosses every link once and every router on its
            // way once (source's included: hops + 1); a local one crosses none (MeshNoc: non-local messages only).
            var hops = Math.Abs(r.To % 4 - r.From % 4) + Math.Abs(r.To / 4 - r.From / 4);
            var routers = hops == 0 ? 0 : (long)r.Flits * (hops + 1);
            Assert.That(ledger.Count(MeshNoc.Component, r.Layer, MeshNoc.RouterFlitAction), Is.EqualTo(routers), r.Layer);
            Assert.That(ledger.Count(MeshNoc.Component, r.Layer, MeshNoc.LinkFlitAction), Is.EqualTo((long)r.Flits * hops), r.Layer);
            Assert.That(own.Count(MeshNoc.Component, r.Layer, MeshNoc.RouterFlitAction), Is.EqualTo(routers), r.Layer);
            Assert.That(own.Count(MeshNoc.Component, r.Layer, MeshNoc.LinkFlitAction), Is.EqualTo((long)r.Flits * hops), r.Layer);
            injected += hops == 0 ? 0 : r.Flits;
        }
        Assert.That(noc.Packets, Is.EqualTo(routes.Length));
        Assert.That(noc.Flits, Is.EqualTo(injected));
        Assert.That(log.Done.Select(d => d.Token).Order(), Is.EqualTo(Enumerable.Range(0, routes.Length).Select(k => (long)k)));
    }

    [Test]
    public void A_route_going_west_arrives_after_hops_plus_flits_minus_one()
    {
        var scheduler = new Scheduler();
        var log = new Log();
        var noc = new NocUnit(scheduler, Mesh(4, 1), 1e9, new Ledger());
        // 3 -> 0: three hops west, 4 flits, ready at 5: 5 + 3 x 1 + (4 - 1).
        noc.SendFlits(scheduler, 3, 0, 4, ready: 5, log, token: 1, noc.Handles(""));
        scheduler.RunUntilIdle();
        Assert.That(log.Done, Is.EqualTo(new[] { (1L, 5 + 3 + 3L) }));
        // It took the west links of tiles 3, 2 and 1 (link = tile x 4 + 1), each busy one cycle per flit.
        var busy = noc.Links.Select(l => l.BusyCycles).ToArray();
        for (var tile = 0; tile < 4; tile++)
        {
            Assert.That(busy[tile * 4 + 1], Is.EqualTo(tile >= 1 ? 4 : 0), $"tile {tile} west");
            Assert.That(busy[tile * 4 + 0], Is.Zero, $"tile {tile} east");
        }
    }

    [Test]
    public void A_route_going_west_then_minus_width_arrives_on_the_noc_clock_edges()
    {
        // Base clock 2 GHz, NoC 1 GHz: one NoC cycle is 2 base cycles. 2 x 3 mesh, tile 5 = (1, 2) -> tile 0 = (0, 0):
        // one hop west, then two hops of -width (south). Ready at base cycle 7, so it starts at the next edge, 8; the
        // head needs 3 hops x 1 NoC cycle, the tail 2 - 1 NoC cycles more: 8 + 3 x 2 + 1 x 2 = 16.
        var scheduler = new Scheduler();
        var log = new Log();
        var noc = new NocUnit(scheduler, Mesh(2, 3, clockHz: 1e9), 2e9, new Ledger());
        noc.SendFlits(scheduler, 5, 0, 2, ready: 7, log, token: 1, noc.Handles(""));
        scheduler.RunUntilIdle();
        Assert.That(log.Done, Is.EqualTo(new[] { (1L, 8 + 3 * 2 + 1 * 2L) }));
        var busy = noc.Links.Select(l => l.BusyCycles).ToArray();
        // West from tile 5, then south (direction 3) from tiles 4 and 2; each link busy 2 flits x 2 base cycles.
        var used = new[] { 5 * 4 + 1, 4 * 4 + 3, 2 * 4 + 3 };
        for (var k = 0; k < busy.Length; k++) Assert.That(busy[k], Is.EqualTo(used.Contains(k) ? 4 : 0), $"link {k}");
    }

    [Test]
    public void One_flit_packets_tied_at_a_router_with_a_kernel_event_are_done_in_posting_order_before_it()
    {
        // 3 x 1 mesh: 0 -> 1 (east) and 2 -> 1 (west), one flit each, both ready at 0: both heads (and tails) reach
        // router 1 at cycle 0 + 1 hop = 1. A kernel event of another component sits at cycle 1, scheduled first (the
        // smallest sequence number). Documented rules: the NoC's items are handled in (cycle, posting) order, and at
        // equal cycles they go before kernel events not yet dispatched. Packet 1's crossing was posted first, so:
        // packet 1 at 1, packet 2 at 1, then the kernel event at 1.
        var scheduler = new Scheduler();
        var log = new Log();
        var noc = new NocUnit(scheduler, Mesh(3, 1), 1e9, new Ledger());
        var other = scheduler.Register(log);
        scheduler.ScheduleAt(other, 1);
        var none = noc.Handles("");
        noc.SendFlits(scheduler, 0, 1, 1, ready: 0, log, token: 1, none);
        noc.SendFlits(scheduler, 2, 1, 1, ready: 0, log, token: 2, none);
        scheduler.RunUntilIdle();
        Assert.That(log.Done, Is.EqualTo(new[] { (1L, 1L), (2L, 1L), (-1L, 1L) }));

        // Sent the other way round: the same cycles, the packets' order follows.
        scheduler = new Scheduler();
        log = new Log();
        noc = new NocUnit(scheduler, Mesh(3, 1), 1e9, new Ledger());
        other = scheduler.Register(log);
        scheduler.ScheduleAt(other, 1);
        none = noc.Handles("");
        noc.SendFlits(scheduler, 2, 1, 1, ready: 0, log, token: 2, none);
        noc.SendFlits(scheduler, 0, 1, 1, ready: 0, log, token: 1, none);
        scheduler.RunUntilIdle();
        Assert.That(log.Done, Is.EqualTo(new[] { (2L, 1L), (1L, 1L), (-1L, 1L) }));
    }
}
