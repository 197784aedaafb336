using Neuromorphic.Sim.Benchmarks;
using NUnit.Framework;

namespace Neuromorphic.Tests.Benchmarks;

/// <summary>
/// The CUBA set-up: the synapses drawn for a seed never change when the drawing is made faster.
/// The fingerprints below were taken from the build before the set-up was reworked (main f75518f,
/// chunks drawn into their own arrays and stitched), so they pin the network itself, not this code.
/// </summary>
public sealed class CubaSetupTests
{
    // 5 chunks on one block and on 20; 3 chunks on 30 blocks; out-degrees near 300 (16-bit block ends).
    [TestCase(20_000, 80, 65_536, 7UL, 1, 1_600_491L, 0x5B5CDF6B79409F1EUL)]
    [TestCase(20_000, 80, 1_000, 7UL, 2, 1_600_491L, 0x5B5CDF6B79409F1EUL)]
    [TestCase(9_000, 80, 300, 3UL, 3, 722_631L, 0xE2EAA6C084F68E16UL)]
    [TestCase(3_000, 300, 256, 11UL, 2, 900_038L, 0x8A0F0FA1946CD82AUL)]
    public void SynapsesMatchTheFingerprintOfTheStitchingBuild(int neurons, int perNeuron, int maxBlock, ulong seed, int threads,
        long synapses, ulong fingerprint)
    {
        var network = CubaNetwork.Build(new CubaParameters { Neurons = neurons, SynapsesPerNeuron = perNeuron }, seed, threads, maxBlock);
        Assert.That(network.Synapses, Is.EqualTo(synapses));
        Assert.That(Fingerprint(network), Is.EqualTo(fingerprint));
    }

    /// <summary>FNV-1a over every source's out-degree and targets, in order.</summary>
    private static ulong Fingerprint(CubaNetwork network)
    {
        var h = 14695981039346656037UL;
        void Mix(int value)
        {
            for (var i = 0; i < 4; i++) { h ^= (byte)(value >> (8 * i)); h *= 1099511628211UL; }
        }
        var targets = new int[network.Parameters.Neurons];
        for (var pre = 0; pre < network.Parameters.Neurons; pre++)
        {
            var degree = network.OutDegree(pre);
            Mix(degree);
            network.CopyTargets(pre, targets);
            for (var k = 0; k < degree; k++) Mix(targets[k]);
        }
        return h;
    }
}
