using Neuromorphic.Hw.Digital;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Digital;

[TestFixture]
public sealed class FixedPointFormatTests
{
    [Test]
    public void RangeAndResolution()
    {
        var f = new FixedPointFormat(16, 8);
        Assert.That(f.MaxRaw, Is.EqualTo(32767));
        Assert.That(f.MinRaw, Is.EqualTo(-32768));
        Assert.That(f.Resolution, Is.EqualTo(1.0 / 256));
        Assert.That(f.MaxValue, Is.EqualTo(32767 / 256.0));
        Assert.That(new FixedPointFormat(32, 0).MinRaw, Is.EqualTo(int.MinValue));
    }

    [Test]
    public void QuantiseRoundsToNearestAndSaturates()
    {
        var f = new FixedPointFormat(8, 4);
        Assert.That(f.Quantise(1.0), Is.EqualTo(16));
        Assert.That(f.Quantise(0.03125), Is.EqualTo(1), "half an LSB rounds up");
        Assert.That(f.Quantise(-0.03125), Is.Zero, "ties go toward +infinity");
        Assert.That(f.Quantise(0.9), Is.EqualTo(14));
        Assert.That(f.Quantise(100), Is.EqualTo(127));
        Assert.That(f.Quantise(-100), Is.EqualTo(-128));
        Assert.That(f.Quantise(double.NaN), Is.Zero);
        Assert.That(f.Quantise(double.PositiveInfinity), Is.EqualTo(127));
        var rng = new Random(7);
        for (int i = 0; i < 1000; i++)
        {
            double x = (rng.NextDouble() - 0.5) * 15;
            Assert.That(Math.Abs(f.ToDouble(f.Quantise(x)) - x), Is.LessThanOrEqualTo(f.Resolution / 2));
        }
    }

    [Test]
    public void MultiplyAndAddRoundAndSaturate()
    {
        var f = new FixedPointFormat(16, 8);
        int a = f.Quantise(1.5), b = f.Quantise(-2.25);
        Assert.That(f.ToDouble(f.Multiply(a, b)), Is.EqualTo(-3.375));
        Assert.That(f.Multiply(3, 128), Is.EqualTo(2), "1.5 LSB rounds up to 2");
        Assert.That(f.Multiply(-3, 128), Is.EqualTo(-1), "-1.5 LSB rounds up to -1");
        Assert.That(f.Multiply(f.MaxRaw, f.MaxRaw), Is.EqualTo(f.MaxRaw));
        Assert.That(f.Multiply(f.MinRaw, f.MaxRaw), Is.EqualTo(f.MinRaw));
        Assert.That(f.Add(f.MaxRaw, 1), Is.EqualTo(f.MaxRaw));
        Assert.That(f.Add(f.MinRaw, -1), Is.EqualTo(f.MinRaw));
        Assert.That(new FixedPointFormat(32, 16).Add(int.MaxValue, int.MaxValue), Is.EqualTo(int.MaxValue));
    }

    [Test]
    public void InvalidWidthsNameTheField()
    {
        var e = Assert.Throws<ArgumentException>(() => _ = new FixedPointFormat(33, 8));
        Assert.That(e!.Message, Does.Contain("TotalBits"));
        e = Assert.Throws<ArgumentException>(() => _ = new FixedPointFormat(8, 8));
        Assert.That(e!.Message, Does.Contain("FractionBits"));
    }
}
