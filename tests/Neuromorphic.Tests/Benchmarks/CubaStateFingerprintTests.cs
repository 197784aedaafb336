using Neuromorphic.Sim.Benchmarks;
using NUnit.Framework;

namespace Neuromorphic.Tests.Benchmarks;

/// <summary>
/// CUBA's spikes and final state pinned to the values main 5e2723c computed: a change of the state's
/// layout, of the kernels, of the delivery order or of who delivers what must not change a bit, on any
/// thread count, block size or delivery path.
/// </summary>
[NonParallelizable]
public sealed class CubaStateFingerprintTests
{
    // (neurons, max block neurons, threads, bucket capacity, threads building the network): one block; 8 blocks
    // of 500 (block starts off multiples of 16); 32 blocks of 125 (groups of 4) with cut buckets; 3,001 neurons;
    // networks drawn on one thread and on two.
    [TestCase(4000, 65536, 1, 0, 12680061298906305938UL, 5301483360888235252UL)]
    [TestCase(4000, 512, 1, 0, 12680061298906305938UL, 5301483360888235252UL)]
    [TestCase(4000, 512, 2, 0, 12680061298906305938UL, 5301483360888235252UL)]
    [TestCase(4000, 125, 2, 5, 12680061298906305938UL, 5301483360888235252UL)]
    [TestCase(4000, 125, 3, 0, 12680061298906305938UL, 5301483360888235252UL)]
    [TestCase(3001, 65536, 1, 0, 17101356880718534477UL, 8631311256040209668UL)]
    [TestCase(3001, 125, 2, 0, 17101356880718534477UL, 8631311256040209668UL)]
    [TestCase(4000, 512, 2, 0, 12680061298906305938UL, 5301483360888235252UL, 1)]
    [TestCase(3001, 125, 1, 5, 17101356880718534477UL, 8631311256040209668UL, 1)]
    public void SpikesAndStateMatchMain5e2723c(int neurons, int block, int threads, int capacity, ulong spikesHash, ulong stateHash,
        int buildThreads = 2)
    {
        var parameters = new CubaParameters { Neurons = neurons };
        var network = CubaNetwork.Build(parameters, 11, threads: buildThreads, maxBlockNeurons: block);
        var simulation = new CubaSimulation(network, 11, capacity);
        var spikes = Fnv.Start;
        var count = 0;
        simulation.Run(500, threads, (step, neurons) =>
        {
            foreach (var i in neurons)
            {
                spikes = Fnv.Add(Fnv.Add(spikes, step), i);
                count++;
            }
        });
        var state = Fnv.Start;
        for (var i = 0; i < neurons; i++)
        {
            state = Fnv.Add(state, BitConverter.SingleToInt32Bits(simulation.MembraneOf(i)));
            state = Fnv.Add(state, BitConverter.SingleToInt32Bits(simulation.ExcitatoryOf(i)));
            state = Fnv.Add(state, BitConverter.SingleToInt32Bits(simulation.InhibitoryOf(i)));
        }
        TestContext.Out.WriteLine($"{neurons} neurons, block {block} threads {threads} capacity {capacity}: {count} spikes, hashes {spikes}UL, {state}UL");
        Assert.That(count, Is.GreaterThan(500), "the network must fire for the comparison to mean anything");
        Assert.That((spikes, state), Is.EqualTo((spikesHash, stateHash)));
    }

    private static class Fnv
    {
        public const ulong Start = 14695981039346656037UL;

        public static ulong Add(ulong hash, int value)
        {
            for (var k = 0; k < 4; k++) hash = (hash ^ (byte)(value >> (8 * k))) * 1099511628211UL;
            return hash;
        }
    }
}
