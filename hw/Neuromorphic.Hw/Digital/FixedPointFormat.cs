namespace Neuromorphic.Hw.Digital;

/// <summary>
/// A signed two's-complement fixed-point format: <see cref="TotalBits"/> bits of which
/// <see cref="FractionBits"/> are fractional, so raw value r stands for r x 2^-FractionBits.
/// Raw values are held in an <see cref="int"/>, so formats are at most 32 bits wide.
/// </summary>
/// <remarks>
/// Rounding is round-to-nearest with ties toward +infinity (add half an LSB, then shift right
/// arithmetically), which is what a hardware rounder does; every result saturates to the format.
/// </remarks>
public sealed record FixedPointFormat
{
    /// <summary>Creates a format.</summary>
    /// <param name="totalBits">Total width including the sign, 2 to 32.</param>
    /// <param name="fractionBits">Fractional bits, 0 to <paramref name="totalBits"/> - 1.</param>
    /// <exception cref="ArgumentException">A width is out of range.</exception>
    public FixedPointFormat(int totalBits, int fractionBits)
    {
        if (totalBits is < 2 or > 32)
        {
            throw new ArgumentException($"FixedPointFormat.TotalBits must be in [2, 32], found {totalBits}", nameof(totalBits));
        }
        if (fractionBits < 0 || fractionBits >= totalBits)
        {
            throw new ArgumentException($"FixedPointFormat.FractionBits must be in [0, {totalBits - 1}], found {fractionBits}", nameof(fractionBits));
        }
        TotalBits = totalBits;
        FractionBits = fractionBits;
        MaxRaw = (int)((1L << (totalBits - 1)) - 1);
        MinRaw = (int)(-(1L << (totalBits - 1)));
        Scale = Math.ScaleB(1.0, fractionBits);
    }

    /// <summary>Total width in bits, including the sign.</summary>
    public int TotalBits { get; }

    /// <summary>Fractional bits.</summary>
    public int FractionBits { get; }

    /// <summary>Largest raw value, 2^(TotalBits-1) - 1.</summary>
    public int MaxRaw { get; }

    /// <summary>Smallest raw value, -2^(TotalBits-1).</summary>
    public int MinRaw { get; }

    /// <summary>Raw units per 1.0: 2^FractionBits.</summary>
    public double Scale { get; }

    /// <summary>Value of one LSB: 2^-FractionBits.</summary>
    public double Resolution => 1.0 / Scale;

    /// <summary>Largest representable value.</summary>
    public double MaxValue => MaxRaw / Scale;

    /// <summary>Smallest representable value.</summary>
    public double MinValue => MinRaw / Scale;

    /// <summary>Clamps a wide raw value to [<see cref="MinRaw"/>, <see cref="MaxRaw"/>].</summary>
    /// <param name="raw">A raw value of any width.</param>
    /// <returns>The saturated raw value.</returns>
    public int Saturate(long raw) => raw > MaxRaw ? MaxRaw : raw < MinRaw ? MinRaw : (int)raw;

    /// <summary>Nearest raw value to <paramref name="value"/> (ties upward), saturated; NaN maps to 0.</summary>
    /// <param name="value">A real value.</param>
    /// <returns>The raw value.</returns>
    public int Quantise(double value)
    {
        double r = Math.Floor(value * Scale + 0.5);
        if (double.IsNaN(r))
        {
            return 0;
        }
        return r >= MaxRaw ? MaxRaw : r <= MinRaw ? MinRaw : (int)r;
    }

    /// <summary>The real value of a raw value.</summary>
    /// <param name="raw">A raw value.</param>
    /// <returns><c>raw x 2^-FractionBits</c>.</returns>
    public double ToDouble(int raw) => raw / Scale;

    /// <summary>Saturating sum of two raw values.</summary>
    /// <param name="a">First operand.</param>
    /// <param name="b">Second operand.</param>
    /// <returns><c>sat(a + b)</c>.</returns>
    public int Add(int a, int b) => Saturate((long)a + b);

    /// <summary>Product of two raw values in this format, rounded to nearest (ties upward) and saturated.</summary>
    /// <param name="a">First operand.</param>
    /// <param name="b">Second operand.</param>
    /// <returns><c>sat(round(a x b x 2^-FractionBits))</c>.</returns>
    public int Multiply(int a, int b)
    {
        long p = (long)a * b;
        if (FractionBits > 0)
        {
            p = (p + (1L << (FractionBits - 1))) >> FractionBits; // >> on long is arithmetic: floor
        }
        return Saturate(p);
    }
}
