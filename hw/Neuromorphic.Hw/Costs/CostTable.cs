using Neuromorphic.Traces;

namespace Neuromorphic.Hw.Costs;

/// <summary>
/// The energy/latency/area reference table (Accelergy's ERT and ART in one): component class x
/// action -> energy, latency, with a source for every figure; and component class -> area and
/// leakage per instance. Kept apart from the models: models propose default rows, architecture
/// files override them, and the table actually used is written with every run.
/// </summary>
public sealed class CostTable
{
    /// <summary>The action name of rows that carry per-instance area and leakage.</summary>
    public const string InstanceAction = "instance";

    private readonly SortedDictionary<string, CostEntry> _actions = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, ComponentCost> _components = new(StringComparer.Ordinal);

    /// <summary>Creates a table; later entries with the same key replace earlier ones.</summary>
    public CostTable(IEnumerable<CostEntry> actions, IEnumerable<ComponentCost> components)
    {
        foreach (var a in actions) _actions[a.Key] = Check(a);
        foreach (var c in components) _components[c.Component] = Check(c);
    }

    /// <summary>Every action entry, ordered by component then action.</summary>
    public IReadOnlyList<CostEntry> Actions => _actions.Values.ToList();

    /// <summary>Every per-instance entry, ordered by component.</summary>
    public IReadOnlyList<ComponentCost> Components => _components.Values.ToList();

    /// <summary>The entry of an action.</summary>
    /// <exception cref="KeyNotFoundException">Naming the missing <c>component.action</c>.</exception>
    public CostEntry Get(string component, string action) =>
        _actions.TryGetValue($"{component}.{action}", out var e) ? e
            : throw new KeyNotFoundException($"the cost table has no entry for {component}.{action}");

    /// <summary>True and the entry if the table has it.</summary>
    public bool TryGet(string component, string action, out CostEntry entry) =>
        _actions.TryGetValue($"{component}.{action}", out entry!);

    /// <summary>Per-instance figures of a component class, or null.</summary>
    public ComponentCost? InstanceOf(string component) => _components.GetValueOrDefault(component);

    /// <summary>
    /// This table with <paramref name="rows"/> applied on top: a row replaces the entry of the same
    /// key. Every row must name a component and action the table already knows (a typo would
    /// otherwise silently add an unused cost), carry a source, and hold non-negative figures.
    /// </summary>
    /// <exception cref="InputFormatException">Naming the file and row of the first bad row.</exception>
    public CostTable WithOverrides(IEnumerable<CostTableRow> rows)
    {
        var actions = new SortedDictionary<string, CostEntry>(_actions, StringComparer.Ordinal);
        var components = new SortedDictionary<string, ComponentCost>(_components, StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var (action, instance) = Validate(row, actions.ContainsKey, components.ContainsKey);
            if (action is not null) actions[action.Key] = action;
            if (instance is not null) components[instance.Component] = instance;
        }
        return new CostTable(actions.Values, components.Values);
    }

    /// <summary>
    /// Checks one file row and turns it into an action or an instance entry. <paramref name="knownAction"/>
    /// and <paramref name="knownComponent"/> decide which keys exist (pass always-true to accept new ones).
    /// </summary>
    public static (CostEntry? Action, ComponentCost? Instance) Validate(CostTableRow row, Func<string, bool> knownAction, Func<string, bool> knownComponent)
    {
        var where = string.IsNullOrEmpty(row.Location) ? $"{row.Component}.{row.Action}" : $"{row.Location} ({row.Component}.{row.Action})";
        InputFormatException Error(string problem) => new(row.File, where, problem);
        if (string.IsNullOrWhiteSpace(row.Component) || string.IsNullOrWhiteSpace(row.Action))
            throw Error("every row needs a component and an action");
        if (string.IsNullOrWhiteSpace(row.Source))
            throw Error("missing source: cite a paper, table or manual, or write 'assumed: <reason>'");
        foreach (var (name, value) in new[] { ("energy_pJ", row.EnergyPj), ("latency_ns", row.LatencyNs), ("area_um2", row.AreaUm2), ("leakage_uW", row.LeakageUw) })
        {
            if (value is null) continue;
            if (!double.IsFinite(value.Value)) throw Error($"{name} is not a finite number");
            if (value < 0) throw Error($"{name} is negative ({value})");
        }
        if (row.Action == InstanceAction)
        {
            if (!knownComponent(row.Component)) throw Error($"unknown component '{row.Component}'");
            if (row.EnergyPj is not null || row.LatencyNs is not null) throw Error("an instance row carries area_um2 and leakage_uW, not energy or latency");
            return (null, new ComponentCost(row.Component, row.AreaUm2 ?? 0, row.LeakageUw ?? 0, row.Source!));
        }
        if (!knownAction($"{row.Component}.{row.Action}")) throw Error($"unknown action '{row.Component}.{row.Action}'");
        if (row.AreaUm2 is not null || row.LeakageUw is not null) throw Error("an action row carries energy_pJ and latency_ns; area and leakage go on the component's 'instance' row");
        if (row.EnergyPj is null) throw Error("missing energy_pJ");
        return (new CostEntry(row.Component, row.Action, row.EnergyPj.Value, row.LatencyNs ?? 0, row.Source!), null);
    }

    /// <summary>All rows of the table in file form (actions first, then instances), for writing.</summary>
    public IEnumerable<CostTableRow> Rows() =>
        _actions.Values.Select(a => new CostTableRow(a.Component, a.Action, a.EnergyPj, a.LatencyNs, null, null, a.Source, "", ""))
            .Concat(_components.Values.Select(c => new CostTableRow(c.Component, InstanceAction, null, null, c.AreaUm2, c.LeakageUw, c.Source, "", "")));

    private static CostEntry Check(CostEntry e)
    {
        if (string.IsNullOrWhiteSpace(e.Source)) throw new ArgumentException($"cost entry {e.Key} has no source");
        if (!(e.EnergyPj >= 0) || !(e.LatencyNs >= 0) || !double.IsFinite(e.EnergyPj) || !double.IsFinite(e.LatencyNs))
            throw new ArgumentException($"cost entry {e.Key} has a negative or non-finite figure");
        return e;
    }

    private static ComponentCost Check(ComponentCost c)
    {
        if (string.IsNullOrWhiteSpace(c.Source)) throw new ArgumentException($"component cost {c.Component} has no source");
        if (!(c.AreaUm2 >= 0) || !(c.LeakageUw >= 0)) throw new ArgumentException($"component cost {c.Component} has a negative or non-finite figure");
        return c;
    }
}
