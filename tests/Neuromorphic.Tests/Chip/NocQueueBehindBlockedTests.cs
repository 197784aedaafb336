using Neuromorphic.Arch.Execution;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// A link whose queue still holds packets after it sends one must serve the next as soon as it is free again and the
/// next fits its downstream buffer, even when the packet it sent is blocked at the next router (and so calls nothing
/// back). Hand-timed on a 3 x 1 mesh: NoC at the base clock, one-cycle hops, 4-flit buffers; all sent at cycle 0 in the
/// order A, X, W, then the case's packet.
/// </summary>
[TestFixture]
public sealed class NocQueueBehindBlockedTests
{
    private sealed class Log : IUnitClient
    {
        public Dictionary<long, long> At { get; } = [];

        public void Completed(long token, Scheduler scheduler) => At.Add(token, scheduler.Now);
    }

    private static Log Run(int lastFlits)
    {
        var scheduler = new Scheduler();
        var log = new Log();
        var mesh = new MeshNocParameters { Width = 3, Height = 1, LinkWidthBits = 32, HopLatencyCycles = 1, ClockHz = 1e9, BufferFlits = 4 };
        var noc = new NocUnit(scheduler, mesh, 1e9, new Ledger());
        noc.SendCounted(scheduler, 1, 2, 20, 0, log, 0);       // A: holds link 1->2 over cycles 0-20
        noc.SendCounted(scheduler, 0, 2, 1, 0, log, 1);        // X: crosses 0->1 at 0, then waits at router 1 for A
        noc.SendCounted(scheduler, 0, 2, 1, 0, log, 2);        // W: waits for X on 0->1, crosses at 1, then waits behind X
        noc.SendCounted(scheduler, 0, 1, lastFlits, 0, log, 3); // the case's packet: waits behind W on 0->1, for tile 1
        scheduler.RunUntilIdle();
        return log;
    }

    [Test]
    public void A_packet_that_fits_crosses_when_the_link_frees_though_the_one_before_is_blocked()
    {
        var log = Run(lastFlits: 1);
        // 0->1 is free at 2 and its buffer holds X and W (2 of 4 flits): the one-flit packet crosses at 2, arrives at 3.
        Assert.That(log.At[3], Is.EqualTo(3));
        Assert.That(log.At[0], Is.EqualTo(20), "A: crosses at 0, head at 1, tail 19 cycles later");
        Assert.That(log.At[1], Is.EqualTo(21), "X: crosses 1->2 when A frees it at 20");
        Assert.That(log.At[2], Is.EqualTo(22), "W: after X, at 21");
    }

    [Test]
    public void A_packet_that_does_not_fit_waits_until_the_buffer_has_room()
    {
        var log = Run(lastFlits: 3);
        // 2 + 3 > 4 flits: it waits until X leaves router 1's buffer at 20 (W's 1 + 3 = 4 then fit), arrives at 21,
        // and its tail 2 cycles later.
        Assert.That(log.At[3], Is.EqualTo(23));
        Assert.That(log.At[2], Is.EqualTo(22));
    }
}
