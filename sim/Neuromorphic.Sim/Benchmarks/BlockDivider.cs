namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// Divides a neuron index by the block size with a multiplication and a shift instead of a division:
/// floor(x / d) = floor(x * m / 2^s) for every 0 &lt;= x &lt; 2^31, with s = 31 + ceil(log2 d) and
/// m = ceil(2^s / d) (Granlund and Montgomery, "Division by invariant integers using
/// multiplication", 1994, theorem 4.2: the error m * d - 2^s is below 2^(s - 31)).
/// </summary>
internal readonly struct BlockDivider
{
    private readonly ulong _multiplier;
    private readonly int _shift;

    public BlockDivider(int divisor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(divisor, 1);
        var log = divisor == 1 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)divisor - 1); // ceil(log2 d)
        _shift = 31 + log;
        _multiplier = (ulong)(((UInt128)1 << _shift) + (ulong)divisor - 1) / (ulong)divisor;
    }

    /// <summary>floor(<paramref name="index"/> / divisor) for a non-negative index.</summary>
    public int BlockOf(int index) => (int)((ulong)index * _multiplier >> _shift);
}
