using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// Geometric gaps floor(ln u / ln(1 - p)), u uniform in (0, 1]: the number of pairs skipped before
/// the next connection when each is connected with probability p. Uniforms are drawn in batches
/// (<see cref="DeterministicRandom.NextDoubles"/>) and their logarithms taken as vectors
/// (<c>TensorPrimitives.Log</c>), which makes drawing a large
/// network several times faster than one scalar logarithm per synapse. The gaps come out in the order
/// the uniforms are drawn, a batch at a time, so a stream gives the same gaps however they are consumed.
/// </summary>
internal sealed class GeometricGaps
{
    /// <summary>Gaps per batch. The logarithms of a batch are taken in one call, so every uniform goes through the same vector code; keep it a multiple of 64.</summary>
    public const int Batch = 256;

    private readonly DeterministicRandom _random;
    private readonly double _logQ;
    private readonly double[] _uniforms = new double[Batch];
    private readonly long[] _gaps = new long[Batch];
    private readonly bool _constant;

    public GeometricGaps(DeterministicRandom random, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(p);
        _random = random;
        _logQ = p < 1 ? Math.Log(1 - p) : double.NegativeInfinity;
        // p = 1: every pair connected (gap 0); p = 0 or below double precision: none (the cap). No uniform is drawn.
        if (double.IsNegativeInfinity(_logQ)) _constant = true;
        else if (_logQ == 0) { _constant = true; Array.Fill(_gaps, (long)int.MaxValue); }
    }

    /// <summary>The next <see cref="Batch"/> gaps, each at most <see cref="int.MaxValue"/> (larger than any network); valid until the next call.</summary>
    public ReadOnlySpan<long> NextBatch()
    {
        if (!_constant) Refill();
        return _gaps;
    }

    private void Refill()
    {
        var u = _uniforms.AsSpan();
        _random.NextDoubles(u);
        TensorPrimitives.Subtract(1.0, u, u); // (0, 1]
        TensorPrimitives.Log(u, u);
        ToGaps(u, _logQ, _gaps);
    }

    /// <summary>
    /// floor(log / logQ) capped at <see cref="int.MaxValue"/>, in one pass: what TensorPrimitives' Divide, Floor,
    /// Min and ConvertTruncating give one after the other, since each is exact element by element.
    /// </summary>
    private static void ToGaps(ReadOnlySpan<double> logs, double logQ, Span<long> gaps)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var q = Vector512.Create(logQ);
            var cap = Vector512.Create((double)int.MaxValue);
            for (; i <= logs.Length - Vector512<double>.Count; i += Vector512<double>.Count)
                Vector512.ConvertToInt64(Vector512.Min(Vector512.Floor(Vector512.Create(logs.Slice(i)) / q), cap)).CopyTo(gaps.Slice(i));
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            var q = Vector256.Create(logQ);
            var cap = Vector256.Create((double)int.MaxValue);
            for (; i <= logs.Length - Vector256<double>.Count; i += Vector256<double>.Count)
                Vector256.ConvertToInt64(Vector256.Min(Vector256.Floor(Vector256.Create(logs.Slice(i)) / q), cap)).CopyTo(gaps.Slice(i));
        }
        for (; i < logs.Length; i++) gaps[i] = (long)Math.Min(Math.Floor(logs[i] / logQ), int.MaxValue);
    }
}
