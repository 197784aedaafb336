using CsCheck;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using NUnit.Framework;

namespace Neuromorphic.Tests.Review;

/// <summary>
/// A sweep's points may run at any thread count: on random small networks and chips whose macro, neuron-core and NoC
/// clocks differ (so steps start on many phases of their common period), one and two threads give the same spikes,
/// the same ledger and the same step timing.
/// </summary>
public sealed class ThreadsPropertyTests
{
    [Test]
    public void One_and_two_threads_agree_on_chips_whose_unit_clocks_differ()
    {
        var clock = Gen.OneOf(Gen.Const(100e6), Gen.Const(200e6), Gen.Const(250e6), Gen.Const(400e6), Gen.Const(500e6));
        var gen = from inputs in Gen.Int[20, 80] from hidden in Gen.Int[5, 30] from outputs in Gen.Int[3, 20] from recurrent in Gen.Bool
                  from seed in Gen.Int[0, 1_000_000] from macro in clock from core in clock from noc in clock from pipelined in Gen.Bool
                  select (shape: new ReviewChips.Shape(inputs, hidden, outputs, 0.2, recurrent, seed), macro, core, noc, pipelined);
        long producerSteps = 0;
        gen.Sample(c =>
        {
            var spec = ReviewChips.Ideal() with { BaseClockHz = 2e9 };
            spec = spec with
            {
                Macro = spec.Macro with { ClockHz = c.macro },
                NeuronCore = spec.NeuronCore with { ClockHz = c.core },
                Noc = spec.Noc with { ClockHz = c.noc },
                Chip = spec.Chip with { Execution = c.pipelined ? ExecutionMode.Pipelined : ExecutionMode.Barrier },
            };
            var input = ReviewChips.Input(150, c.shape.Inputs, 0.2, c.shape.Seed + 1);
            (ChipRunResult Result, ChipExecutor Executor) Run(int threads)
            {
                var program = NetworkMapper.Map(ReviewChips.Network(c.shape), new ChipModel(spec), 1);
                var executor = new ChipExecutor(program, 1e-3, 1, golden: false, threads: threads);
                executor.RunSample(input);
                return (executor.Finish(), executor);
            }
            var (one, e1) = Run(1);
            var (two, e2) = Run(2);
            Assert.That(e2.Threads, Is.EqualTo(2), "the function pass ran on its own thread");
            Interlocked.Add(ref producerSteps, e2.StepsTimedByProducer);
            Assert.That(two.StepLatencyCycles, Is.EqualTo(one.StepLatencyCycles), c.ToString());
            Assert.That(two.TotalCycles, Is.EqualTo(one.TotalCycles), c.ToString());
            Assert.That(e2.Ledger.Entries().Select(x => (x.Key, x.Count)), Is.EqualTo(e1.Ledger.Entries().Select(x => (x.Key, x.Count))), c.ToString());
            Assert.That(two.Layers.Select(l => (l.Node, l.ChipSpikes, l.BusyCycles, l.Reads)), Is.EqualTo(one.Layers.Select(l => (l.Node, l.ChipSpikes, l.BusyCycles, l.Reads))), c.ToString());
            Assert.That(two.Units.Select(u => (u.Name, u.BusyCycles, u.Arrivals, u.MaxQueueLength, u.WaitCycles)),
                Is.EqualTo(one.Units.Select(u => (u.Name, u.BusyCycles, u.Arrivals, u.MaxQueueLength, u.WaitCycles))), c.ToString());
        }, iter: 30, threads: 1);
        TestContext.Out.WriteLine($"steps timed by the producer: {producerSteps}");
    }
}
