using Neuromorphic.Sim.Builders;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Execution;

public sealed class ExecutorTests
{
    [Test]
    public void RecurrentEdgeCarriesThePreviousStep()
    {
        // An integrator I (v += x) fed by the input and by its own output through a x2 scale.
        // Step t: v_t = v_{t-1} + in_t + 2 v_{t-1}, since the loop reads last step's output.
        var network = new Network(
            [
                new InputNode("in", [1]),
                new NeuronNode("acc", new IntegratorModel([1.0], null)),
                new ScaleNode("loop", [2f], [1]),
                new OutputNode("out", [1]),
            ],
            [new("in", "acc"), new("acc", "loop"), new("loop", "acc"), new("acc", "out")]);
        var executor = new NetworkExecutor<double>(network, 1e-3);
        Assert.That(executor.Plan.BackEdgeCount, Is.EqualTo(1));
        var y = executor.Run(new SpikeRaster(4, 1, [1, 0, 1, 0])).Outputs["out"];
        // v: 1, 1 + 2 = 3, 3 + 1 + 6 = 10, 10 + 20 = 30
        Assert.That(Enumerable.Range(0, 4).Select(t => y[t, 0]), Is.EqualTo(new float[] { 1, 3, 10, 30 }));
    }

    [Test]
    public void SeveralSourcesAreSummed()
    {
        var network = new Network(
            [new InputNode("in", [2]), new DenseNode("a", [1, 0], 1, 2), new DenseNode("b", [0, 10], 1, 2), new OutputNode("out", [1])],
            [new("in", "a"), new("in", "b"), new("a", "out"), new("b", "out")]);
        var y = new NetworkExecutor<float>(network, 1).Run(new SpikeRaster(1, 2, [2, 3])).Outputs["out"];
        Assert.That(y[0, 0], Is.EqualTo(32f));
    }

    [Test]
    public void SameSeedGivesBitIdenticalRunsAndTheKernelDrivesTheSteps()
    {
        var (n1, in1) = ExampleNetwork.Build(5, timesteps: 200);
        var (n2, in2) = ExampleNetwork.Build(5, timesteps: 200);
        var r1 = new NetworkExecutor<float>(n1, ExampleNetwork.Dt).Run(in1, new RecordRequest(["reservoir"], ["readout"]));
        var r2 = new NetworkExecutor<float>(n2, ExampleNetwork.Dt).Run(in2, new RecordRequest(["reservoir"], ["readout"]));
        Assert.That(r1.Spikes, Is.GreaterThan(0));
        Assert.That(r2.Spikes, Is.EqualTo(r1.Spikes));
        Assert.That(r2.Membranes["readout"].Row(199).ToArray(), Is.EqualTo(r1.Membranes["readout"].Row(199).ToArray()));
        Assert.That(r1.StepStartCycles, Is.EqualTo(Enumerable.Range(0, 200).Select(i => (long)i)));
        Assert.That(r1.Activity["reservoir"].CountNonZero(), Is.EqualTo(r1.Spikes));
        var (_, other) = ExampleNetwork.Build(6, timesteps: 200);
        float[] Flat(SpikeRaster r) => Enumerable.Range(0, r.Timesteps).SelectMany(t => r.Row(t).ToArray()).ToArray();
        Assert.That(Flat(other), Is.Not.EqualTo(Flat(in1)), "another seed gives another stimulus");
    }

    [Test]
    public void SteppingAllocatesNothing()
    {
        var (network, input) = ExampleNetwork.Build(2, timesteps: 50);
        var executor = new NetworkExecutor<float>(network, ExampleNetwork.Dt);
        for (var t = 0; t < 10; t++) executor.Step(input.Row(t));
        Assert.That(ThreadAllocation.During(() =>
        {
            for (var t = 10; t < 50; t++) executor.Step(input.Row(t));
        }), Is.Zero);
    }

    [Test]
    public void WrongInputWidthIsRejected()
    {
        var (network, _) = ExampleNetwork.Build(1, timesteps: 10);
        var executor = new NetworkExecutor<float>(network, ExampleNetwork.Dt);
        Assert.That(() => executor.Run(new SpikeRaster(10, 3)), Throws.ArgumentException.With.Message.Contains("64"));
    }

    [Test]
    public void ShapeMismatchAndDanglingEdgesNameTheNode()
    {
        Assert.That(() => new Network([new InputNode("in", [3]), new DenseNode("fc", [1, 2], 1, 2)], [new("in", "fc")]),
            Throws.TypeOf<NetworkException>().With.Message.Contains("'fc'"));
        Assert.That(() => new Network([new InputNode("in", [3])], [new("in", "ghost")]),
            Throws.TypeOf<NetworkException>().With.Message.Contains("'ghost'"));
    }
}
