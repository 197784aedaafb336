using System.Globalization;

namespace Neuromorphic.Arch.Reports;

/// <summary>
/// Numbers as a person reads them in tables and reports: four significant digits, whole numbers from
/// 10,000 with separators rather than exponents (23,328, not 2.333E+04), and physical quantities with
/// an SI prefix (93.56 nJ, not 9.356E+04 pJ). Used by the HTML/Markdown report and the command line.
/// </summary>
public static class Quantity
{
    private static readonly (double Scale, string Prefix)[] Prefixes =
        [(1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k"), (1, ""), (1e-3, "m"), (1e-6, "µ"), (1e-9, "n"), (1e-12, "p"), (1e-15, "f")];

    /// <summary>A value with an SI prefix and four significant digits, e.g. <c>51.1 nJ</c>.</summary>
    /// <param name="value">The value in the unit's base (joules, seconds, ...).</param>
    /// <param name="unit">The unit's symbol, e.g. <c>J</c>.</param>
    public static string Si(double value, string unit)
    {
        if (value == 0 || !double.IsFinite(value)) return Number(value) + " " + unit;
        var m = Math.Abs(value);
        foreach (var (scale, prefix) in Prefixes)
            if (m >= scale * 0.99995)
                return Number(value / scale) + " " + prefix + unit;
        return Number(value / 1e-15) + " f" + unit;
    }

    /// <summary>
    /// Four significant digits without an exponent at either end: as <see cref="Number"/>, and a value below 1e-4 (which
    /// <see cref="Number"/> writes 7.766E-05) in positional notation, 0.00007766. For ratios, which have no unit to prefix.
    /// </summary>
    public static string Plain(double value)
    {
        if (value == 0 || !double.IsFinite(value) || Math.Abs(value) >= 1e-4) return Number(value);
        var decimals = Math.Min(15, 3 - (int)Math.Floor(Math.Log10(Math.Abs(value))));
        // Trailing zeros go, as G4 drops them (9.99996e-5 rounds to 0.00010000: 0.0001).
        return value.ToString("F" + decimals.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture).TrimEnd('0').TrimEnd('.');
    }

    /// <summary>
    /// A setting that spans decades (a ridge regularisation strength, a learning rate) as the docs and YAML files write it: as
    /// <see cref="Number"/> from 1e-4 up (0.01, 10,000), and below 1e-4 in short scientific notation with four significant
    /// digits at most, 1e-5 or 2.5e-7, rather than <see cref="Number"/>'s 1E-05 or a dozen zeros.
    /// </summary>
    public static string Setting(double value)
    {
        if (value == 0 || !double.IsFinite(value) || Math.Abs(value) >= 1e-4) return Number(value);
        return value.ToString("0.###e+0", CultureInfo.InvariantCulture);
    }

    /// <summary>Four significant digits; whole thousands and more with separators (23,328) rather than exponents.</summary>
    public static string Number(double value) =>
        Math.Abs(value) is >= 1e4 and < 1e15 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("G4", CultureInfo.InvariantCulture);
}
