using Neuromorphic.Hw.Periphery;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Periphery;

[TestFixture]
public sealed class SramBufferTests
{
    [Test]
    public void HorowitzAnchorAndSquareRootCapacityLaw()
    {
        var at45 = new SramBuffer(new SramBufferParameters { CapacityBytes = 8192, TechnologyNm = 45 });
        Assert.That(64 * at45.ReadEnergyPjPerBit, Is.EqualTo(10).Within(1e-12), "64-bit read of 8 KB at 45 nm");
        var big = new SramBuffer(new SramBufferParameters { CapacityBytes = 32768, TechnologyNm = 45 });
        Assert.That(64 * big.ReadEnergyPjPerBit, Is.EqualTo(20).Within(1e-12), "Horowitz's 32 KB point");
        var mb = new SramBuffer(new SramBufferParameters { CapacityBytes = 1 << 20, TechnologyNm = 45 });
        Assert.That(64 * mb.ReadEnergyPjPerBit, Is.EqualTo(100).Within(15).Percent, "Horowitz's 1 MB point");
        var at32 = new SramBuffer(new SramBufferParameters { CapacityBytes = 8192, TechnologyNm = 32 });
        Assert.That(at32.ReadEnergyPjPerBit, Is.EqualTo(at45.ReadEnergyPjPerBit * 32 / 45 * 0.9 * 0.9).Within(1e-15), "C V^2: node and 0.9 V at 32 nm");
    }

    [Test]
    public void AccessesAndCostRows()
    {
        var s = new SramBuffer(new SramBufferParameters { WordBits = 64 });
        Assert.That(s.AccessesFor(0), Is.Zero);
        Assert.That(s.AccessesFor(1), Is.EqualTo(1));
        Assert.That(s.AccessesFor(64), Is.EqualTo(1));
        Assert.That(s.AccessesFor(65), Is.EqualTo(2));
        Assert.That(s.DefaultCosts().Select(r => r.Key), Is.EqualTo(new[] { "sram_buffer.read_bit", "sram_buffer.write_bit" }));
        var area = s.DefaultComponentCosts().Single();
        Assert.That(area.AreaUm2, Is.GreaterThan(0));
        Assert.That(area.LeakageUw, Is.GreaterThan(0));
    }

    [Test]
    public void ValidateNamesTheBadField()
    {
        var e = Assert.Throws<ArgumentException>(() => new SramBuffer(new SramBufferParameters { CapacityBytes = 0 }));
        Assert.That(e!.Message, Does.Contain("CapacityBytes"));
    }
}
