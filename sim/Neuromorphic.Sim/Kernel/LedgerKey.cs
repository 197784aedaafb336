namespace Neuromorphic.Sim.Kernel;

/// <summary>
/// Identifies one action counter: which unit did what, for which layer. Names are compared ordinally.
/// </summary>
/// <param name="Unit">Hardware unit, e.g. "tile0.macro3" or "neuron_core".</param>
/// <param name="Layer">Network layer the work belongs to; empty if not layer-specific.</param>
/// <param name="Action">Action name, e.g. "adc_convert".</param>
public readonly record struct LedgerKey(string Unit, string Layer, string Action)
{
    /// <summary>Hardware unit name.</summary>
    public string Unit { get; init => field = value ?? throw new ArgumentNullException(nameof(Unit)); }
        = Unit ?? throw new ArgumentNullException(nameof(Unit));

    /// <summary>Layer name; empty if the action is not layer-specific.</summary>
    public string Layer { get; init => field = value ?? throw new ArgumentNullException(nameof(Layer)); }
        = Layer ?? throw new ArgumentNullException(nameof(Layer));

    /// <summary>Action name.</summary>
    public string Action { get; init => field = value ?? throw new ArgumentNullException(nameof(Action)); }
        = Action ?? throw new ArgumentNullException(nameof(Action));

    /// <summary>gem5-like stable name: <c>unit.layer.action</c>, or <c>unit.action</c> when the layer is empty.</summary>
    // Computed on each read rather than stored, so a `with` copy can never carry a stale name.
    public string DottedName => string.IsNullOrEmpty(Layer)
        ? string.Concat(Unit, ".", Action)
        : string.Concat(Unit, ".", Layer, ".", Action);
}
