namespace Neuromorphic.Sim.Kernel;

/// <summary>
/// A positive divisor fixed at construction (a clock period, a link width) whose quotients are taken by a shift
/// (a power of two) or by multiplying with its reciprocal instead of a hardware division: the chip's units round
/// every operation's start up to a clock edge, and a 64-bit division costs several times a multiplication.
/// </summary>
/// <remarks>
/// With m = floor(2^64 / d) + 1 (d not a power of two), floor(x m / 2^64) = floor(x / d) for 0 &lt;= x &lt; 2^64 / d:
/// the reciprocal's excess, below d / 2^64, adds less than x / 2^64 &lt; 1 / d to x / d, too little to carry it past
/// the next integer. Arguments beyond half that range, and negative ones, take the division.
/// </remarks>
public readonly struct ExactDivisor
{
    private readonly int _shift;         // log2 of the divisor when it is a power of two, else -1
    private readonly ulong _reciprocal;  // floor(2^64 / d) + 1
    private readonly ulong _limit;       // arguments below it use the reciprocal

    /// <summary>A divisor of <paramref name="value"/> (at least 1).</summary>
    public ExactDivisor(long value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
        Value = value;
        _shift = (value & (value - 1)) == 0 ? System.Numerics.BitOperations.Log2((ulong)value) : -1;
        _reciprocal = ulong.MaxValue / (ulong)value + 1;
        _limit = ulong.MaxValue / (ulong)value / 2;
    }

    /// <summary>The divisor.</summary>
    public long Value { get; }

    /// <summary>floor(<paramref name="x"/> / divisor).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public long Floor(long x)
    {
        if (_shift >= 0) return x >> _shift;
        if ((ulong)x < _limit) return (long)Math.BigMul((ulong)x, _reciprocal, out _);
        return FloorByDivision(x);
    }

    /// <summary>ceil(<paramref name="x"/> / divisor), for x &gt;= 0 with x + divisor - 1 within range (e.g. flits of x bits).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public long Ceiling(long x) => Floor(x + Value - 1);

    /// <summary>The smallest multiple of the divisor at or after <paramref name="x"/> &gt;= 0 (the next clock edge).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public long NextMultiple(long x) => Ceiling(x) * Value;

    private long FloorByDivision(long x)
    {
        var q = x / Value;
        return x < 0 && q * Value != x ? q - 1 : q;
    }
}
