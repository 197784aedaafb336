using MathNet.Numerics.Distributions;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Hw.Devices;
using NUnit.Framework;

namespace Neuromorphic.Tests.Lsm;

/// <summary>
/// Differential-pair synapses: two cells, each set by one stochastic pulse, weight gain x (G+ - G-).
/// The weights' distribution is checked against the closed form of the difference of two draws.
/// </summary>
public sealed class DifferentialPairTests
{
    private const double Gain = 0.07;

    /// <summary>G_min 1 uS, G_max 100 uS; one pulse leaves N(20 uS, 4.7 uS) (the paper preset's cell).</summary>
    private static RramDevice Device(ConductanceDistribution pulse) => new(new RramDeviceParameters
    {
        RonOhm = 1e4,
        OnOffRatio = 100,
        Programming = ProgrammingScheme.StochasticPulse,
        PulseDistribution = pulse,
    });

    private static readonly LsmParameters Dense = new()
    {
        Neurons = 120,
        InputFanIn = LsmParameters.AllInputs,
        InputSigns = InputSigns.Differential,
        InputGain = Gain,
        RecurrentSigns = RecurrentSigns.Differential,
        RecurrentGain = Gain,
        ConnectionProbability = 1,
    };

    /// <summary>One-sample Kolmogorov-Smirnov statistic of <paramref name="sample"/> against <paramref name="cdf"/>.</summary>
    private static double KolmogorovSmirnov(IEnumerable<double> sample, Func<double, double> cdf)
    {
        var x = sample.Order().ToArray();
        double d = 0;
        for (var i = 0; i < x.Length; i++)
        {
            var f = cdf(x[i]);
            d = Math.Max(d, Math.Max((i + 1.0) / x.Length - f, f - (double)i / x.Length));
        }
        return d;
    }

    /// <summary>Critical value of the KS statistic at significance 0.001 for n samples (asymptotic, Smirnov).</summary>
    private static double Critical(int n) => 1.949 / Math.Sqrt(n);

    [Test]
    public void NormalCellsGiveNormalZeroMeanWeightsWithSqrtTwoTheCellSpread()
    {
        // Difference of two independent N(20, 4.7) uS draws: N(0, 4.7 sqrt 2) uS; times the gain.
        // (The window [1, 100] uS cuts 3e-5 of the mass, far below what the test can see.)
        var reservoir = LsmReservoir.Draw(Dense, 150, Device(ConductanceDistribution.Normal(20e-6, 4.7e-6)), 11);
        var expected = new Normal(0, Gain * 4.7 * Math.Sqrt(2));
        var n = Dense.Neurons;
        foreach (var (name, weights) in new[] { ("input", reservoir.InputWeights()), ("recurrent", reservoir.RecurrentWeights()) })
        {
            var w = weights.Select(x => (double)x).ToArray();
            Assert.That(w.Length, Is.EqualTo(name == "input" ? n * 150 : n * n), "dense: every synapse present");
            var ks = KolmogorovSmirnov(w, expected.CumulativeDistribution);
            Assert.That(ks, Is.LessThan(Critical(w.Length)), $"{name}: KS statistic against N(0, {expected.StdDev:F3})");
            Assert.That(w.Average(), Is.EqualTo(0).Within(4 * expected.StdDev / Math.Sqrt(w.Length)), $"{name}: zero mean");
            var sd = Math.Sqrt(w.Average(x => x * x) - w.Average() * w.Average());
            Assert.That(sd, Is.EqualTo(expected.StdDev).Within(0.02 * expected.StdDev), $"{name}: spread");
        }
        // The same draw against a distribution of twice the spread is rejected: the test can fail.
        var wide = new Normal(0, 2 * Gain * 4.7 * Math.Sqrt(2));
        var input = reservoir.InputWeights().Select(x => (double)x).ToArray();
        Assert.That(KolmogorovSmirnov(input, wide.CumulativeDistribution), Is.GreaterThan(Critical(input.Length)));
    }

    [Test]
    public void LogNormalCellsGiveSymmetricZeroMeanWeights()
    {
        // Difference of two i.i.d. log-normal draws (median 20 uS, sigma_ln 0.3): symmetric about 0,
        // variance 2 Var(G) with Var(G) = m^2 e^{s^2} (e^{s^2} - 1).
        const double median = 20, s = 0.3;
        var reservoir = LsmReservoir.Draw(Dense, 150, Device(ConductanceDistribution.LogNormal(median * 1e-6, s)), 5);
        var w = reservoir.InputWeights().Select(x => (double)x).ToArray();
        var sdCell = median * Math.Sqrt(Math.Exp(s * s) * (Math.Exp(s * s) - 1));
        var expectedSd = Gain * sdCell * Math.Sqrt(2);
        Assert.That(w.Average(), Is.EqualTo(0).Within(4 * expectedSd / Math.Sqrt(w.Length)));
        var sd = Math.Sqrt(w.Average(x => x * x));
        Assert.That(sd, Is.EqualTo(expectedSd).Within(0.02 * expectedSd));
        // Symmetry: the weights and their negatives come from one distribution (two-sample KS, n = m).
        var sorted = w.Order().ToArray();
        var ks = KolmogorovSmirnov(w.Select(x => -x), x => UpperBound(sorted, x) / (double)sorted.Length);
        Assert.That(ks, Is.LessThan(1.949 * Math.Sqrt(2.0 / w.Length)));
    }

    [Test]
    public void EveryPairTakesTwoPulsesAndTheNetworkCarriesTheirDifference()
    {
        var p = Dense with { Neurons = 20 };
        var device = Device(ConductanceDistribution.Normal(20e-6, 4.7e-6));
        var reservoir = LsmReservoir.Draw(p, 30, device, 3);
        Assert.That(reservoir.Stats.Pulses, Is.EqualTo(2L * (20 * 30 + 20 * 20)), "one pulse per cell, two cells per synapse");
        Assert.That(reservoir.InputPositive.Concat(reservoir.InputNegative).All(g => g > device.GMin), Is.True, "dense: every cell programmed");
        var w = reservoir.InputWeights();
        for (var i = 0; i < w.Length; i++)
            Assert.That(w[i], Is.EqualTo((float)(Gain * (reservoir.InputPositive[i] - reservoir.InputNegative[i]) * 1e6)).Within(1e-5));
        var recurrent = reservoir.RecurrentWeights();
        Assert.That(recurrent.Count(x => x > 0), Is.InRange(120, 280), "both signs from every neuron: no excitatory/inhibitory types");
        var software = (Neuromorphic.Sim.Networks.SparseNode)reservoir.SoftwareNetwork()["w_in"];
        Assert.That(software.Weights.ToDense(), Is.EqualTo(w));
    }

    [Test]
    public void FanInLimitedPairsConnectExactlyThatManyInputs()
    {
        var p = Dense with { Neurons = 10, InputFanIn = 7, ConnectionProbability = 0.2 };
        var device = Device(ConductanceDistribution.Normal(20e-6, 4.7e-6));
        var reservoir = LsmReservoir.Draw(p, 40, device, 9);
        for (var post = 0; post < 10; post++)
            Assert.That(Enumerable.Range(0, 40).Count(j => reservoir.InputPositive[post * 40 + j] > device.GMin), Is.EqualTo(7));
        Assert.That(reservoir.InputPositive.Zip(reservoir.InputNegative).All(x => x.First > device.GMin == x.Second > device.GMin), Is.True,
            "a pair's two cells are programmed together");
    }

    private static int UpperBound(double[] sorted, double x)
    {
        int lo = 0, hi = sorted.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) / 2;
            if (sorted[mid] <= x) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
