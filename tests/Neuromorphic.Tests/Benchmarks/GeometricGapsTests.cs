using System.Numerics;
using Neuromorphic.Sim.Benchmarks;
using NUnit.Framework;

namespace Neuromorphic.Tests.Benchmarks;

/// <summary>
/// The gaps' vector loop and its scalar tail both give floor(ln u / ln(1 - p)) capped at int.MaxValue, computed here
/// one element at a time with Math (the reference), for lengths around multiples of the vector width.
/// </summary>
public sealed class GeometricGapsTests
{
    [Test]
    public void ToGapsMatchesTheScalarFormulaWhateverTheLengthAgainstTheVectorWidth()
    {
        var width = Vector<double>.Count;
        var rng = new Random(11);
        foreach (var p in new[] { 0.5, 0.02, 1e-6, 1e-12 })
        {
            var logQ = Math.Log(1 - p);
            // 0 .. 3 vectors and then some: lengths below, at and above each multiple (vector loop only, tail only, both).
            for (var length = 0; length <= 3 * width + 1; length++)
            {
                // ln u for u in (0, 1], with u = 1 (gap 0) and tiny u (large gaps, the cap at small p) among them.
                var logs = Enumerable.Range(0, length).Select(k => k % 5 == 0 ? 0.0 : k % 7 == 0 ? Math.Log(double.Epsilon) : Math.Log(1 - rng.NextDouble())).ToArray();
                var gaps = new long[length];
                GeometricGaps.ToGaps(logs, logQ, gaps);
                var expected = logs.Select(l => (long)Math.Min(Math.Floor(l / logQ), int.MaxValue)).ToArray();
                Assert.That(gaps, Is.EqualTo(expected), $"p = {p}, length {length} (vector width {width})");
            }
        }
    }

    [Test]
    public void ToGapsCapsAtIntMaxValueInTheVectorLoopAndTheTail()
    {
        var length = 2 * Vector<double>.Count + 1; // the last one in the tail
        var logs = Enumerable.Repeat(Math.Log(double.Epsilon), length).ToArray();
        var gaps = new long[length];
        GeometricGaps.ToGaps(logs, Math.Log(1 - 1e-12), gaps);
        Assert.That(gaps, Is.All.EqualTo((long)int.MaxValue));
    }
}
