using Neuromorphic.Arch.Reports;
using NUnit.Framework;

namespace Neuromorphic.Tests.Reports;

/// <summary><see cref="Quantity"/>: four significant digits, separators instead of exponents, SI prefixes.</summary>
public sealed class QuantityTests
{
    [TestCase(9.356e-8, "J", "93.56 nJ")]
    [TestCase(1.148e-5, "J", "11.48 µJ")]
    [TestCase(2.81e-3, "s", "2.81 ms")]
    [TestCase(939.6e-12, "J", "939.6 pJ")]
    [TestCase(0.0, "J", "0 J")]
    [TestCase(2.5e-16, "J", "0.25 fJ")]
    public void SiPicksThePrefixThatLeavesOneToThreeDigitsBeforeThePoint(double value, string unit, string expected) =>
        Assert.That(Quantity.Si(value, unit), Is.EqualTo(expected));

    [TestCase(4500529.0, "4,500,529")]
    [TestCase(9999.0, "9999")]
    [TestCase(221.53, "221.5")]
    [TestCase(1e15, "1E+15")]
    public void NumberUsesSeparatorsFromTenThousand(double value, string expected) =>
        Assert.That(Quantity.Number(value), Is.EqualTo(expected));

    [TestCase(7.766e-5, "0.00007766")]
    [TestCase(-1.23456e-7, "-0.0000001235")]
    [TestCase(9.99996e-5, "0.0001")]
    [TestCase(2.058e-3, "0.002058")]
    [TestCase(12345.6, "12,346")]
    [TestCase(0.0, "0")]
    public void PlainWritesSmallRatiosWithoutAnExponent(double value, string expected) =>
        Assert.That(Quantity.Plain(value), Is.EqualTo(expected));

    [TestCase(1e-5, "1e-5")]
    [TestCase(2.5e-7, "2.5e-7")]
    [TestCase(1.23456e-12, "1.235e-12")]
    [TestCase(-3e-6, "-3e-6")]
    [TestCase(9.99996e-5, "1e-4")]
    [TestCase(1e-4, "0.0001")]
    [TestCase(0.01, "0.01")]
    [TestCase(2.0, "2")]
    [TestCase(10000.0, "10,000")]
    [TestCase(1e12, "1,000,000,000,000")]
    [TestCase(0.0, "0")]
    public void SettingWritesSmallSettingsInShortScientificNotation(double value, string expected) =>
        Assert.That(Quantity.Setting(value), Is.EqualTo(expected));
}
