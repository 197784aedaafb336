namespace Neuromorphic.Sim.Kernel;

/// <summary>
/// A positive divisor fixed at construction (a clock period, a link width) whose quotients are taken by a shift
/// (a power of two) or by multiplying with its reciprocal instead of a hardware division: the chip's units round
/// every operation's start up to a clock edge, and a 64-bit division costs several times a multiplication.
/// </summary>
/// <remarks>
/// <para>Why the reciprocal is exact. For d not a power of two, let m = floor(2^64 / d) + 1, so m d = 2^64 + e with
/// 0 &lt; e &lt; d, and m / 2^64 = 1 / d + e / (d 2^64): the reciprocal's excess is e / (d 2^64) &lt; 1 / 2^64. Write
/// x = q d + s with 0 &lt;= s &lt;= d - 1; then x m / 2^64 = q + s / d + x e / (d 2^64), which stays below q + 1 as long
/// as x e &lt; d - s, and the worst case s = d - 1 needs x e &lt; 2^64: true for every 0 &lt;= x &lt; 2^64 / d (as e &lt; d).
/// So floor(x m / 2^64) = floor(x / d) there.</para>
/// <para>The multiplication is used below half that bound, 2^63 / d (a margin: clock cycles and payload bits stay
/// far below it); larger arguments, and negative ones, take the division.</para>
/// <para><c>default(ExactDivisor)</c> is not a divisor: its quotients throw <see cref="InvalidOperationException"/>.</para>
/// </remarks>
public readonly struct ExactDivisor
{
    // 64 + log2 of the divisor when it is a power of two (a shift count is taken modulo 64, so x >> _shift is
    // x >> log2 d), else 0. Offset by 64 so that default(ExactDivisor), all zeros, is not "divide by 2^0 = 1".
    private readonly int _shift;
    private readonly ulong _reciprocal;  // floor(2^64 / d) + 1, when d is not a power of two (else 0)
    private readonly ulong _limit;       // arguments below it use the reciprocal (0: none do)

    /// <summary>A divisor of <paramref name="value"/>.</summary>
    /// <param name="value">The divisor, at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is below 1.</exception>
    public ExactDivisor(long value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
        Value = value;
        if ((value & (value - 1)) == 0)
        {
            // A power of two (1 included): a shift. No reciprocal (for 1 it would not fit in 64 bits).
            _shift = 64 + System.Numerics.BitOperations.Log2((ulong)value);
            return;
        }
        _reciprocal = ulong.MaxValue / (ulong)value + 1;
        _limit = ulong.MaxValue / (ulong)value / 2;
    }

    /// <summary>The divisor (0 for <c>default(ExactDivisor)</c>, which is not one).</summary>
    public long Value { get; }

    /// <summary>floor(<paramref name="x"/> / divisor), rounding towards negative infinity.</summary>
    /// <param name="x">Any value.</param>
    /// <returns>The largest q with q x divisor &lt;= x.</returns>
    /// <exception cref="InvalidOperationException">This is <c>default(ExactDivisor)</c>.</exception>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public long Floor(long x)
    {
        if (_shift >= 64) return x >> _shift;
        if ((ulong)x < _limit) return (long)Math.BigMul((ulong)x, _reciprocal, out _);
        return FloorByDivision(x);
    }

    /// <summary>ceil(<paramref name="x"/> / divisor), e.g. the flits of <paramref name="x"/> bits.</summary>
    /// <param name="x">At least 0, with x + divisor - 1 within the range of <see cref="long"/>.</param>
    /// <returns>The smallest q with q x divisor &gt;= x.</returns>
    /// <exception cref="InvalidOperationException">This is <c>default(ExactDivisor)</c>.</exception>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public long Ceiling(long x) => Floor(x + Value - 1);

    /// <summary>The smallest multiple of the divisor at or after <paramref name="x"/> (the next clock edge).</summary>
    /// <param name="x">At least 0, with x + divisor - 1 within the range of <see cref="long"/>.</param>
    /// <returns>ceil(x / divisor) x divisor.</returns>
    /// <exception cref="InvalidOperationException">This is <c>default(ExactDivisor)</c>.</exception>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public long NextMultiple(long x) => Ceiling(x) * Value;

    private long FloorByDivision(long x)
    {
        if (Value == 0) throw new InvalidOperationException("default(ExactDivisor) is not a divisor: construct one with new ExactDivisor(value).");
        var q = x / Value;
        return x < 0 && q * Value != x ? q - 1 : q;
    }
}
