using Neuromorphic.Hw.Interconnect;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Interconnect;

[TestFixture]
public sealed class MeshNocTests
{
    private static MeshNoc Mesh(int w = 4, int h = 4, int hopLatency = 1) =>
        new(new MeshNocParameters { Width = w, Height = h, LinkWidthBits = 32, HopLatencyCycles = hopLatency });

    [Test]
    public void XyHopCountsAreManhattanDistances()
    {
        MeshNoc noc = Mesh();
        Assert.That(noc.TileAt(3, 2), Is.EqualTo(11));
        Assert.That(noc.HopsBetween(0, 0), Is.Zero);
        Assert.That(noc.HopsBetween(noc.TileAt(0, 0), noc.TileAt(3, 3)), Is.EqualTo(6));
        Assert.That(noc.HopsBetween(noc.TileAt(3, 1), noc.TileAt(1, 2)), Is.EqualTo(3));
        noc.Send(noc.TileAt(0, 0), noc.TileAt(3, 3), 32, 0);
        noc.Send(noc.TileAt(3, 1), noc.TileAt(1, 2), 32, 0);
        Assert.That(noc.Hops, Is.EqualTo(9));
        Assert.That(noc.Messages, Is.EqualTo(2));
    }

    [Test]
    public void UncontendedLatencyIsHopsTimesHopLatencyPlusFlitsMinusOne()
    {
        foreach (int hopLatency in new[] { 1, 3 })
        {
            MeshNoc noc = Mesh(hopLatency: hopLatency);
            foreach (int bits in new[] { 0, 1, 32, 33, 200 })
            {
                noc.Reset();
                int flits = noc.FlitsFor(bits);
                Assert.That(flits, Is.EqualTo(Math.Max(1, (bits + 31) / 32)));
                long arrival = noc.Send(noc.TileAt(0, 1), noc.TileAt(2, 3), bits, readyCycle: 100);
                Assert.That(arrival - 100, Is.EqualTo(4 * hopLatency + flits - 1), $"{bits} bits, hop latency {hopLatency}");
                Assert.That(noc.WaitCycles, Is.Zero);
                Assert.That(noc.LinkFlits, Is.EqualTo(4L * flits));
                Assert.That(noc.RouterFlits, Is.EqualTo(5L * flits));
            }
        }
    }

    [Test]
    public void LocalMessagesDoNotEnterTheNoc()
    {
        MeshNoc noc = Mesh();
        Assert.That(noc.Send(5, 5, 1000, 7), Is.EqualTo(7));
        Assert.That(noc.LocalMessages, Is.EqualTo(1));
        Assert.That(noc.Flits, Is.Zero);
        Assert.That(noc.DynamicEnergyPj, Is.Zero);
    }

    [Test]
    public void TwoMessagesOnTheSameLinkSerialise()
    {
        MeshNoc noc = Mesh();
        int a = noc.TileAt(0, 0), b = noc.TileAt(1, 0);
        long first = noc.Send(a, b, 4 * 32, 0);   // 4 flits: link busy [0, 4)
        long second = noc.Send(a, b, 4 * 32, 0);  // waits until 4
        Assert.That(first, Is.EqualTo(1 + 3));
        Assert.That(second, Is.EqualTo(4 + 1 + 3));
        Assert.That(noc.WaitCycles, Is.EqualTo(4));
        // The opposite direction is a different link: no wait.
        long back = noc.Send(b, a, 4 * 32, 0);
        Assert.That(back, Is.EqualTo(4));
        Assert.That(noc.WaitCycles, Is.EqualTo(4));
    }

    [Test]
    public void RoutesXFirstThenY()
    {
        // A: (0,0) -> (2,2) goes east along y = 0, then north through (2,0) -> (2,1) at cycle 2.
        // B: (2,0) -> (2,2) needs the same north link; a YX route of A would never touch it.
        MeshNoc noc = Mesh(3, 3);
        noc.Send(noc.TileAt(0, 0), noc.TileAt(2, 2), 4 * 32, 0);
        long b = noc.Send(noc.TileAt(2, 0), noc.TileAt(2, 2), 32, 2);
        Assert.That(noc.WaitCycles, Is.EqualTo(4), "B waits for A's 4 flits on (2,0) -> (2,1)");
        Assert.That(b, Is.EqualTo(6 + 2));

        // A link that only a YX route of A would use stays free.
        MeshNoc other = Mesh(3, 3);
        other.Send(other.TileAt(0, 0), other.TileAt(2, 2), 4 * 32, 0);
        other.Send(other.TileAt(0, 1), other.TileAt(0, 2), 32, 0); // the north link a YX route of A would use
        Assert.That(other.WaitCycles, Is.Zero);
    }

    [Test]
    public void LatencyGrowsWithTraffic()
    {
        // A probe from corner to corner behind more and more background traffic (the same seeded
        // messages, a longer prefix each time): its latency can only grow, and it does.
        long ProbeLatency(int background)
        {
            MeshNoc noc = Mesh();
            var rng = new Random(5);
            for (int m = 0; m < background; m++)
            {
                noc.Send(rng.Next(16), rng.Next(16), 64, 0);
            }
            return noc.Send(0, 15, 32, 0);
        }
        long idle = ProbeLatency(0);
        Assert.That(idle, Is.EqualTo(6));
        long previous = idle;
        foreach (int background in new[] { 4, 16, 64, 256 })
        {
            long latency = ProbeLatency(background);
            Assert.That(latency, Is.GreaterThanOrEqualTo(previous), $"{background} background messages");
            previous = latency;
        }
        Assert.That(previous, Is.GreaterThan(idle));

        MeshNoc busy = Mesh();
        for (int m = 0; m < 10; m++)
        {
            busy.Send(0, 15, 32, 0);
        }
        Assert.That(busy.WaitCycles, Is.EqualTo(45), "the k-th message waits k cycles at the first link only");
    }

    [Test]
    public void DeterministicAndResettable()
    {
        long[] Run(MeshNoc noc)
        {
            var rng = new Random(11);
            var arrivals = new long[200];
            for (int m = 0; m < arrivals.Length; m++)
            {
                arrivals[m] = noc.Send(rng.Next(16), rng.Next(16), rng.Next(0, 300), m / 4);
            }
            return arrivals;
        }
        MeshNoc noc = Mesh();
        long[] first = Run(noc);
        (long hops, long flits, long wait, double energy) stats = (noc.Hops, noc.Flits, noc.WaitCycles, noc.DynamicEnergyPj);
        noc.Reset();
        Assert.That((noc.Messages, noc.Hops, noc.Flits, noc.WaitCycles), Is.EqualTo((0L, 0L, 0L, 0L)));
        Assert.That(Run(noc), Is.EqualTo(first));
        Assert.That((noc.Hops, noc.Flits, noc.WaitCycles, noc.DynamicEnergyPj), Is.EqualTo(stats));
        Assert.That(Run(Mesh()), Is.EqualTo(first));
    }

    [Test]
    public void DefaultsFollowSanaFesLoihiTable()
    {
        var p = new MeshNocParameters();
        // At Loihi's node and the assumed 32-bit flit the per-bit anchors give back the per-flit split 2.0 + 1.6 pJ.
        Assert.That((p.TechnologyNm, p.LinkWidthBits), Is.EqualTo((14.0, 32)));
        Assert.That(p.RouterFlitEnergyPj, Is.EqualTo(2.0).Within(1e-12));
        Assert.That(p.LinkFlitEnergyPj, Is.EqualTo(1.6).Within(1e-12));
        Assert.That(p.RouterFlitEnergyPj + p.LinkFlitEnergyPj, Is.InRange(3.0, 4.2), "pJ per hop");
        Assert.That(p.HopLatencyCycles * 1e9 / p.ClockHz, Is.InRange(4.1, 6.5), "ns per hop");
        var noc = new MeshNoc(p);
        noc.Send(0, 3, 32, 0); // 3 hops, 1 flit: 4 routers, 3 links
        Assert.That(noc.DynamicEnergyPj, Is.EqualTo(4 * 2.0 + 3 * 1.6).Within(1e-12));
        var rows = noc.DefaultCosts().ToList();
        Assert.That(rows.Select(r => r.Key), Is.EqualTo(new[] { "mesh_noc.router_flit", "mesh_noc.link_flit" }));
        Assert.That(rows[0].Source, Does.Contain("SANA-FE"));
    }

    [Test]
    public void BadArgumentsAreRejected()
    {
        MeshNoc noc = Mesh();
        Assert.Throws<ArgumentOutOfRangeException>(() => noc.Send(-1, 0, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => noc.Send(0, 16, 1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => noc.Send(0, 1, -1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => noc.Send(0, 1, 1, -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => noc.TileAt(4, 0));
        var e = Assert.Throws<ArgumentException>(() => new MeshNoc(new MeshNocParameters { LinkWidthBits = 0 }));
        Assert.That(e!.Message, Does.Contain("LinkWidthBits"));
    }
}
