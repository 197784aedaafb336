using Neuromorphic.Sim.Benchmarks;
using NUnit.Framework;

namespace Neuromorphic.Tests.Benchmarks;

// Alone, not beside another fixture (Parallelism.cs): its CUBA runs and builds take two and three threads of
// their own that wait on each other, and beside a second fixture on two cores they waited several times longer.
/// <summary>
/// The CUBA set-up: the synapses drawn for a seed never change when the drawing is made faster.
/// The fingerprints below were taken from the build before the set-up was reworked (main f75518f,
/// chunks drawn into their own arrays and stitched), so they pin the network itself, not this code.
/// </summary>
[NonParallelizable]
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

    [Test]
    public void ChunksThatOverrunTheAllocatedArrayAreKeptAsideAndGiveTheSameSynapses()
    {
        // An array 1,000 standard deviations too short (about 340 k of 1.6 M synapses): the first chunk of
        // 4,096 sources (about 328 k synapses) fits, the four after it overrun and take the fallback together.
        var parameters = new CubaParameters { Neurons = 20_000 };
        var spilled = CubaNetworkBuilder.Build(parameters, 7, threads: 2, maxBlockNeurons: 1_000, slackDeviations: -1_000);
        var placed = CubaNetwork.Build(parameters, 7, threads: 2, maxBlockNeurons: 1_000);
        Assert.That(Fingerprint(spilled), Is.EqualTo(0x5B5CDF6B79409F1EUL));
        Assert.That(spilled.FanOutStart, Is.EqualTo(placed.FanOutStart));
        Assert.That(spilled.TargetOffsets, Is.EqualTo(placed.TargetOffsets));
        Assert.That(spilled.TargetOffsets, Has.Length.EqualTo(spilled.Synapses + CubaNetwork.ReadPadding));
    }

    [Test]
    public void ALargeArrayKeepsItsSlackAsZerosAfterTheSynapses()
    {
        // 60,000 neurons: 4.8 M synapses, an array above the size that is trimmed to the exact length.
        var parameters = new CubaParameters { Neurons = 60_000 };
        var network = CubaNetwork.Build(parameters, 2, threads: 2);
        var synapses = (int)network.Synapses;
        var expected = 60_000.0 * 80;
        Assert.That(network.TargetOffsets.Length, Is.EqualTo((int)Math.Ceiling(expected + 5 * Math.Sqrt(expected * (1 - 80 / 60_000.0)) + CubaNetwork.ReadPadding)));
        Assert.That(network.TargetOffsets.AsSpan(synapses).IndexOfAnyExcept((ushort)0), Is.EqualTo(-1), "padding and slack are zero");
        var exact = CubaNetworkBuilder.Build(parameters, 2, threads: 1, CubaNetwork.MaxBlockNeurons, slackDeviations: -40);
        Assert.That(exact.TargetOffsets, Is.EqualTo(network.TargetOffsets.AsSpan(0, synapses + CubaNetwork.ReadPadding).ToArray()));
        Assert.That(exact.FanOutStart, Is.EqualTo(network.FanOutStart));
    }

    [Test]
    public void ANetworkWhoseBlockEndsOneArrayCannotHoldIsRefusedBeforeDrawing()
    {
        // 100,000 sources x 99,999 block ends each: about 1e10 entries, past Array.MaxLength.
        var parameters = new CubaParameters { Neurons = 100_000 };
        var error = Assert.Throws<ArgumentException>(() => CubaNetworkBuilder.Build(parameters, 1, threads: 1, maxBlockNeurons: 1));
        Assert.That(error!.Message, Does.Contain("block ends").And.Contain("100000 neurons"));
        // With the default blocks of 65,536: 12 M neurons need 12 M x 183 = 2.2e9 block ends; 11 M need 1.9e9.
        Assert.Throws<ArgumentException>(() => new CubaParameters { Neurons = 12_000_000 }.Validate());
        Assert.DoesNotThrow(() => new CubaParameters { Neurons = 11_000_000 }.Validate());
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
