using System.Numerics;
using System.Runtime.CompilerServices;

namespace Neuromorphic.Hw.Devices;

/// <summary>
/// The write-verify loop of <see cref="RramDevice.Program(int, ulong, int, int)"/> run for many cells at once, with the
/// same pulse counts and conductances to the last bit. Programming a transformer's macros draws billions of pulses, and
/// each pulse's Box-Muller deviate took two hashes of the cell, a scalar logarithm and a scalar cosine: here a pulse
/// round of up to <see cref="Chunk"/> cells hashes, converts, takes the logarithm and cosine and tests the verify on
/// <see cref="Vector{T}"/> lanes, and the cell-only half of the hashes is computed once per cell.
/// </summary>
/// <remarks>
/// <para>Why the outcome is the scalar loop's: the hashes, the conversion to uniforms and the verify test are the same
/// integer and IEEE operations on every lane (a clamp is a max and a min), so they give the same bits. Only the
/// deviate differs: <see cref="Vector.Log(Vector{double})"/> and <see cref="Vector.Cos(Vector{double})"/> are within a few
/// ulps of Math.Log and Math.Cos, and with |n| &lt;= sqrt(-2 ln 2^-53) &lt; 8.6 the vector deviate is within 1e-13 of the
/// scalar one, far inside <see cref="Margin"/>. A pulse only decides whether the loop stops, and that decision,
/// |clamp(G_t (1 + sigma n), low, high) - G_t| &lt;= tolerance G_t, is monotone in n on either side of 0 in floating
/// point too (multiplying by a positive number, adding, clamping and rounding are monotone), so the n that stop the loop
/// form an interval around 0, or none. The test is taken at n - Margin and n + Margin: when both stop, the scalar n
/// between them stops; when neither does and both lie on one side of 0, the scalar n (on that side, farther out) does
/// not either; otherwise, about one pulse in ten million, the scalar deviate is computed and decides.</para>
/// <para>The conductance a cell keeps comes from its own streams (<see cref="RramDevice.Settle"/>), computed as before,
/// one cell at a time.</para>
/// </remarks>
internal static class WriteVerifyBatch
{
    /// <summary>Cells a pulse round takes at most (its working spans live on the stack).</summary>
    private const int Chunk = 256;

    /// <summary>A bound far above the difference between the vectorised deviate and the scalar one (see remarks).</summary>
    private const double Margin = 1e-7;

    /// <summary>
    /// Programs every cell (see <see cref="RramDevice.ProgramCells"/>); the spans have equal lengths. <paramref name="margin"/>
    /// is <see cref="Margin"/> but for tests, which widen it so that the scalar deviate decides often.
    /// </summary>
    public static ProgrammingTotals Program(RramDevice device, ulong arraySeed, ReadOnlySpan<int> levels, ReadOnlySpan<int> rows,
        ReadOnlySpan<int> columns, Span<double> conductances, double margin = Margin)
    {
        var p = device.Parameters;
        var sigma = p.PulseSigma;
        var most = p.MaxVerifyIterations;
        long pulses = 0, stuckOn = 0, stuckOff = 0;
        // The cells still in the loop, packed at the front; a partial last vector reads the padding behind them.
        var size = Chunk + Vector<double>.Count;
        Span<ulong> keys = stackalloc ulong[size];
        Span<double> targets = stackalloc double[size], accepts = stackalloc double[size], lows = stackalloc double[size], highs = stackalloc double[size];
        for (var start = 0; start < levels.Length; start += Chunk)
        {
            var length = Math.Min(Chunk, levels.Length - start);
            var waiting = 0;
            for (var i = start; i < start + length; i++)
            {
                var (fault, conductance, low, high) = device.Settle(levels[i], arraySeed, rows[i], columns[i]);
                conductances[i] = conductance;
                var target = device.LevelConductance(levels[i]);
                var accept = p.VerifyTolerance * target;
                if (fault != CellFault.None)
                {
                    // A stuck cell passes the first verify or spends the whole budget.
                    pulses += Math.Abs(conductance - target) <= accept ? 1 : most;
                    if (fault == CellFault.StuckOn) stuckOn++;
                    else stuckOff++;
                    continue;
                }
                if (!(sigma > 0))
                {
                    // No spread: every pulse lands on the clamped target, so the first verify decides for all.
                    pulses += Stops(0, target, sigma, low, high, accept) ? 1 : most;
                    continue;
                }
                keys[waiting] = CellRandom.CellKey(arraySeed, rows[i], columns[i]);
                targets[waiting] = target;
                accepts[waiting] = accept;
                lows[waiting] = low;
                highs[waiting] = high;
                waiting++;
            }
            for (var pulse = 0; pulse < most && waiting > 0; pulse++)
            {
                var still = Round(pulse, waiting, keys, targets, accepts, lows, highs, sigma, margin);
                pulses += (long)(waiting - still) * (pulse + 1);
                waiting = still;
            }
            // The cells still waiting spent the whole budget.
            pulses += (long)waiting * most;
        }
        // Every pulse is followed by one verify read.
        return new ProgrammingTotals(pulses, pulses, stuckOn, stuckOff);
    }

    /// <summary>
    /// Pulse <paramref name="pulse"/> of the first <paramref name="waiting"/> cells: their deviates are
    /// CellRandom.Normal(seed, row, column, PulseStream, pulse), from uniforms 2 pulse and 2 pulse + 1. The cells the
    /// pulse does not stop are packed to the front, in order.
    /// </summary>
    /// <returns>The cells still waiting.</returns>
    private static int Round(int pulse, int waiting, Span<ulong> keys, Span<double> targets, Span<double> accepts, Span<double> lows, Span<double> highs,
        double sigma, double margin)
    {
        var lanes = Vector<double>.Count;
        var first = new Vector<ulong>(Counter(2 * pulse));
        var second = new Vector<ulong>(Counter(2 * pulse + 1));
        var still = 0;
        for (var a = 0; a < waiting; a += lanes)
        {
            var key = new Vector<ulong>(keys[a..]);
            var target = new Vector<double>(targets[a..]);
            var accept = new Vector<double>(accepts[a..]);
            var low = new Vector<double>(lows[a..]);
            var high = new Vector<double>(highs[a..]);
            // Exactly the scalar uniforms: 53 bits, converted and scaled without rounding.
            var u1 = Vector<double>.One - Vector.ConvertToDouble(Mix(key ^ first) >> 11) * (1.0 / (1UL << 53));
            var u2 = Vector.ConvertToDouble(Mix(key ^ second) >> 11) * (1.0 / (1UL << 53));
            var n = Vector.SquareRoot(new Vector<double>(-2) * Vector.Log(u1)) * Vector.Cos(new Vector<double>(2 * Math.PI) * u2);
            var below = Stops(n - new Vector<double>(margin), target, sigma, low, high, accept);
            var above = Stops(n + new Vector<double>(margin), target, sigma, low, high, accept);
            var oneSide = Vector.GreaterThan(n - new Vector<double>(margin), Vector<double>.Zero) | Vector.LessThan(n + new Vector<double>(margin), Vector<double>.Zero);
            var sure = ~(below ^ above) & (below | oneSide);
            var count = Math.Min(lanes, waiting - a);
            for (var j = 0; j < count; j++)
            {
                var i = a + j;
                var stops = sure[j] != 0 ? below[j] != 0 : Exact(pulse, keys[i], targets[i], sigma, lows[i], highs[i], accepts[i]);
                // Packed without a branch on the (random) outcome: the slot is overwritten unless the cell stays.
                keys[still] = keys[i];
                targets[still] = targets[i];
                accepts[still] = accepts[i];
                lows[still] = lows[i];
                highs[still] = highs[i];
                still += stops ? 0 : 1;
            }
        }
        return still;
    }

    /// <summary>Whether the scalar deviate of the pulse stops the cell (too near the verify's edge for the vectorised one to decide).</summary>
    private static bool Exact(int pulse, ulong key, double target, double sigma, double low, double high, double accept) =>
        Stops(CellRandom.BoxMuller(1 - CellRandom.Uniform(key, CellRandom.PulseStream, 2 * pulse), CellRandom.Uniform(key, CellRandom.PulseStream, 2 * pulse + 1)),
            target, sigma, low, high, accept);

    /// <summary>The per-draw half of <see cref="CellRandom"/>'s hash for pulse-stream index <paramref name="index"/>.</summary>
    private static ulong Counter(int index) => ((ulong)(uint)CellRandom.PulseStream << 32 | (uint)index) * 0x9E3779B97F4A7C15UL;

    /// <summary>SplitMix64's finaliser on every lane, as <see cref="CellRandom"/>'s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<ulong> Mix(Vector<ulong> z)
    {
        z += new Vector<ulong>(0x9E3779B97F4A7C15UL);
        z = (z ^ (z >> 30)) * new Vector<ulong>(0xBF58476D1CE4E5B9UL);
        z = (z ^ (z >> 27)) * new Vector<ulong>(0x94D049BB133111EBUL);
        return z ^ (z >> 31);
    }

    /// <summary><see cref="Stops(double, double, double, double, double, double)"/> on every lane (the same operations; a clamp is a max and a min).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<long> Stops(Vector<double> n, Vector<double> target, double sigma, Vector<double> low, Vector<double> high, Vector<double> accept) =>
        Vector.LessThanOrEqual(Vector.Abs(Vector.Min(Vector.Max(target * (Vector<double>.One + new Vector<double>(sigma) * n), low), high) - target), accept);

    /// <summary>Whether a pulse of deviate <paramref name="n"/> passes the verify read: the expression of the scalar loop, operation for operation.</summary>
    private static bool Stops(double n, double target, double sigma, double low, double high, double accept) =>
        Math.Abs(Math.Clamp(target * (1 + sigma * n), low, high) - target) <= accept;
}
