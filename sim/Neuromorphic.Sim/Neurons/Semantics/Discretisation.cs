using System.Globalization;

namespace Neuromorphic.Sim.Neurons;

/// <summary>
/// How continuous-time NIR neurons and recurrent edges become timesteps: the semantics (whose
/// update order, scaling and first-step recurrence) and the reset mechanism. Neuron models turn it
/// into a <see cref="NeuronUpdateRule"/>; the executor reads <see cref="RecurrenceStartsAtRest"/>.
/// </summary>
/// <param name="Semantics">Whose discretisation.</param>
/// <param name="Reset">What a spike does to the membrane.</param>
public sealed record Discretisation(NirSemantics Semantics = NirSemantics.Nir, ResetMechanism Reset = ResetMechanism.ToValue)
{
    /// <summary>NIR's forward Euler with reset to v_reset: the default.</summary>
    public static Discretisation Nir { get; } = new();

    /// <summary>
    /// True if a recurrent edge carries, in the first step, what its source outputs with the whole
    /// graph at rest (e.g. the bias of an Affine on the loop: forward Euler with the state of step -1
    /// at zero, and snnTorch's RSynaptic, whose recurrent Linear sees zero spikes). False for Norse,
    /// whose graph executor (NIRTorch) feeds zero into a recurrent edge until its source has run once.
    /// </summary>
    public bool RecurrenceStartsAtRest => Semantics != NirSemantics.Norse;

    /// <summary>The name used on the command line and in files: <c>nir</c>, <c>snntorch</c>, <c>norse</c>.</summary>
    public static string Name(NirSemantics semantics) => semantics switch
    {
        NirSemantics.SnnTorch => "snntorch",
        NirSemantics.Norse => "norse",
        _ => "nir",
    };

    /// <summary>The name of a reset mechanism: <c>value</c> or <c>subtract</c>.</summary>
    public static string Name(ResetMechanism reset) => reset == ResetMechanism.Subtract ? "subtract" : "value";

    /// <summary>Parses <c>nir</c>, <c>snntorch</c> or <c>norse</c> (case-insensitive).</summary>
    public static bool TryParse(string text, out NirSemantics semantics)
    {
        switch (text.Trim().ToLower(CultureInfo.InvariantCulture))
        {
            case "nir": semantics = NirSemantics.Nir; return true;
            case "snntorch": semantics = NirSemantics.SnnTorch; return true;
            case "norse": semantics = NirSemantics.Norse; return true;
            default: semantics = NirSemantics.Nir; return false;
        }
    }

    /// <summary>Parses <c>value</c> (also snnTorch's <c>zero</c>) or <c>subtract</c> (case-insensitive).</summary>
    public static bool TryParse(string text, out ResetMechanism reset)
    {
        switch (text.Trim().ToLower(CultureInfo.InvariantCulture))
        {
            case "value" or "zero" or "reset_value": reset = ResetMechanism.ToValue; return true;
            case "subtract" or "reset_subtract": reset = ResetMechanism.Subtract; return true;
            default: reset = ResetMechanism.ToValue; return false;
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"{Name(Semantics)}, reset {Name(Reset)}";
}
