namespace Neuromorphic.Sim.Transformers.Execution;

/// <summary>
/// What one layer did in one timestep of a functional run.
/// </summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Timestep">Timestep (0-based).</param>
/// <param name="InputElements">Elements of all its inputs (Q, K and V together for attention).</param>
/// <param name="InputActive">Non-zero input elements (spikes, for spiking-input layers).</param>
/// <param name="OutputElements">Elements of its output.</param>
/// <param name="OutputActive">Non-zero output elements (spikes, for spiking layers).</param>
/// <param name="SynapticOps">
/// Accumulations actually done: for a conv or linear layer on spikes, every spike times its
/// in-range taps times the output channels of its group (additions only); on real inputs (the
/// encoding conv) the same count of multiply-accumulates over the non-zero inputs; for attention
/// the integer additions of <see cref="Operators.SdsaOps.Adds"/>; 0 for the other layers.
/// </param>
/// <param name="AndOps">Attention only: the logical ANDs of <see cref="Operators.SdsaOps.Ands"/>.</param>
public sealed record LayerActivity(string Layer, int Timestep, long InputElements, long InputActive, long OutputElements, long OutputActive,
    long SynapticOps, long AndOps = 0)
{
    /// <summary>Fraction of non-zero inputs.</summary>
    public double InputRate => InputElements == 0 ? 0 : (double)InputActive / InputElements;

    /// <summary>Fraction of non-zero outputs (the firing rate of a spiking layer).</summary>
    public double OutputRate => OutputElements == 0 ? 0 : (double)OutputActive / OutputElements;
}

/// <summary>
/// Firing rate of one spiking tensor (a layer whose output is binary spikes: LIF, V1 attention,
/// max pooling of spikes), measured as SpikingJelly's <c>firing_num.py</c> does: the mean of the
/// spikes over all elements and the timesteps run.
/// </summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Rate">Mean over all timesteps run.</param>
/// <param name="PerTimestep">Mean per timestep.</param>
public sealed record LayerFiringRate(string Layer, double Rate, IReadOnlyList<double> PerTimestep);

/// <summary>The result of one functional run of a spike-driven transformer on one image.</summary>
/// <param name="Model">Model name.</param>
/// <param name="TimestepsRun">Timesteps executed (fewer than the model's T after an early exit).</param>
/// <param name="Scores">Per timestep run, the class scores (the output of the model's last layer, its Linear head).</param>
/// <param name="Activity">Per layer and timestep run, in execution order (timestep-major).</param>
/// <param name="FiringRates">Per spiking tensor, in layer order.</param>
/// <param name="StoppedEarly">Whether the caller's stop callback ended the run before the model's T.</param>
public sealed record TransformerRunResult(string Model, int TimestepsRun, IReadOnlyList<float[]> Scores, IReadOnlyList<LayerActivity> Activity,
    IReadOnlyList<LayerFiringRate> FiringRates, bool StoppedEarly)
{
    /// <summary>The class scores averaged over the timesteps run (the papers' <c>head(x).mean(0)</c>).</summary>
    public float[] MeanScores()
    {
        var mean = new float[Scores.Count == 0 ? 0 : Scores[0].Length];
        foreach (var s in Scores)
            for (var i = 0; i < mean.Length; i++) mean[i] += s[i];
        for (var i = 0; i < mean.Length; i++) mean[i] /= Math.Max(1, Scores.Count);
        return mean;
    }

    /// <summary>The firing rate of a spiking layer over the run.</summary>
    public double FiringRate(string layer) =>
        FiringRates.FirstOrDefault(r => r.Layer == layer)?.Rate ?? throw new KeyNotFoundException($"'{layer}' is not a spiking layer of {Model}");

    /// <summary>Synaptic operations of all layers over the run.</summary>
    public long TotalSynapticOps => Activity.Sum(a => a.SynapticOps);
}
