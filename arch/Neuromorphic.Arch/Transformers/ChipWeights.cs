using Neuromorphic.Arch.Architecture;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Execution;

namespace Neuromorphic.Arch.Transformers;

/// <summary>
/// The weights as the chip holds them, for a software run that computes with them: a layer on RRAM
/// macros keeps q / (2^b - 1) of its largest magnitude per weight, q = round(|w| / max|w| (2^b - 1)),
/// b = the macro's weight_bits (the crossbar's own rounding, one scale per layer, as
/// <see cref="Mapping.Mapper"/> programs it); layers on the digital core read full-precision weights
/// from SRAM. The chip itself computes from its programmed macros; this is the reference an ideal
/// chip (no variation or noise, ADCs that cannot clip, wide fixed point) must reproduce.
/// </summary>
internal static class ChipWeights
{
    public static TransformerWeights OnMacros(TransformerModel model, TransformerWeights weights, ChipModel chip)
    {
        var steps = (1 << chip.Spec.Macro.Crossbar.WeightBits) - 1;
        var stored = new Dictionary<string, LayerWeights>(StringComparer.Ordinal);
        foreach (var (name, w) in weights.Layers)
        {
            if (!ComputedOnMacros(model, model[name], chip)) { stored[name] = w; continue; }
            var max = 0.0;
            foreach (var x in w.Weight) max = Math.Max(max, Math.Abs(x));
            var q = new float[w.Weight.Length];
            if (max > 0)
                for (var i = 0; i < q.Length; i++)
                {
                    var level = Math.Round(Math.Abs((float)(w.Weight[i] / max)) * steps, MidpointRounding.AwayFromZero);
                    q[i] = (float)(Math.Sign(w.Weight[i]) * level * max / steps);
                }
            stored[name] = new LayerWeights(q, w.Bias);
        }
        return new TransformerWeights(stored);
    }

    /// <summary>
    /// Whether the chip reads <paramref name="layer"/> on its macros: placed there and fed by a spike
    /// tensor (a conv after SepConv's depthwise conv sees real values and runs on the digital core).
    /// </summary>
    public static bool ComputedOnMacros(TransformerModel model, ModelLayer layer, ChipModel chip) =>
        TransformerMacros.OnMacros(layer, chip) && layer.Inputs[0] != TransformerModel.ImageInput
        && TransformerOnChip.SpikeOutput(model[layer.Inputs[0]], model);
}
