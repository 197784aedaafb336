using CsCheck;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Kernel;

/// <summary>The reciprocal's quotients against the hardware division.</summary>
public sealed class ExactDivisorTests
{
    [Test]
    public void Quotients_and_edges_equal_the_divisions()
    {
        // Small and huge arguments, negative ones, and a window around 2^56: for divisors near 128 (127, 129, ...)
        // that is where the multiplication's range (arguments below 2^63 / d) ends and the division takes over.
        var x = Gen.Frequency((3, Gen.Long[0, 100_000]), (3, Gen.Long[0, long.MaxValue / 2]), (1, Gen.Long[(1L << 56) - 1000, (1L << 56) + 1000]),
            (1, Gen.Long[long.MinValue / 2, 0]));
        var d = Gen.Frequency((4, Gen.Long[1, 128]), (1, Gen.Long[1, long.MaxValue]), (1, Gen.Int[0, 62].Select(b => 1L << b)));
        Gen.Select(d, x).Sample((d, v) =>
        {
            var divisor = new ExactDivisor(d);
            var floor = v / d - (v < 0 && v % d != 0 ? 1 : 0);
            if (divisor.Floor(v) != floor) return false;
            if (v < 0 || v > long.MaxValue / 4 - d) return true;
            var ceiling = (v + d - 1) / d;
            return divisor.Ceiling(v) == ceiling && divisor.NextMultiple(v) == ceiling * d;
        }, iter: 200_000);
    }

    [Test]
    public void Arguments_next_to_the_end_of_the_reciprocals_range_round_exactly()
    {
        // Next to multiples of small divisors near 2^63 / d, where the reciprocal's excess is largest.
        for (long d = 3; d <= 300; d++)
        {
            if ((d & (d - 1)) == 0) continue; // powers of two shift
            var divisor = new ExactDivisor(d);
            var top = (long)(ulong.MaxValue / (ulong)d / 2) / d * d;
            for (var v = top - 2 * d; v < top + 2 * d; v++)
                Assert.That(divisor.Floor(v), Is.EqualTo(v / d), $"{v} / {d}");
        }
    }

    [Test]
    public void A_divisor_below_1_is_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ExactDivisor(0));

    [Test]
    public void The_default_value_is_not_a_divisor_by_1()
    {
        var none = default(ExactDivisor);
        Assert.Throws<InvalidOperationException>(() => none.Floor(12));
        Assert.Throws<InvalidOperationException>(() => none.Ceiling(12));
        Assert.Throws<InvalidOperationException>(() => none.NextMultiple(12));
    }

    [Test]
    public void A_divisor_of_1_is_the_identity_over_the_whole_range()
    {
        var one = new ExactDivisor(1);
        foreach (var x in new[] { long.MinValue, -1L, 0L, 1L, long.MaxValue - 1, long.MaxValue })
        {
            Assert.That(one.Floor(x), Is.EqualTo(x));
        }
        Assert.That(one.Ceiling(long.MaxValue), Is.EqualTo(long.MaxValue));
        Assert.That(one.NextMultiple(7), Is.EqualTo(7));
    }
}
