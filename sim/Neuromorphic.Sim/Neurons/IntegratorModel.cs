namespace Neuromorphic.Sim.Neurons;

/// <summary>How a leak-free integrator (NIR <c>I</c>, <c>IF</c>) turns <c>dv/dt = r I</c> into a step.</summary>
public enum IntegratorTimeBase
{
    /// <summary><c>v += r I</c> each timestep: the discrete integrate-and-fire of Sinabs, SpikingJelly and snnTorch, whose NIR exports carry r = 1 (default).</summary>
    PerTimestep,

    /// <summary><c>v += dt r I</c>: forward Euler of the continuous equation with I in units per second.</summary>
    ContinuousEuler,
}

/// <summary>
/// NIR integrator <c>I</c> (<c>dv/dt = r I</c>, output v) and integrate-and-fire <c>IF</c>
/// (spike when <c>v &gt; v_threshold</c>, then <c>v = v_reset</c>).
/// </summary>
public sealed record IntegratorModel : NeuronModel
{
    /// <summary>Creates a population; a null threshold gives the non-spiking integrator I.</summary>
    public IntegratorModel(double[] r, double[]? vThreshold, double[]? vReset = null,
        IntegratorTimeBase timeBase = IntegratorTimeBase.PerTimestep)
    {
        R = r; VThreshold = vThreshold; TimeBase = timeBase;
        VReset = vThreshold is null ? null : vReset ?? new double[r.Length];
        Validate();
    }

    /// <summary>Input resistance.</summary>
    public double[] R { get; }
    /// <summary>Threshold; null for the integrator I.</summary>
    public double[]? VThreshold { get; }
    /// <summary>Reset potential (null for I).</summary>
    public double[]? VReset { get; }
    /// <summary>Discretisation of the integral.</summary>
    public IntegratorTimeBase TimeBase { get; }

    /// <inheritdoc />
    public override int Size => R.Length;
    /// <inheritdoc />
    public override string Kind => VThreshold is null ? "I" : "IF";
    /// <inheritdoc />
    public override bool Spiking => VThreshold is not null;
    /// <inheritdoc />
    public override IReadOnlyList<(string Name, double[] Values)> Parameters =>
        VThreshold is null ? [("r", R)] : [("r", R), ("v_threshold", VThreshold), ("v_reset", VReset!)];

    /// <inheritdoc />
    public override INeuronDynamics<T> CreateDynamics<T>(double dt) => CreateDynamics<T>(dt, Discretisation.Nir);

    /// <inheritdoc />
    /// <remarks>
    /// nir: <c>v += r x</c> (or <c>dt r x</c>, see <see cref="TimeBase"/>). norse (IAFCell as Norse's
    /// importer builds it): <c>v += x</c> (Norse does not pass r), reset to 0. snntorch: input
    /// unscaled, threshold divided by the gain. I runs the nir form under every semantics.
    /// </remarks>
    public override NeuronUpdateRule UpdateRule(double dt, Discretisation discretisation)
    {
        var scale = TimeBase == IntegratorTimeBase.PerTimestep ? 1.0 : dt;
        var gain = R.Select(r => r * scale).ToArray();
        var decay = Fill(Size, 1.0);
        var leak = new double[Size];
        var semantics = VThreshold is null ? NirSemantics.Nir : discretisation.Semantics;
        return semantics switch
        {
            NirSemantics.Norse => RuleScaling.Unscaled(discretisation, decay, Fill(Size, 1.0), leak, VThreshold, new double[Size]),
            NirSemantics.SnnTorch => RuleScaling.InputUnscaled(discretisation, decay, gain, leak, VThreshold!, VReset!),
            _ => RuleScaling.Unscaled(discretisation, decay, gain, leak, VThreshold, VReset),
        };
    }
}
