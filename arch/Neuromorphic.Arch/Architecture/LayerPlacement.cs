using System.Text.RegularExpressions;

namespace Neuromorphic.Arch.Architecture;

/// <summary>Where a weighted layer with binary inputs runs.</summary>
public enum LayerTarget
{
    /// <summary>On RRAM macros: spikes drive word lines directly (no DAC).</summary>
    Rram,

    /// <summary>On the digital sparse-accumulate core, with zero-skipping.</summary>
    Digital,
}

/// <summary>
/// Which layers go to RRAM macros and which to the digital core: a default and rules matched in
/// order against layer names (<c>*</c> matches any run of characters, e.g. <c>stage3.*.attn.*</c>).
/// The encoding conv sees real-valued pixels and always runs digitally.
/// </summary>
public sealed record LayerPlacement
{
    /// <summary>Target of layers no rule names.</summary>
    public LayerTarget Default { get; init; } = LayerTarget.Rram;

    /// <summary>Name patterns and their targets; the first match wins.</summary>
    public IReadOnlyList<(string Pattern, LayerTarget Target)> Rules { get; init; } = [];

    /// <summary>The target of a layer.</summary>
    public LayerTarget TargetOf(string layer)
    {
        foreach (var (pattern, target) in Rules)
            if (Regex.IsMatch(layer, "^" + Regex.Escape(pattern).Replace("\\*", ".*") + "$")) return target;
        return Default;
    }
}
