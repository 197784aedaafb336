using Neuromorphic.Sim.Benchmarks;
using NUnit.Framework;

namespace Neuromorphic.Tests.Benchmarks;

/// <summary>Correctness of the CUBA benchmark (never its speed).</summary>
public sealed class CubaTests
{
    [TestCase(4000, 1UL)]
    [TestCase(4000, 2UL)]
    [TestCase(1000, 3UL)]
    public void SynapseCountIsWithinBinomialBounds(int neurons, ulong seed)
    {
        var parameters = new CubaParameters { Neurons = neurons };
        var network = CubaNetwork.Build(parameters, seed);
        var pairs = (double)neurons * neurons;
        var p = parameters.ConnectionProbability;
        var mean = pairs * p;
        var sd = Math.Sqrt(pairs * p * (1 - p));
        Assert.That(network.Synapses, Is.InRange(mean - 5 * sd, mean + 5 * sd));
        var targets = Enumerable.Range(0, neurons).SelectMany(network.TargetsOf).ToArray();
        Assert.That(targets, Has.Length.EqualTo(network.Synapses));
        Assert.That(targets.All(t => t >= 0 && t < neurons));
        // Out-degree of one neuron is Binomial(N, p): check the spread over neurons too.
        var degrees = Enumerable.Range(0, neurons).Select(i => network.FanOutStart[i + 1] - network.FanOutStart[i]).ToArray();
        var variance = degrees.Select(d => (d - 80.0) * (d - 80.0)).Average();
        Assert.That(variance, Is.EqualTo(neurons * p * (1 - p)).Within(0.15 * neurons * p * (1 - p)));
    }

    [Test]
    public void ExactIntegrationMatchesTheClosedFormAtEveryStep()
    {
        // One neuron, no synapses: v(t) - El = (v0 - El) e^(-t/tm) + sum_x g_x0 tx/(tx - tm) (e^(-t/tx) - e^(-t/tm)).
        var parameters = new CubaParameters { Neurons = 1, SynapsesPerNeuron = 0 };
        var simulation = new CubaSimulation(CubaNetwork.Build(parameters, 1), 1);
        const double v0 = -60, ge0 = 2, gi0 = -6;
        simulation.SetState(0, (float)v0, (float)ge0, (float)gi0);
        double tm = 20, te = 5, ti = 10, el = -49;
        for (var step = 1; step <= 300; step++)
        {
            simulation.Step();
            var t = step * 0.1;
            var expected = el + (v0 - el) * Math.Exp(-t / tm)
                + ge0 * te / (te - tm) * (Math.Exp(-t / te) - Math.Exp(-t / tm))
                + gi0 * ti / (ti - tm) * (Math.Exp(-t / ti) - Math.Exp(-t / tm));
            Assert.That(simulation.MembraneOf(0), Is.EqualTo(expected).Within(2e-4), $"v at step {step}");
            Assert.That(simulation.ExcitatoryOf(0), Is.EqualTo(ge0 * Math.Exp(-t / te)).Within(1e-5), $"ge at step {step}");
            Assert.That(simulation.InhibitoryOf(0), Is.EqualTo(gi0 * Math.Exp(-t / ti)).Within(1e-5), $"gi at step {step}");
        }
        Assert.That(simulation.Spikes, Is.Zero, "v stays below threshold over 30 ms");
    }

    [Test]
    public void RefractoryNeuronIsHeldForFiveMillisecondsThenFiresAgain()
    {
        // El = -49 is above threshold: a lone neuron fires periodically. From Vr, v(t) = El - 11 e^(-t/20)
        // crosses -50 at t = 20 ln 11 = 47.96 ms, i.e. after 480 integrated steps. Brian2 integrates again
        // once t - lastspike >= 5 ms, i.e. 50 steps after the spike: the spike at step s is followed by
        // 49 held steps, integration from step s + 50, and the next spike at s + 49 + 480.
        var parameters = new CubaParameters { Neurons = 1, SynapsesPerNeuron = 0 };
        var simulation = new CubaSimulation(CubaNetwork.Build(parameters, 1), 1);
        simulation.SetState(0, -50.0001f, 0, 0);
        var spikeSteps = new List<int>();
        for (var step = 0; step < 2000; step++)
        {
            var before = simulation.Spikes;
            simulation.Step();
            if (simulation.Spikes > before) spikeSteps.Add(step);
        }
        Assert.That(spikeSteps[0], Is.EqualTo(0));
        var period = spikeSteps[1] - spikeSteps[0];
        Assert.That(period, Is.EqualTo(49 + 480));
        Assert.That(spikeSteps.Zip(spikeSteps.Skip(1), (a, b) => b - a), Is.All.EqualTo(period));
    }

    [Test]
    public void FixedSeedGivesTheSameSpikesTwiceAndAnotherSeedDiffers()
    {
        var parameters = new CubaParameters { Neurons = 1000 };
        var a = CubaBenchmark.Run(parameters, 0.2, 7);
        var b = CubaBenchmark.Run(parameters, 0.2, 7);
        var c = CubaBenchmark.Run(parameters, 0.2, 8);
        Assert.That(a.Spikes, Is.GreaterThan(0));
        Assert.That(b.Spikes, Is.EqualTo(a.Spikes));
        Assert.That(b.SynapticEvents, Is.EqualTo(a.SynapticEvents));
        Assert.That(c.Spikes, Is.Not.EqualTo(a.Spikes));
        Assert.That(a.BytesPerSynapse, Is.InRange(2.0, 4.4));
    }

    [Test]
    public void NextStepsCoefficientsAreKnownBeforeTheStepIsIntegrated()
    {
        // Spikes are delivered while their step is integrated, with the weights of the step after it;
        // those must be exactly what the clock gives once the step is done, across renormalisations.
        var clock = new CubaDecayClock(new CubaParameters());
        Assert.That(clock.RenormaliseEvery, Is.LessThan(1000), "the steps below must cross renormalisations");
        for (var step = 0; step < 3 * clock.RenormaliseEvery + 5; step++)
        {
            var ahead = clock.ForNextAfter(step);
            clock.Integrated(step);
            Assert.That(ahead, Is.EqualTo(clock.For(step + 1)), $"step {step}");
        }
    }

    [Test]
    public void QuantileInterpolatesLikeNumpy()
    {
        double[] sorted = [1, 2, 3, 4];
        Assert.That(CubaBenchmark.Quantile(sorted, 0.5), Is.EqualTo(2.5));
        Assert.That(CubaBenchmark.Quantile(sorted, 0.1), Is.EqualTo(1.3).Within(1e-12));
    }
}
