namespace Neuromorphic.Sim.Neurons;

/// <summary>
/// NIR current-based LIF (CubaLIF): <c>tau_syn dI/dt = -I + w_in S</c>,
/// <c>tau_mem dv/dt = (v_leak - v) + r I</c>; spike when <c>v &gt; v_threshold</c>, then
/// <c>v = v_reset</c>. Forward Euler with the freshly updated current driving the membrane
/// (the order snnTorch's Synaptic and Norse's importer share; other semantics through <see cref="UpdateRule"/>). Without a threshold
/// (<see cref="VThreshold"/> null) this is NIR's CubaLI, a non-spiking readout.
/// </summary>
public sealed record CubaLifModel : NeuronModel
{
    /// <summary>Creates a population; every array has one entry per neuron.</summary>
    public CubaLifModel(double[] tauMem, double[] tauSyn, double[] r, double[] vLeak, double[]? vThreshold,
        double[]? vReset = null, double[]? wIn = null)
    {
        TauMem = tauMem; TauSyn = tauSyn; R = r; VLeak = vLeak; VThreshold = vThreshold;
        VReset = vThreshold is null ? null : vReset ?? new double[tauMem.Length];
        WIn = wIn ?? Fill(tauMem.Length, 1.0);
        Validate();
        RequirePositive(Kind, "tau_mem", TauMem);
        RequirePositive(Kind, "tau_syn", TauSyn);
    }

    /// <summary>Membrane time constant (s).</summary>
    public double[] TauMem { get; }
    /// <summary>Synaptic current time constant (s).</summary>
    public double[] TauSyn { get; }
    /// <summary>Input resistance.</summary>
    public double[] R { get; }
    /// <summary>Leak potential.</summary>
    public double[] VLeak { get; }
    /// <summary>Firing threshold; null for the non-spiking CubaLI.</summary>
    public double[]? VThreshold { get; }
    /// <summary>Reset potential (null for CubaLI).</summary>
    public double[]? VReset { get; }
    /// <summary>Input weight into the synaptic current.</summary>
    public double[] WIn { get; }

    /// <inheritdoc />
    public override int Size => TauMem.Length;
    /// <inheritdoc />
    public override string Kind => VThreshold is null ? "CubaLI" : "CubaLIF";
    /// <inheritdoc />
    public override bool Spiking => VThreshold is not null;
    /// <inheritdoc />
    public override IReadOnlyList<(string Name, double[] Values)> Parameters
    {
        get
        {
            var list = new List<(string, double[])> { ("tau_mem", TauMem), ("tau_syn", TauSyn), ("r", R), ("v_leak", VLeak) };
            if (VThreshold is not null) list.Add(("v_threshold", VThreshold));
            if (VReset is not null) list.Add(("v_reset", VReset));
            list.Add(("w_in", WIn));
            return list;
        }
    }

    /// <inheritdoc />
    public override INeuronDynamics<T> CreateDynamics<T>(double dt) => CreateDynamics<T>(dt, Discretisation.Nir);

    /// <inheritdoc />
    /// <remarks>
    /// nir: <c>I = (1 - dt/tau_syn) I + dt/tau_syn w_in x</c>, then
    /// <c>v = (1 - dt/tau_mem) v + dt/tau_mem r I + dt/tau_mem v_leak</c> with the new I.
    /// norse (Norse's importer: <c>w_in</c>, an LIBoxCell synapse, <c>r</c>, an LIFBoxCell): the same,
    /// except that the synapse leaks towards v_leak too (Norse passes v_leak to both cells) and the
    /// reset goes to 0. snntorch (Synaptic, as snnTorch's importer builds it): input unscaled,
    /// <c>syn = alpha syn + x</c>, <c>mem = beta mem + syn</c>, threshold divided by
    /// <c>(dt/tau_syn w_in)(dt/tau_mem r)</c>. CubaLI runs the nir form under every semantics.
    /// </remarks>
    public override NeuronUpdateRule UpdateRule(double dt, Discretisation discretisation)
    {
        var ks = TauSyn.Select(tau => dt / tau).ToArray();
        var km = TauMem.Select(tau => dt / tau).ToArray();
        var synapse = new RuleScaling.Synapse(
            ks.Select(x => 1 - x).ToArray(),
            ks.Zip(WIn, (x, w) => x * w).ToArray(),
            new double[Size]);
        var decay = km.Select(x => 1 - x).ToArray();
        var gain = km.Zip(R, (x, r) => x * r).ToArray();
        var leak = km.Zip(VLeak, (x, vl) => x * vl).ToArray();
        var semantics = VThreshold is null ? NirSemantics.Nir : discretisation.Semantics;
        return semantics switch
        {
            NirSemantics.Norse => RuleScaling.Unscaled(discretisation, decay, gain, leak, VThreshold, new double[Size],
                synapse with { Leak = ks.Zip(VLeak, (x, vl) => x * vl).ToArray() }),
            NirSemantics.SnnTorch => RuleScaling.InputUnscaled(discretisation, decay, gain, leak, VThreshold!, VReset!, synapse),
            _ => RuleScaling.Unscaled(discretisation, decay, gain, leak, VThreshold, VReset, synapse),
        };
    }
}
