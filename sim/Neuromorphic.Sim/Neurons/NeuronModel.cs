namespace Neuromorphic.Sim.Neurons;

/// <summary>
/// The parameters of a neuron population, apart from its behaviour (gem5-style). Parameters are
/// per neuron (scalars are expanded on construction), in the units of the model's source
/// (NIR continuous time, SpikingJelly or snnTorch discrete form).
/// </summary>
public abstract record NeuronModel
{
    /// <summary>Number of neurons.</summary>
    public abstract int Size { get; }

    /// <summary>
    /// Inputs the population takes per timestep: <see cref="Size"/> (one per neuron), or a multiple of it
    /// for models with several synaptic channels (channel c of neuron k at <c>c x Size + k</c>; CUBA's
    /// excitatory and inhibitory conductances).
    /// </summary>
    public virtual int InputSize => Size;

    /// <summary>A short name of the model for listings (e.g. <c>LIF</c>, <c>snntorch.Leaky</c>).</summary>
    public abstract string Kind { get; }

    /// <summary>True if the model emits spikes.</summary>
    public abstract bool Spiking { get; }

    /// <summary>Builds the runtime state for a run at timestep <paramref name="dt"/> seconds.</summary>
    public abstract INeuronDynamics<T> CreateDynamics<T>(double dt) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>;

    /// <summary>
    /// The model's timestep under a discretisation, as coefficients (NIR models); null for models that
    /// are already discrete and framework-specific (snnTorch, SpikingJelly forms), which ignore it.
    /// </summary>
    /// <param name="dt">Timestep in seconds.</param>
    /// <param name="discretisation">Semantics and reset mechanism.</param>
    public virtual NeuronUpdateRule? UpdateRule(double dt, Discretisation discretisation) => null;

    /// <summary>Builds the runtime state for a run at <paramref name="dt"/> seconds under <paramref name="discretisation"/>.</summary>
    public INeuronDynamics<T> CreateDynamics<T>(double dt, Discretisation discretisation) where T : unmanaged, System.Numerics.IFloatingPointIeee754<T> =>
        UpdateRule(dt, discretisation) is { } rule ? new RuleDynamics<T>(rule) : CreateDynamics<T>(dt);

    /// <summary>Named per-neuron parameter arrays, for listing and export.</summary>
    public abstract IReadOnlyList<(string Name, double[] Values)> Parameters { get; }

    /// <summary>Checks that every parameter array has <see cref="Size"/> entries and values are in range.</summary>
    /// <exception cref="ArgumentException">Naming the first offending parameter.</exception>
    protected void Validate()
    {
        foreach (var (name, values) in Parameters)
        {
            if (values.Length != Size)
                throw new ArgumentException($"{Kind}: parameter '{name}' has {values.Length} values, expected {Size}");
            foreach (var v in values)
                if (!double.IsFinite(v))
                    throw new ArgumentException($"{Kind}: parameter '{name}' has a non-finite value");
        }
    }

    /// <summary>Throws unless every value is strictly positive (time constants).</summary>
    protected static void RequirePositive(string kind, string name, double[] values)
    {
        foreach (var v in values)
            if (!(v > 0))
                throw new ArgumentException($"{kind}: parameter '{name}' must be > 0, found {v}");
    }

    /// <summary>An array of <paramref name="size"/> copies of <paramref name="value"/>.</summary>
    public static double[] Fill(int size, double value)
    {
        var a = new double[size];
        Array.Fill(a, value);
        return a;
    }
}
