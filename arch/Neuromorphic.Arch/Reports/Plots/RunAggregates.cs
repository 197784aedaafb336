using System.Globalization;

namespace Neuromorphic.Arch.Reports.Plots;

/// <summary>Energy of one component over the whole run, pJ.</summary>
/// <param name="Component">The component.</param>
/// <param name="DynamicPj">Dynamic energy, pJ.</param>
/// <param name="LeakagePj">Leakage energy, pJ.</param>
public sealed record ComponentEnergy(string Component, double DynamicPj, double LeakagePj)
{
    /// <summary>Dynamic plus leakage, pJ.</summary>
    public double TotalPj => DynamicPj + LeakagePj;
}

/// <summary>Energy of one layer (or of the lines not attributed to a layer), split by component, pJ.</summary>
/// <param name="Layer">The layer label (<see cref="RunAggregates.NoLayer"/> for chip-wide lines, or an "other" bucket).</param>
/// <param name="ByComponent">Component to dynamic plus leakage energy, pJ.</param>
/// <param name="Layers">How many layers of the file the row stands for (1 except for the "other" bucket).</param>
public sealed record LayerEnergy(string Layer, IReadOnlyDictionary<string, double> ByComponent, int Layers)
{
    /// <summary>Total energy of the layer, pJ.</summary>
    public double TotalPj => ByComponent.Values.Sum();

    /// <summary>The component that spends the most in this layer (ties: by name).</summary>
    public string TopComponent => ByComponent.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key).FirstOrDefault() ?? "";
}

/// <summary>
/// Sums of the energy ledger used by both the plots and the report tables, so both show the same
/// numbers. Orders are deterministic: by energy, descending, then by name (ordinal).
/// </summary>
public static class RunAggregates
{
    /// <summary>The label of ledger lines with an empty layer (chip-wide costs such as leakage).</summary>
    public const string NoLayer = "(chip-wide)";

    /// <summary>Energy per component, largest first.</summary>
    public static IReadOnlyList<ComponentEnergy> ByComponent(RunFiles run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var sums = new Dictionary<string, (double Dynamic, double Leakage)>(StringComparer.Ordinal);
        foreach (var line in run.Energy)
        {
            sums.TryGetValue(line.Component, out var s);
            sums[line.Component] = (s.Dynamic + line.DynamicPj, s.Leakage + line.LeakagePj);
        }
        return sums.Select(p => new ComponentEnergy(p.Key, p.Value.Dynamic, p.Value.Leakage))
            .OrderByDescending(c => c.TotalPj).ThenBy(c => c.Component, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Energy per layer, largest first; with <paramref name="top"/> set, the layers after the first
    /// <paramref name="top"/> are summed into one last row "other (N layers)".
    /// </summary>
    public static IReadOnlyList<LayerEnergy> ByLayer(RunFiles run, int top = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(run);
        var sums = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
        foreach (var line in run.Energy)
        {
            var layer = line.Layer.Length == 0 ? NoLayer : line.Layer;
            if (!sums.TryGetValue(layer, out var byComponent)) sums[layer] = byComponent = new Dictionary<string, double>(StringComparer.Ordinal);
            byComponent.TryGetValue(line.Component, out var e);
            byComponent[line.Component] = e + line.TotalPj;
        }
        var layers = sums.Select(p => new LayerEnergy(p.Key, p.Value, 1))
            .OrderByDescending(l => l.TotalPj).ThenBy(l => l.Layer, StringComparer.Ordinal).ToList();
        if (layers.Count <= top || top < 1) return layers;
        var rest = layers.Skip(top).ToList();
        var other = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var l in rest)
            foreach (var (component, e) in l.ByComponent)
                other[component] = other.GetValueOrDefault(component) + e;
        return [.. layers.Take(top), new LayerEnergy(string.Create(CultureInfo.InvariantCulture, $"other ({rest.Count} layers)"), other, rest.Count)];
    }

    /// <summary>Total energy of the ledger, pJ.</summary>
    public static double TotalPj(RunFiles run) => run.Energy.Sum(l => l.TotalPj);

    /// <summary>
    /// A unit for energies given in pJ so that <paramref name="maxPj"/> reads between 1 and 1000:
    /// multiply pJ by <c>Factor</c> to get <c>Unit</c>.
    /// </summary>
    public static (double Factor, string Unit) EnergyUnit(double maxPj)
    {
        var m = Math.Abs(maxPj);
        return m switch
        {
            > 0 and < 1 => (1e3, "fJ"),
            < 1e3 => (1, "pJ"),
            < 1e6 => (1e-3, "nJ"),
            < 1e9 => (1e-6, "µJ"),
            < 1e12 => (1e-9, "mJ"),
            _ => (1e-12, "J"),
        };
    }
}
