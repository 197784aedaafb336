using Neuromorphic.Sim.Benchmarks;
using NUnit.Framework;

namespace Neuromorphic.Tests.Benchmarks;

/// <summary>The large-array allocation behind the CUBA network (2 MB pages on Linux) keeps ordinary array semantics.</summary>
public sealed class CubaLargeArraysTests
{
    [Test]
    public void LargeZeroedArraysAreZeroAndHoldWhatIsWritten()
    {
        // 12 MB: above the threshold, so on Linux it takes the pinned, advised path.
        const int length = 3 << 20;
        var first = CubaLargeArrays.Allocate<float>(length, zeroed: false);
        first.AsSpan().Fill(7f); // garbage a later uninitialised allocation could reuse
        first = null;
        GC.Collect();
        var zeroed = CubaLargeArrays.Allocate<float>(length, zeroed: true);
        Assert.That(zeroed, Has.Length.EqualTo(length));
        Assert.That(zeroed.AsSpan().IndexOfAnyExcept(0f), Is.EqualTo(-1), "a zeroed array must be all zeros");
        for (var i = 0; i < length; i += 4093) zeroed[i] = i;
        for (var i = 0; i < length; i += 4093) Assert.That(zeroed[i], Is.EqualTo((float)i));
    }

    [Test]
    public void SmallArraysAreOrdinary()
    {
        var small = CubaLargeArrays.Allocate<int>(1000, zeroed: true);
        Assert.That(small, Has.Length.EqualTo(1000));
        Assert.That(small, Is.All.EqualTo(0));
    }
}
