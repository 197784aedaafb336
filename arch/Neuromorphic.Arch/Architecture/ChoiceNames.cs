using System.Collections.Immutable;

namespace Neuromorphic.Arch.Architecture;

/// <summary>
/// The YAML (and CLI) names of an enum's values, in declaration order, the default first: one table per choice
/// instead of a hand-written Name/Parse pair per enum.
/// </summary>
/// <typeparam name="TEnum">An enum whose values are 0, 1, 2, ... in declaration order.</typeparam>
public sealed class ChoiceNames<TEnum> where TEnum : struct, Enum
{
    private readonly string _what;

    /// <summary>Names the values of <typeparamref name="TEnum"/>.</summary>
    /// <param name="what">What the choice is, for the error on an unknown name (e.g. "macro order").</param>
    /// <param name="names">One name per enum value, in declaration order.</param>
    /// <exception cref="ArgumentException">Not one name per value.</exception>
    public ChoiceNames(string what, params string[] names)
    {
        if (names.Length != Enum.GetValues<TEnum>().Length)
            throw new ArgumentException($"{names.Length} names for the {Enum.GetValues<TEnum>().Length} values of {typeof(TEnum).Name}", nameof(names));
        _what = what;
        All = [.. names];
    }

    /// <summary>Every value's name, the default first.</summary>
    public ImmutableArray<string> All { get; }

    /// <summary>The name of <paramref name="value"/>.</summary>
    public string Name(TEnum value) => All[Convert.ToInt32(value)];

    /// <summary>The value named <paramref name="name"/> (one of <see cref="All"/>).</summary>
    /// <exception cref="ArgumentException">An unknown name.</exception>
    public TEnum Parse(string name)
    {
        var k = All.IndexOf(name);
        if (k < 0) throw new ArgumentException($"unknown {_what} '{name}'; expected one of {string.Join(", ", All)}");
        return (TEnum)Enum.ToObject(typeof(TEnum), k);
    }
}

/// <summary>The names of the architecture's enum choices, as the YAML and the CLI spell them.</summary>
public static class ArchitectureChoices
{
    /// <summary><c>chip.neuron_placement</c> (<see cref="Architecture.NeuronPlacement"/>).</summary>
    public static ChoiceNames<NeuronPlacement> NeuronPlacement { get; } =
        new("neuron placement", "packed", "spread", "by_layer", "near_synapses");

    /// <summary><c>mapping.macro_order</c>, <c>bench cuba --macro-order</c> (<see cref="Architecture.MacroOrder"/>).</summary>
    public static ChoiceNames<MacroOrder> MacroOrder { get; } =
        new("macro order", "row_block_major", "column_block_major");

    /// <summary><c>mapping.one_signed_layers</c>, <c>bench cuba --one-signed-layers</c> (<see cref="Architecture.OneSignedLayers"/>).</summary>
    public static ChoiceNames<OneSignedLayers> OneSignedLayers { get; } =
        new("one-signed layer storage", "single_cells", "signed_scheme");
}
