using Neuromorphic.Hw.Periphery;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Periphery;

[TestFixture]
public sealed class ShiftAddTests
{
    [Test]
    public void CombinesBitSlicesLikeTheWideProduct()
    {
        var sa = new ShiftAdd(new ShiftAddParameters { Bits = 24 });
        // A 6-bit weight stored as three 2-bit slices, times an input of 3: the slices' partial sums recombine.
        int weight = 0b10_01_11, input = 3;
        long acc = 0;
        for (int slice = 0; slice < 3; slice++)
        {
            long partial = ((weight >> (2 * slice)) & 0b11) * input;
            acc = sa.Add(acc, partial, 2 * slice);
        }
        Assert.That(acc, Is.EqualTo(weight * input));
    }

    [Test]
    public void SaturatesToTheAccumulatorWidth()
    {
        var sa = new ShiftAdd(new ShiftAddParameters { Bits = 8 });
        Assert.That(sa.Add(100, 20, 1), Is.EqualTo(127));
        Assert.That(sa.Add(-100, -20, 1), Is.EqualTo(-128));
        Assert.That(sa.Add(0, 1, 40), Is.EqualTo(127), "a shifted term beyond the range saturates");
        Assert.That(sa.Add(0, -1, 7), Is.EqualTo(-128));
        Assert.That(sa.Add(long.MaxValue, long.MaxValue, 62), Is.EqualTo(127), "no overflow on wild inputs");
        Assert.That(sa.Add(5, -3, 2), Is.EqualTo(-7));
        Assert.Throws<ArgumentOutOfRangeException>(() => sa.Add(0, 1, 63));
    }

    [Test]
    public void EnergyIsHorowitzAddScaledByBitsAndNode()
    {
        var sa = new ShiftAdd(new ShiftAddParameters { Bits = 16, TechnologyNm = 32, ClockHz = 500e6 });
        Assert.That(sa.EnergyPerAddPj, Is.EqualTo(0.1 * 16 / 32 * 32 / 45 * 0.9 * 0.9).Within(1e-15), "C V^2: node and 0.9 V at 32 nm");
        Assert.That(sa.LatencyNs, Is.EqualTo(2).Within(1e-12));
        var row = sa.DefaultCosts().Single();
        Assert.That(row.Key, Is.EqualTo("shift_add.add"));
        Assert.That(row.Source, Does.Contain("Horowitz"));
    }

    [Test]
    public void ValidateNamesTheBadField()
    {
        var e = Assert.Throws<ArgumentException>(() => new ShiftAdd(new ShiftAddParameters { Bits = 1 }));
        Assert.That(e!.Message, Does.Contain("ShiftAddParameters.Bits"));
    }
}
