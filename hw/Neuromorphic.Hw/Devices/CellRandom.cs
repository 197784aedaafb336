namespace Neuromorphic.Hw.Devices;

/// <summary>
/// Counter-based random draws of one cell of one array: every value is a hash of (array seed, row,
/// column, stream, index), so a cell's draws need no stored state and are the same whatever order the
/// cells are evaluated in (an array stored cell by cell and one that keeps only its programmed cells,
/// drawing the others when they are read, see the same conductances).
/// </summary>
/// <remarks>
/// The hash is SplitMix64's finaliser applied twice over the packed counter (Steele, Lea and Flood,
/// "Fast splittable pseudorandom number generators", OOPSLA 2014): each input bit changes each output
/// bit with probability about 1/2, which is what a counter-based generator needs.
/// </remarks>
public static class CellRandom
{
    /// <summary>Stream of the fault draw.</summary>
    public const int FaultStream = 0;

    /// <summary>Stream of the device-to-device window factor.</summary>
    public const int WindowStream = 1;

    /// <summary>Stream of the write-verify loop's pulses (index = pulse).</summary>
    public const int PulseStream = 2;

    /// <summary>Stream of the residual programming error.</summary>
    public const int ResidualStream = 3;

    /// <summary>64 random bits of (array seed, row, column, stream, index).</summary>
    public static ulong Bits(ulong arraySeed, int row, int column, int stream, int index) => Bits(CellKey(arraySeed, row, column), stream, index);

    /// <summary>The first half of every draw of cell (<paramref name="row"/>, <paramref name="column"/>): it depends on the cell only, so a cell drawing many values hashes it once.</summary>
    internal static ulong CellKey(ulong arraySeed, int row, int column) => Mix(arraySeed ^ ((ulong)(uint)row << 32 | (uint)column));

    /// <summary>64 random bits of the cell whose <see cref="CellKey"/> is <paramref name="cellKey"/>: the same as <see cref="Bits(ulong, int, int, int, int)"/>.</summary>
    internal static ulong Bits(ulong cellKey, int stream, int index) => Mix(cellKey ^ ((ulong)(uint)stream << 32 | (uint)index) * 0x9E3779B97F4A7C15UL);

    /// <summary>Uniform double in [0, 1) of the cell whose <see cref="CellKey"/> is <paramref name="cellKey"/>: the same as <see cref="Uniform(ulong, int, int, int, int)"/>.</summary>
    internal static double Uniform(ulong cellKey, int stream, int index) => (Bits(cellKey, stream, index) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform double in [0, 1) with 53 random bits.</summary>
    public static double Uniform(ulong arraySeed, int row, int column, int stream, int index) =>
        (Bits(arraySeed, row, column, stream, index) >> 11) * (1.0 / (1UL << 53));

    /// <summary>Standard normal deviate (Box-Muller on two uniforms of the counter; u1 in (0, 1]).</summary>
    public static double Normal(ulong arraySeed, int row, int column, int stream, int index)
    {
        var u1 = 1 - Uniform(arraySeed, row, column, stream, 2 * index);
        var u2 = Uniform(arraySeed, row, column, stream, 2 * index + 1);
        return BoxMuller(u1, u2);
    }

    /// <summary>The Box-Muller deviate of <paramref name="u1"/> in (0, 1] and <paramref name="u2"/>, as <see cref="Normal"/> computes it.</summary>
    internal static double BoxMuller(double u1, double u2) => Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
