using Neuromorphic.Hw.Interconnect;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Interconnect;

[TestFixture]
public sealed class SharedBusTests
{
    [Test]
    public void UncontendedLatencyIsTransferLatencyPlusFlitsMinusOne()
    {
        var bus = new SharedBus(new SharedBusParameters { WidthBits = 32, TransferLatencyCycles = 2 });
        Assert.That(bus.Send(0, 1, 96, 10), Is.EqualTo(10 + 2 + 2));
        Assert.That(bus.Flits, Is.EqualTo(3));
        Assert.That(bus.WaitCycles, Is.Zero);
    }

    [Test]
    public void OneMessageAtATimeInArrivalOrder()
    {
        var bus = new SharedBus(new SharedBusParameters { WidthBits = 32, TransferLatencyCycles = 1 });
        long a = bus.Send(0, 1, 64, 0);  // holds the bus [0, 2)
        long b = bus.Send(2, 3, 32, 0);  // disjoint endpoints, same medium: [2, 3)
        long c = bus.Send(3, 0, 32, 10); // bus idle again by then
        Assert.That((a, b, c), Is.EqualTo((2L, 3L, 11L)));
        Assert.That(bus.WaitCycles, Is.EqualTo(2));
        Assert.That(bus.DynamicEnergyPj, Is.EqualTo(4 * bus.Parameters.FlitEnergyPj).Within(1e-12));
    }

    [Test]
    public void LatencyGrowsWithTrafficAndResetClears()
    {
        var bus = new SharedBus(new SharedBusParameters());
        long last = 0;
        for (int m = 0; m < 20; m++)
        {
            long arrival = bus.Send(m % 8, (m + 1) % 8, 32, 0);
            Assert.That(arrival, Is.GreaterThan(last));
            last = arrival;
        }
        Assert.That(bus.WaitCycles, Is.EqualTo(190));
        bus.Reset();
        Assert.That((bus.Messages, bus.Flits, bus.WaitCycles), Is.EqualTo((0L, 0L, 0L)));
        Assert.That(bus.Send(0, 1, 32, 0), Is.EqualTo(1));
    }

    [Test]
    public void LocalMessagesAndBadArguments()
    {
        var bus = new SharedBus(new SharedBusParameters { Endpoints = 4 });
        Assert.That(bus.Send(2, 2, 100, 5), Is.EqualTo(5));
        Assert.That(bus.LocalMessages, Is.EqualTo(1));
        Assert.That(bus.Flits, Is.Zero);
        Assert.Throws<ArgumentOutOfRangeException>(() => bus.Send(0, 4, 1, 0));
        Assert.That(bus.DefaultCosts().Single().Key, Is.EqualTo("shared_bus.flit"));
        var e = Assert.Throws<ArgumentException>(() => new SharedBus(new SharedBusParameters { Endpoints = 0 }));
        Assert.That(e!.Message, Does.Contain("Endpoints"));
    }

    [Test]
    public void A_flit_charges_its_width_of_wires_at_the_nodes_supply()
    {
        // 32 wires x 1000 um x 0.2 fF/um x (0.9 V at 32 nm)^2 x 0.5 = 2.592 pJ; twice the wires, twice the energy.
        var p = new SharedBusParameters { WidthBits = 32, TechnologyNm = 32 };
        Assert.That(p.FlitEnergyPj, Is.EqualTo(32 * 1000 * 0.2e-3 * 0.81 * 0.5).Within(1e-12));
        Assert.That((p with { WidthBits = 64 }).FlitEnergyPj, Is.EqualTo(2 * p.FlitEnergyPj).Within(1e-12));
        Assert.That((p with { TechnologyNm = 45 }).FlitEnergyPj, Is.EqualTo(32 * 1000 * 0.2e-3 * 0.5).Within(1e-12));
        Assert.That((p with { EnergyPjPerFlit = 7 }).FlitEnergyPj, Is.EqualTo(7));
        Assert.That(new SharedBus(p).DefaultCosts().Single().Source, Does.Contain("0.2 fF/um").And.Contain("0.9 V"));
    }
}
