namespace Neuromorphic.Sim.Neurons;

/// <summary>
/// NIR leaky integrate-and-fire: <c>tau dv/dt = (v_leak - v) + r I</c>; spike when
/// <c>v &gt; v_threshold</c> (strict), then <c>v = v_reset</c>. Forward Euler at the run's dt with
/// the input of step t entering at step t (reproduces Norse's and snnTorch's traces of lif_norse.nir);
/// other framework semantics through <see cref="UpdateRule"/>.
/// Without a threshold (<see cref="VThreshold"/> null) this is NIR's LI, a non-spiking leaky
/// integrator whose output is its membrane potential.
/// </summary>
public sealed record LifModel : NeuronModel
{
    /// <summary>Creates a population; every array has one entry per neuron.</summary>
    public LifModel(double[] tau, double[] r, double[] vLeak, double[]? vThreshold, double[]? vReset = null)
    {
        Tau = tau; R = r; VLeak = vLeak; VThreshold = vThreshold;
        VReset = vThreshold is null ? null : vReset ?? new double[tau.Length];
        Validate();
        RequirePositive(Kind, "tau", Tau);
    }

    /// <summary>Membrane time constant (s).</summary>
    public double[] Tau { get; }
    /// <summary>Input resistance.</summary>
    public double[] R { get; }
    /// <summary>Leak (resting) potential.</summary>
    public double[] VLeak { get; }
    /// <summary>Firing threshold; null for the non-spiking LI.</summary>
    public double[]? VThreshold { get; }
    /// <summary>Reset potential (null for LI).</summary>
    public double[]? VReset { get; }

    /// <inheritdoc />
    public override int Size => Tau.Length;
    /// <inheritdoc />
    public override string Kind => VThreshold is null ? "LI" : "LIF";
    /// <inheritdoc />
    public override bool Spiking => VThreshold is not null;
    /// <inheritdoc />
    public override IReadOnlyList<(string Name, double[] Values)> Parameters =>
        VThreshold is null
            ? [("tau", Tau), ("r", R), ("v_leak", VLeak)]
            : [("tau", Tau), ("r", R), ("v_leak", VLeak), ("v_threshold", VThreshold), ("v_reset", VReset!)];

    /// <inheritdoc />
    public override INeuronDynamics<T> CreateDynamics<T>(double dt) => CreateDynamics<T>(dt, Discretisation.Nir);

    /// <inheritdoc />
    /// <remarks>
    /// nir: <c>v = (1 - dt/tau) v + dt/tau r x + dt/tau v_leak</c>. norse (LIFBoxCell as Norse's importer
    /// builds it): the same without <c>r</c>, which Norse does not pass on, reset to 0 (Norse does not
    /// pass v_reset either). snntorch (Leaky): input unscaled, state = v / (dt/tau r), threshold and
    /// reset divided likewise. LI runs the nir form under every semantics (neither importer has an LI).
    /// </remarks>
    public override NeuronUpdateRule UpdateRule(double dt, Discretisation discretisation)
    {
        var k = Tau.Select(tau => dt / tau).ToArray();
        var decay = k.Select(x => 1 - x).ToArray();
        var leak = k.Zip(VLeak, (x, vl) => x * vl).ToArray();
        var gain = k.Zip(R, (x, r) => x * r).ToArray();
        var semantics = VThreshold is null ? NirSemantics.Nir : discretisation.Semantics;
        return semantics switch
        {
            NirSemantics.Norse => RuleScaling.Unscaled(discretisation, decay, k, leak, VThreshold, new double[Size]),
            NirSemantics.SnnTorch => RuleScaling.InputUnscaled(discretisation, decay, gain, leak, VThreshold!, VReset!),
            _ => RuleScaling.Unscaled(discretisation, decay, gain, leak, VThreshold, VReset),
        };
    }
}
