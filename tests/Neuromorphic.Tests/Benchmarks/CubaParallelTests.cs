using Neuromorphic.Sim.Benchmarks;
using NUnit.Framework;

namespace Neuromorphic.Tests.Benchmarks;

// Alone, not beside another fixture (Parallelism.cs): its CUBA runs and builds take two and three threads of
// their own that wait on each other, and beside a second fixture on two cores they waited several times longer.
/// <summary>
/// The CUBA layout and its parallel run: the same synapses whatever the thread count or block
/// size, and spikes bit-identical on 1, 2 and 3 threads and on the one-thread phased path.
/// </summary>
[NonParallelizable]
public sealed class CubaParallelTests
{
    // 4000 neurons cut into blocks of at most 512: 8 blocks, so 2 and 3 threads really split the work.
    private static readonly CubaParameters Small = new() { Neurons = 4000 };
    private const int SmallBlock = 512;

    [Test]
    public void SynapsesDoNotDependOnThreadsOrBlockSize()
    {
        var reference = CubaNetwork.Build(Small, 5, threads: 1);
        var blocked = CubaNetwork.Build(Small, 5, threads: 3, maxBlockNeurons: SmallBlock);
        Assert.That(reference.Blocks, Is.EqualTo(1));
        Assert.That(blocked.Blocks, Is.EqualTo(8));
        Assert.That(blocked.FanOutStart, Is.EqualTo(reference.FanOutStart));
        for (var pre = 0; pre < Small.Neurons; pre++)
            Assert.That(blocked.TargetsOf(pre), Is.EqualTo(reference.TargetsOf(pre)), $"targets of {pre}");
        var again = CubaNetwork.Build(Small, 5, threads: 2, maxBlockNeurons: SmallBlock);
        Assert.That(again.TargetOffsets, Is.EqualTo(blocked.TargetOffsets));
        Assert.That(again.BlockEnds, Is.EqualTo(blocked.BlockEnds));
    }

    [Test]
    public void TargetsAreSortedDistinctAndTheirBlocksMatchTheOffsets()
    {
        var network = CubaNetwork.Build(Small, 6, threads: 2, maxBlockNeurons: SmallBlock);
        for (var pre = 0; pre < Small.Neurons; pre++)
        {
            var targets = network.TargetsOf(pre);
            Assert.That(targets, Is.Ordered.Ascending.And.Unique, $"targets of {pre}");
            for (var b = 0; b < network.Blocks; b++)
            {
                var end = network.BlockEnd(pre, b);
                Assert.That(targets.Count(t => t < network.BlockStart(b) + network.BlockNeurons), Is.EqualTo(end), $"block end {b} of {pre}");
            }
        }
    }

    [Test]
    public void WideOutDegreesFallBackToWiderBlockEnds()
    {
        // 300 synapses per neuron: degrees above 255 need 16-bit block ends.
        var dense = new CubaParameters { Neurons = 2000, SynapsesPerNeuron = 300 };
        var network = CubaNetwork.Build(dense, 2, threads: 2, maxBlockNeurons: 256);
        Assert.That(network.BlockEnds, Is.TypeOf<ushort[]>());
        var reference = CubaNetwork.Build(dense, 2);
        for (var pre = 0; pre < dense.Neurons; pre += 97)
            Assert.That(network.TargetsOf(pre), Is.EqualTo(reference.TargetsOf(pre)));
    }

    [Test]
    public void SpikesAreBitIdenticalOnOneTwoAndThreeThreadsAndThePhasedPath()
    {
        const int steps = 400;
        var network = CubaNetwork.Build(Small, 3, threads: 2, maxBlockNeurons: SmallBlock);
        var (oneSpikes, one) = Record(network, threads: 1, steps);
        Assert.That(oneSpikes, Has.Count.GreaterThan(200), "the network must fire for the comparison to mean anything");
        foreach (var threads in new[] { 2, 3 })
        {
            var (spikes, simulation) = Record(network, threads, steps);
            Assert.That(spikes, Is.EqualTo(oneSpikes), $"{threads} threads");
            AssertSameState(simulation, one, $"{threads} threads");
        }

        var phased = new CubaSimulation(network, 3);
        var phasedSpikes = new List<(int, int)>();
        for (var step = 0; step < steps; step++)
        {
            phased.Integrate();
            foreach (var i in phased.Spiking) phasedSpikes.Add((step, i));
            phased.DeliverAlongSynapses();
            phased.FinishStep();
        }
        Assert.That(phasedSpikes, Is.EqualTo(oneSpikes), "phased path");
        AssertSameState(phased, one, "phased path");
    }

    [TestCase(1)]
    [TestCase(3)]
    public void TinyBucketsThatFillEveryStepGiveTheSameSpikes(int capacity)
    {
        // Capacity 3 flushes buckets early all the time; capacity 1 also sends runs longer than a
        // bucket straight to ge/gi. Neither may change a bit.
        const int steps = 300;
        var network = CubaNetwork.Build(Small, 8, threads: 2, maxBlockNeurons: SmallBlock);
        var reference = new CubaSimulation(network, 8);
        reference.Run(steps, threads: 1);
        foreach (var threads in new[] { 1, 2 })
        {
            var tiny = new CubaSimulation(network, 8, capacity);
            tiny.Run(steps, threads);
            AssertSameState(tiny, reference, $"capacity {capacity}, {threads} threads");
        }
    }

    [TestCase(0)]
    [TestCase(5)]
    [TestCase(37)]
    public void GroupedBlocksGiveTheSameSpikes(int capacity)
    {
        // Blocks of 125 neurons: 32 blocks of 2.5 synapses per source, so routing groups 4 blocks per
        // bucket (on 1 and 2 threads; 3 threads' ranges allow only groups of one). Capacities 5 and 37 cut
        // buckets every step (at the first spike, or after a few), so the cut spikes are delivered from their synapses at the flush.
        const int steps = 300;
        var grouped = CubaNetwork.Build(Small, 9, threads: 2, maxBlockNeurons: 125);
        Assert.That(grouped.Blocks, Is.EqualTo(32));
        Assert.That(CubaSpikeRouter.ChooseGroupBlocks(grouped, [0, 16]), Is.EqualTo(4));
        Assert.That(CubaSpikeRouter.ChooseGroupBlocks(grouped, [0, 10, 21]), Is.EqualTo(1));
        var single = CubaNetwork.Build(Small, 9, threads: 1);
        var (reference, _) = Record(single, threads: 1, steps);
        Assert.That(reference, Has.Count.GreaterThan(200), "the network must fire for the comparison to mean anything");
        var one = new CubaSimulation(single, 3);
        one.Run(steps, threads: 1);
        foreach (var threads in new[] { 1, 2, 3 })
        {
            var simulation = new CubaSimulation(grouped, 3, capacity);
            var spikes = new List<(int, int)>();
            simulation.Run(steps, threads, (step, neurons) => { foreach (var i in neurons) spikes.Add((step, i)); });
            Assert.That(spikes, Is.EqualTo(reference), $"{threads} threads, capacity {capacity}");
            AssertSameState(simulation, one, $"{threads} threads, capacity {capacity}");
        }
        var phased = new CubaSimulation(grouped, 3, capacity);
        for (var step = 0; step < steps; step++)
        {
            phased.Integrate();
            phased.DeliverAlongSynapses();
            phased.FinishStep();
        }
        AssertSameState(phased, one, $"phased path, capacity {capacity}");
    }

    [TestCase(0, 2)]
    [TestCase(0, 3)]
    [TestCase(5, 2)]
    public void GroupsTakenFromOtherThreadsGiveTheSameSpikes(int capacity, int threads)
    {
        // On two steps in three the helpers stop after their first group until the calling thread has claimed
        // every other group, so it integrates the rest of their home groups too (capacity 5: its buckets are
        // cut at once); on the third step each thread takes only its own. The spikes and every state bit must not change.
        const int steps = 300;
        var grouped = CubaNetwork.Build(Small, 9, threads: 2, maxBlockNeurons: 125);
        var one = new CubaSimulation(grouped, 3);
        var reference = new List<(int, int)>();
        one.Run(steps, threads: 1, (step, neurons) => { foreach (var i in neurons) reference.Add((step, i)); });
        Assert.That(reference, Has.Count.GreaterThan(200), "the network must fire for the comparison to mean anything");
        var late = new CubaSimulation(grouped, 3, capacity) { ClaimHooks = new LateHelpers() };
        var spikes = new List<(int, int)>();
        late.Run(steps, threads, (step, neurons) => { foreach (var i in neurons) spikes.Add((step, i)); });
        Assert.That(spikes, Is.EqualTo(reference), $"{threads} threads, capacity {capacity}");
        AssertSameState(late, one, $"{threads} threads, capacity {capacity}");
        Assert.That(late.GroupsTaken, Is.GreaterThan(0), "the calling thread took the helpers' groups");
        Assert.That(one.GroupsTaken, Is.Zero, "one thread takes no one's groups");
        Assert.That(one.IdleThreadSeconds, Is.Zero, "one thread never waits for another");
    }

    [Test]
    public void RunCanBeResumedAndMatchesOneLongRun()
    {
        var network = CubaNetwork.Build(Small, 4, threads: 2, maxBlockNeurons: SmallBlock);
        var whole = new CubaSimulation(network, 4);
        whole.Run(300, threads: 2);
        var split = new CubaSimulation(network, 4);
        split.Run(120, threads: 2);
        split.Run(180, threads: 1);
        AssertSameState(split, whole, "resumed");
        Assert.That(split.StepsDone, Is.EqualTo(300));
    }

    [TestCase(1)]
    [TestCase(2)]
    public void RunOfNoStepsAfterOthersChangesNothing(int threads)
    {
        var network = CubaNetwork.Build(Small, 4, threads: 2, maxBlockNeurons: SmallBlock);
        var simulation = new CubaSimulation(network, 4);
        simulation.Run(50, threads);
        var reference = new CubaSimulation(network, 4);
        reference.Run(50, threads);
        simulation.Run(0, threads);
        Assert.That(simulation.StepsDone, Is.EqualTo(50), "steps done");
        AssertSameState(simulation, reference, "after a run of no steps");
    }

    private static (List<(int Step, int Neuron)> Spikes, CubaSimulation Simulation) Record(CubaNetwork network, int threads, int steps)
    {
        var simulation = new CubaSimulation(network, 3);
        var spikes = new List<(int, int)>();
        simulation.Run(steps, threads, (step, neurons) => { foreach (var i in neurons) spikes.Add((step, i)); });
        return (spikes, simulation);
    }

    private static void AssertSameState(CubaSimulation actual, CubaSimulation expected, string what)
    {
        Assert.That(actual.Spikes, Is.EqualTo(expected.Spikes), what);
        Assert.That(actual.SynapticEvents, Is.EqualTo(expected.SynapticEvents), what);
        Assert.That(actual.SpikeCounts.ToArray(), Is.EqualTo(expected.SpikeCounts.ToArray()), what);
        for (var i = 0; i < expected.SpikeCounts.Length; i++)
        {
            // Bit patterns, not values: -0 and NaN would hide behind an equality test.
            Assert.That(BitConverter.SingleToInt32Bits(actual.MembraneOf(i)), Is.EqualTo(BitConverter.SingleToInt32Bits(expected.MembraneOf(i))), $"{what}: v of {i}");
            Assert.That(BitConverter.SingleToInt32Bits(actual.ExcitatoryOf(i)), Is.EqualTo(BitConverter.SingleToInt32Bits(expected.ExcitatoryOf(i))), $"{what}: ge of {i}");
            Assert.That(BitConverter.SingleToInt32Bits(actual.InhibitoryOf(i)), Is.EqualTo(BitConverter.SingleToInt32Bits(expected.InhibitoryOf(i))), $"{what}: gi of {i}");
        }
    }
}
