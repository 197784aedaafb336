using CsCheck;
using Neuromorphic.Sim.Neurons;
using NUnit.Framework;

namespace Neuromorphic.Tests.Neurons;

/// <summary>Neuron models against closed-form solutions and against each other's documented equivalences.</summary>
public sealed class ClosedFormTests
{
    [Test]
    public void LifUnderConstantInputFollowsTheGeometricSeries()
    {
        // v_n = v_inf (1 - (1 - a)^n) + v0 (1 - a)^n with a = dt/tau, v_inf = v_leak + r I; threshold out of reach.
        const double dt = 1e-3, tau = 0.02, r = 2.0, vLeak = -0.5, current = 0.75;
        var model = new LifModel([tau], [r], [vLeak], [1e9]);
        var (_, membrane) = NeuronRunner.Run(model.CreateDynamics<double>(dt), Enumerable.Repeat(current, 200).ToArray());
        var a = dt / tau;
        var vInf = vLeak + r * current;
        for (var n = 1; n <= 200; n++)
            Assert.That(membrane[n - 1], Is.EqualTo(vInf * (1 - Math.Pow(1 - a, n))).Within(1e-12));
    }

    [Test]
    public void LifFiresStrictlyAboveThresholdAndResets()
    {
        // dt = tau so v = v_leak + r I exactly each step: I = 1 reaches v = 1 = threshold and must not fire.
        var model = new LifModel([1.0], [1.0], [0.0], [1.0], [-0.25]);
        var dyn = model.CreateDynamics<double>(1.0);
        var (output, membrane) = NeuronRunner.Run(dyn, [1.0, 1.5, 0.0]);
        Assert.That(output, Is.EqualTo(new[] { 0.0, 1.0, 0.0 }));
        Assert.That(membrane[1], Is.EqualTo(-0.25));
    }

    [Test]
    public void CubaLifWithSnnTorchConversionsEqualsSnnTorchSynaptic()
    {
        // NIR export of snnTorch Synaptic: tau_syn = dt/(1-alpha), w_in = tau_syn/dt, tau_mem = dt/(1-beta), r = tau_mem/dt.
        Gen.Select(Gen.Double[0.05, 0.95], Gen.Double[0.05, 0.95], Gen.Double[0, 1].Array[50]).Sample((alpha, beta, input) =>
        {
            const double dt = 1e-3;
            double tauSyn = dt / (1 - alpha), tauMem = dt / (1 - beta);
            var nir = new CubaLifModel([tauMem], [tauSyn], [tauMem / dt], [0.0], [1e9], wIn: [tauSyn / dt]);
            var snn = new SnnTorchSynapticModel([alpha], [beta], [1e9]);
            var (_, a) = NeuronRunner.Run(nir.CreateDynamics<double>(dt), input);
            var (_, b) = NeuronRunner.Run(snn.CreateDynamics<double>(dt), input);
            for (var t = 0; t < a.Length; t++)
                if (Math.Abs(a[t] - b[t]) > 1e-9 * (1 + Math.Abs(b[t]))) return false;
            return true;
        });
    }

    [Test]
    public void SpikingJellyHardResetMatchesHandComputation()
    {
        // tau 2, V_th 1, V_reset 0, decay_input: H = V + (X - V)/2.
        var model = new SpikingJellyLifModel(1);
        var (output, membrane) = NeuronRunner.Run(model.CreateDynamics<double>(1.0), [1.0, 1.0, 2.0, 0.0]);
        // 0.5 -> 0.75 -> 0.75 + (2 - 0.75)/2 = 1.375 fires (>=) -> 0 -> 0
        Assert.That(output, Is.EqualTo(new[] { 0.0, 0.0, 1.0, 0.0 }));
        Assert.That(membrane, Is.EqualTo(new[] { 0.5, 0.75, 0.0, 0.0 }));
    }

    [Test]
    public void SpikingJellyFiresAtExactlyThresholdAndSoftResetSubtracts()
    {
        // X = 2 from rest: H = 1 = V_th fires (inclusive); soft reset leaves 0.
        var soft = new SpikingJellyLifModel(1, tau: 2, vThreshold: 1, vReset: null);
        var (output, membrane) = NeuronRunner.Run(soft.CreateDynamics<double>(1.0), [2.0, 4.0]);
        Assert.That(output, Is.EqualTo(new[] { 1.0, 1.0 }));
        // step 2: H = 0 + (4 - 0)/2 = 2 -> fires -> 1
        Assert.That(membrane, Is.EqualTo(new[] { 0.0, 1.0 }));
    }

    [Test]
    public void IfIntegratesPerStepAndResets()
    {
        var model = new IntegratorModel([2.0], [1.0]);
        var (output, membrane) = NeuronRunner.Run(model.CreateDynamics<double>(1e-3), [0.25, 0.25, 0.25, 0.0]);
        Assert.That(output, Is.EqualTo(new[] { 0.0, 0.0, 1.0, 0.0 }));
        Assert.That(membrane, Is.EqualTo(new[] { 0.5, 1.0, 0.0, 0.0 }));

        var euler = new IntegratorModel([2.0], null, timeBase: IntegratorTimeBase.ContinuousEuler);
        var (value, _) = NeuronRunner.Run(euler.CreateDynamics<double>(1e-3), [1.0, 1.0]);
        Assert.That(value[1], Is.EqualTo(4e-3).Within(1e-15));
    }

    [Test]
    public void SnnTorchLeakySubtractResetIsDelayedByDefault()
    {
        // beta 1, threshold 1: mem 1.5 (spike, not yet reset), then 1.5 + 1.5 - 1 = 2 (spike),
        // then 2 + 0 - 1 = 1, which is not above the threshold.
        var model = new SnnTorchLeakyModel([1.0], [1.0]);
        var (output, membrane) = NeuronRunner.Run(model.CreateDynamics<double>(1.0), [1.5, 1.5, 0.0]);
        Assert.That(output, Is.EqualTo(new[] { 1.0, 1.0, 0.0 }));
        Assert.That(membrane, Is.EqualTo(new[] { 1.5, 2.0, 1.0 }));
    }

    [Test]
    public void VectorisedAndScalarPathsAgreeOnLargePopulations()
    {
        // 37 neurons: several full SIMD blocks plus a scalar tail.
        Gen.Double[-1, 3].Array[37].Sample(input =>
        {
            var n = input.Length;
            var model = new LifModel(NeuronModel.Fill(n, 0.01), NeuronModel.Fill(n, 1), NeuronModel.Fill(n, 0), NeuronModel.Fill(n, 0.02));
            var dyn = model.CreateDynamics<double>(1e-3);
            var output = new double[n];
            dyn.Step(input, output);
            for (var i = 0; i < n; i++)
            {
                var v = 0.1 * input[i];
                var expected = v > 0.02 + 1e-12 ? 1.0 : v < 0.02 - 1e-12 ? 0.0 : output[i];
                var membrane = expected > 0 ? 0.0 : v;
                if (output[i] != expected || Math.Abs(dyn.Membrane[i] - membrane) > 1e-12) return false;
            }
            return true;
        });
    }
}
