using System.Globalization;
using Neuromorphic.Sim.Neurons;

namespace Neuromorphic.Sim.Nir;

/// <summary>
/// What a NIR file's metadata (<c>node/metadata</c>) says about its origin: the semantics to run it
/// with by default and snnTorch's reset mechanism, which NIR itself cannot express. Read keys
/// (case-insensitive): <c>semantics</c> (<c>nir</c>, <c>snntorch</c>, <c>norse</c>); else the first
/// of <see cref="ProducerKeys"/> whose value names snnTorch or Norse; and <c>reset_mechanism</c>
/// (<c>subtract</c>, <c>zero</c>/<c>value</c>). An explicit choice on the command line overrides
/// all of it.
/// </summary>
public static class NirProvenance
{
    /// <summary>Metadata keys that may name the framework that wrote the file.</summary>
    public static IReadOnlyList<string> ProducerKeys { get; } =
        ["framework", "source", "exporter", "exported_by", "producer", "generator", "library", "created_by", "written_by", "tool"];

    /// <summary>The semantics the metadata asks for, with the key that said so; null if it says nothing.</summary>
    public static (NirSemantics Semantics, string Key)? Semantics(IReadOnlyDictionary<string, string> metadata)
    {
        if (Find(metadata, "semantics") is { } explicitKey && Discretisation.TryParse(metadata[explicitKey], out NirSemantics chosen))
            return (chosen, explicitKey);
        foreach (var wanted in ProducerKeys)
        {
            if (Find(metadata, wanted) is not { } key) continue;
            var value = metadata[key].ToLower(CultureInfo.InvariantCulture);
            if (value.Contains("snntorch", StringComparison.Ordinal)) return (NirSemantics.SnnTorch, key);
            if (value.Contains("norse", StringComparison.Ordinal)) return (NirSemantics.Norse, key);
        }
        return null;
    }

    /// <summary>The reset mechanism the metadata names (<c>reset_mechanism</c>); null if none or unreadable.</summary>
    public static ResetMechanism? Reset(IReadOnlyDictionary<string, string> metadata) =>
        Find(metadata, "reset_mechanism") is { } key && Discretisation.TryParse(metadata[key], out ResetMechanism reset) ? reset : null;

    /// <summary>
    /// The discretisation of a run: explicit choices first, then the metadata, then NIR's defaults.
    /// </summary>
    /// <param name="metadata">The file's metadata.</param>
    /// <param name="semantics">The user's choice, or null.</param>
    /// <param name="reset">The user's choice, or null.</param>
    public static Discretisation Resolve(IReadOnlyDictionary<string, string> metadata, NirSemantics? semantics, ResetMechanism? reset) =>
        new(semantics ?? Semantics(metadata)?.Semantics ?? NirSemantics.Nir, reset ?? Reset(metadata) ?? ResetMechanism.ToValue);

    private static string? Find(IReadOnlyDictionary<string, string> metadata, string wanted) =>
        metadata.Keys.Where(k => string.Equals(k, wanted, StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal).FirstOrDefault();
}
