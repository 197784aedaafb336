using Neuromorphic.Arch.Benchmarks;
using NUnit.Framework;

namespace Neuromorphic.Tests.Arch;

/// <summary>The spike-train hash the CUBA bench compares the chip's and the functional run's spikes with.</summary>
public sealed class SpikeTrainHashTests
{
    private static (ulong Hash, long[] Counts) Hash(params (int Step, int[] Fired)[] train)
    {
        var hash = new CubaOnChip.SpikeTrainHash(8);
        foreach (var (step, fired) in train) hash.Add(step, fired);
        return (hash.Value, hash.PerNeuron);
    }

    [Test]
    public void EqualTrainsHashEquallyAndAStepMayComeInPieces()
    {
        var whole = Hash((0, [1, 4]), (2, [0, 3, 7]));
        var pieces = Hash((0, [1]), (0, [4]), (1, []), (2, [0, 3]), (2, [7]));
        Assert.That(pieces.Hash, Is.EqualTo(whole.Hash));
        Assert.That(whole.Counts, Is.EqualTo(new long[] { 1, 1, 0, 1, 1, 0, 0, 1 }));
    }

    [Test]
    public void ASpikeMovedToAnotherNeuronOrStepOrOrderChangesTheHash()
    {
        var reference = Hash((0, [1, 4]), (2, [0, 3, 7])).Hash;
        Assert.That(Hash((0, [1, 5]), (2, [0, 3, 7])).Hash, Is.Not.EqualTo(reference), "another neuron");
        Assert.That(Hash((0, [1, 4]), (3, [0, 3, 7])).Hash, Is.Not.EqualTo(reference), "another step");
        Assert.That(Hash((0, [1, 4]), (2, [0, 3])).Hash, Is.Not.EqualTo(reference), "a spike fewer");
        Assert.That(Hash((2, [0, 3, 7]), (0, [1, 4])).Hash, Is.Not.EqualTo(reference), "steps in another order");
        Assert.That(Hash((1, [0])).Hash, Is.Not.EqualTo(Hash((0, [1])).Hash), "step and neuron swapped");
        Assert.That(Hash().Hash, Is.Not.EqualTo(Hash((0, [0])).Hash), "no spikes against one at step 0, neuron 0");
    }

    [Test]
    public void TheStepReachesTheHashsLowBits()
    {
        // The step sits in the high half of a spike's word, and a product carries bits upward only: without the fold the low
        // 32 bits of the hash would not depend on the steps at all.
        var low = Enumerable.Range(1, 8).Select(step => (uint)Hash((step << 10, [3]), (step << 10, [5])).Hash).Distinct().Count();
        Assert.That(low, Is.EqualTo(8));
    }
}
