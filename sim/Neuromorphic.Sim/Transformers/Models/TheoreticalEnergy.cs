namespace Neuromorphic.Sim.Transformers.Models;

/// <summary>One layer's share of the papers' theoretical energy.</summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Kind">Its kind (Conv, Linear, SdsaV1, SdsaV2).</param>
/// <param name="Flops">Its FLOPs per timestep (<see cref="ModelLayer.Flops"/>).</param>
/// <param name="InputRate">Firing rate of its input spikes used (1 for the encoding conv).</param>
/// <param name="Operations">Operations counted: FLOPs for the encoding conv; rate x T x FLOPs (synaptic operations) for the rest.</param>
/// <param name="IsMac">True for the encoding conv (priced per MAC), false for the accumulate-only layers.</param>
/// <param name="Picojoules">Energy per sample in pJ.</param>
public sealed record EnergyTerm(string Layer, LayerKind Kind, long Flops, double InputRate, double Operations, bool IsMac, double Picojoules);

/// <summary>
/// The spike-driven transformer papers' "theoretical energy" per sample (Yao et al. 2023, 2024; 45 nm
/// figures from Horowitz, ISSCC 2014):
/// E = E_MAC x FLOPs(first conv) + E_AC x sum over the other counted layers of (r x T x FLOPs),
/// with E_MAC = 4.6 pJ, E_AC = 0.9 pJ, r the firing rate of the layer's input spikes and T the
/// model's timesteps.
/// </summary>
/// <remarks>
/// <para>Counted layers: every <see cref="LayerKind.Conv"/> and <see cref="LayerKind.Linear"/>
/// (FLOPs k^2 h w c_in c_out / groups, in x out) and every <see cref="LayerKind.SdsaV1"/> and
/// <see cref="LayerKind.SdsaV2"/> (their binary matrix products, see <see cref="ModelCounts"/>).
/// LIF, Add (membrane shortcuts), MaxPool, GlobalMean and Scale count nothing; BatchNorm is folded
/// into the convs.</para>
/// <para>The first conv (<see cref="TransformerModel.FirstConv"/>, the only one fed by the
/// real-valued image) is priced as E_MAC x its FLOPs per timestep, once: it is NOT multiplied by T
/// (the image is the same at every timestep), and not by a firing rate.</para>
/// <para>Every other counted layer is multiplied by T and by the rate the caller gives for it.
/// Components of a linear branch (a RepConv's <c>dw</c> and <c>pw2</c>, a SepConv's <c>pw2</c>)
/// are counted each with its own FLOPs as executed unfolded; <see cref="FromSpikeTensorRates"/>
/// gives them the rate of the spikes that feed their branch.</para>
/// </remarks>
public static class TheoreticalEnergy
{
    /// <summary>Energy of a 32-bit floating-point multiply-accumulate at 45 nm, pJ.</summary>
    public const double MacPicojoules = 4.6;

    /// <summary>Energy of a 32-bit floating-point accumulate at 45 nm, pJ.</summary>
    public const double AcPicojoules = 0.9;

    /// <summary>True for the layers the theoretical energy counts (Conv, Linear, SdsaV1, SdsaV2).</summary>
    public static bool Counts(ModelLayer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        return layer.Kind is LayerKind.Conv or LayerKind.Linear or LayerKind.SdsaV1 or LayerKind.SdsaV2;
    }

    /// <summary>
    /// Theoretical energy per sample in pJ. <paramref name="inputFiringRate"/> is called with the
    /// name of each counted layer other than the first conv and returns the firing rate (0..1) of
    /// that layer's input spikes, averaged over timesteps.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate outside [0, 1].</exception>
    public static double Compute(TransformerModel model, Func<string, double> inputFiringRate) =>
        Terms(model, inputFiringRate).Sum(t => t.Picojoules);

    /// <summary>The per-layer terms of <see cref="Compute"/>, in layer order.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A rate outside [0, 1].</exception>
    public static IReadOnlyList<EnergyTerm> Terms(TransformerModel model, Func<string, double> inputFiringRate)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputFiringRate);
        var first = model.FirstConv;
        var terms = new List<EnergyTerm>();
        foreach (var layer in model.Layers.Where(Counts))
        {
            if (ReferenceEquals(layer, first))
            {
                terms.Add(new EnergyTerm(layer.Name, layer.Kind, layer.Flops, 1, layer.Flops, true, MacPicojoules * layer.Flops));
                continue;
            }
            var r = inputFiringRate(layer.Name);
            if (!(r >= 0 && r <= 1)) throw new ArgumentOutOfRangeException(nameof(inputFiringRate), r, $"firing rate of the input of {layer.Name} must be in [0, 1]");
            var ops = r * model.Timesteps * layer.Flops;
            terms.Add(new EnergyTerm(layer.Name, layer.Kind, layer.Flops, r, ops, false, AcPicojoules * ops));
        }
        return terms;
    }

    /// <summary>
    /// The spiking tensor (a LIF or max-pooling layer) whose spikes feed input
    /// <paramref name="input"/> of <paramref name="layerName"/>: its input itself, or, for a conv
    /// inside a linear branch (fed by another conv), the spikes feeding that branch. Returns
    /// <see cref="TransformerModel.ImageInput"/> for the encoding conv.
    /// </summary>
    public static string SpikeSource(TransformerModel model, string layerName, int input = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        var byName = model.Layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
        return TraceSpikes(byName, byName.TryGetValue(layerName, out var l) ? l : throw new KeyNotFoundException($"no layer '{layerName}' in {model.Name}"), input);
    }

    /// <summary>
    /// Turns rates measured per spiking tensor (called with the name of a LIF or max-pooling layer;
    /// mean of its spikes over elements and timesteps, as the papers' <c>firing_num.py</c>) into the
    /// per-layer input rates <see cref="Compute"/> takes: a Conv or Linear gets the rate of its
    /// <see cref="SpikeSource"/>; an SDSA layer the mean of the rates of Q, K and V.
    /// </summary>
    public static Func<string, double> FromSpikeTensorRates(TransformerModel model, Func<string, double> spikeTensorRate)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(spikeTensorRate);
        var byName = model.Layers.ToDictionary(l => l.Name, StringComparer.Ordinal);
        return name =>
        {
            var layer = byName[name];
            return layer.Kind is LayerKind.SdsaV1 or LayerKind.SdsaV2
                ? Enumerable.Range(0, layer.Inputs.Count).Average(i => spikeTensorRate(TraceSpikes(byName, layer, i)))
                : spikeTensorRate(TraceSpikes(byName, layer, 0));
        };
    }

    private static string TraceSpikes(Dictionary<string, ModelLayer> byName, ModelLayer layer, int input)
    {
        var name = layer.Inputs[input];
        while (name != TransformerModel.ImageInput && byName[name].Kind == LayerKind.Conv)
            name = byName[name].Inputs[0];
        return name;
    }
}
