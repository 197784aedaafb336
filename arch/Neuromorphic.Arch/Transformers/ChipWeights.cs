using Neuromorphic.Arch.Architecture;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Execution;

namespace Neuromorphic.Arch.Transformers;

/// <summary>
/// The weights as the chip stores them. <c>exact</c>: an ideal chip (no device variation or read
/// noise, ADCs that cannot clip, wide fixed point) stores every weight exactly, so its outputs
/// equal the software's. <c>quantised</c>: a layer on RRAM macros keeps q / (2^b - 1) of its
/// largest magnitude per weight, q = round(|w| / max|w| (2^b - 1)), b = the macro's weight_bits
/// (the crossbar's own rounding, one scale per layer as a mapper would choose); layers on the
/// digital core read full-precision weights from SRAM.
/// </summary>
internal static class ChipWeights
{
    public static TransformerWeights Stored(TransformerModel model, TransformerWeights weights, ChipModel chip, bool exact)
    {
        if (exact) return weights;
        var steps = (1 << chip.Spec.Macro.Crossbar.WeightBits) - 1;
        var stored = new Dictionary<string, LayerWeights>(StringComparer.Ordinal);
        foreach (var (name, w) in weights.Layers)
        {
            var layer = model[name];
            if (!layer.SpikingInput || chip.Spec.Placement.TargetOf(name) != LayerTarget.Rram) { stored[name] = w; continue; }
            var max = 0.0;
            foreach (var x in w.Weight) max = Math.Max(max, Math.Abs(x));
            var q = new float[w.Weight.Length];
            if (max > 0)
                for (var i = 0; i < q.Length; i++)
                {
                    var level = Math.Round(Math.Abs(w.Weight[i]) / max * steps, MidpointRounding.AwayFromZero);
                    q[i] = (float)(Math.Sign(w.Weight[i]) * level * max / steps);
                }
            stored[name] = new LayerWeights(q, w.Bias);
        }
        return new TransformerWeights(stored);
    }
}
