using System.Numerics.Tensors;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// Geometric gaps floor(ln u / ln(1 - p)), u uniform in (0, 1]: the number of pairs skipped before
/// the next connection when each is connected with probability p. Uniforms are drawn in batches
/// and their logarithms taken as vectors (TensorPrimitives.Log),
/// which makes drawing a large network several times faster than one scalar logarithm per synapse.
/// The gaps come out in the order the uniforms are drawn, so a stream gives the same gaps however
/// they are consumed.
/// </summary>
internal sealed class GeometricGaps
{
    private const int Batch = 256;

    private readonly DeterministicRandom _random;
    private readonly double _logQ;
    private readonly double[] _uniforms = new double[Batch];
    private readonly long[] _gaps = new long[Batch];
    private int _next = Batch;

    public GeometricGaps(DeterministicRandom random, double p)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(p);
        _random = random;
        _logQ = p < 1 ? Math.Log(1 - p) : double.NegativeInfinity;
    }

    /// <summary>The next gap, at most <see cref="int.MaxValue"/> (larger than any network): 0 when p = 1, the cap when p = 0.</summary>
    public long Next()
    {
        if (double.IsNegativeInfinity(_logQ)) return 0; // p = 1: every pair connected
        if (_logQ == 0) return int.MaxValue;            // p = 0 (or below double precision): none
        if (_next == Batch) Refill();
        return _gaps[_next++];
    }

    private void Refill()
    {
        var u = _uniforms.AsSpan();
        for (var i = 0; i < u.Length; i++) u[i] = 1 - _random.NextDouble(); // (0, 1]
        TensorPrimitives.Log(u, u);
        TensorPrimitives.Divide(u, _logQ, u);
        TensorPrimitives.Floor(u, u);
        TensorPrimitives.Min(u, int.MaxValue, u);
        TensorPrimitives.ConvertTruncating<double, long>(u, _gaps);
        _next = 0;
    }
}
