using CsCheck;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Sim.Benchmarks;
using NUnit.Framework;

namespace Neuromorphic.Tests.Arch;

/// <summary>
/// CUBA's neuron core takes a step's input in pieces (one per source, <see cref="FixedPointPopulation.AddInputs"/>)
/// exactly as it takes the gathered input: each entry goes into state of its own.
/// </summary>
public sealed class FixedPointPopulationInputTests
{
    [TestCase(false)]
    [TestCase(true)]
    public void InputsInPiecesStepLikeTheGatheredInput(bool fixedPoint)
    {
        var gen =
            from n in Gen.Int[2, 60]
            from seed in Gen.Int
            from pieces in Gen.Int[1, 3]
            select (n, seed, pieces);
        gen.Sample(c =>
        {
            var (n, seed, pieces) = c;
            var p = new CubaParameters { Neurons = n, SynapsesPerNeuron = 1 };
            var random = new Random(seed);
            var membranes = Enumerable.Range(0, n).Select(_ => p.Reset + (p.Threshold - p.Reset) * random.NextDouble()).ToArray();
            var format = fixedPoint ? new FixedPointFormat(16, 8) : null;
            var whole = new FixedPointPopulation(new CubaNeuronModel(p, membranes), p.Dt * 1e-3, format);
            var split = new FixedPointPopulation(new CubaNeuronModel(p, membranes), p.Dt * 1e-3, format);
            var (outWhole, outSplit) = (new double[n], new double[n]);
            var updated = new byte[n];
            for (var step = 0; step < 40; step++)
            {
                // Spike counts (mostly 1, some several), a count with conversion error, and an explicit zero.
                var input = new double[2 * n];
                var active = Enumerable.Range(0, 2 * n).Where(_ => random.NextDouble() < 0.3).ToArray();
                foreach (var a in active)
                    input[a] = random.Next(6) switch { 0 => 0, 1 => 3, 2 => 2 + 1e-15, 3 => 0.4, _ => 1 };
                var piece = active.Select(_ => random.Next(pieces)).ToArray();
                // A gathered input lists the first source's entries, then the next's.
                var order = Enumerable.Range(0, pieces).SelectMany(k => active.Where((_, x) => piece[x] == k)).ToArray();
                whole.Step(input, order, true, outWhole, updated);
                for (var k = 0; k < pieces; k++)
                {
                    var values = new double[2 * n];
                    var entries = active.Where((_, x) => piece[x] == k).ToArray();
                    foreach (var a in entries) values[a] = input[a];
                    split.AddInputs(values, entries);
                }
                split.StepAfterInputs(outSplit);
                Assert.That(outSplit, Is.EqualTo(outWhole), $"step {step}");
                Assert.That(split.Fired.ToArray(), Is.EqualTo(whole.Fired.ToArray()), $"step {step}");
                Assert.That(split.Saturations, Is.EqualTo(whole.Saturations));
            }
        }, iter: 60);
    }

    [Test]
    public void OtherModelsTakeTheirInputWhole()
    {
        var model = new Neuromorphic.Sim.Neurons.LifModel([0.02, 0.02, 0.02], [1, 1, 1], [0, 0, 0], [1, 1, 1]);
        var population = new FixedPointPopulation(model, 1e-3, new FixedPointFormat(16, 8));
        Assert.That(population.AddsInputsByEntry, Is.False);
        Assert.Throws<InvalidOperationException>(() => population.AddInputs(new double[3], [0]));
    }
}
