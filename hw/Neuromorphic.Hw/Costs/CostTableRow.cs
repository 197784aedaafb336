namespace Neuromorphic.Hw.Costs;

/// <summary>
/// One row as written in a cost-table file (CSV or YAML), before it becomes a
/// <see cref="CostEntry"/> (an action) or a <see cref="ComponentCost"/> (action <c>instance</c>:
/// area and leakage of one instance). Keeps where it came from so errors can name the row.
/// </summary>
/// <param name="Component">Component class.</param>
/// <param name="Action">Action, or <see cref="CostTable.InstanceAction"/>.</param>
/// <param name="EnergyPj">Energy per action (pJ), for action rows.</param>
/// <param name="LatencyNs">Latency per action (ns), for action rows.</param>
/// <param name="AreaUm2">Area of one instance, for instance rows.</param>
/// <param name="LeakageUw">Leakage power of one instance, for instance rows.</param>
/// <param name="Source">Citation or <c>assumed: reason</c>.</param>
/// <param name="File">File the row was read from.</param>
/// <param name="Location">Where in the file, e.g. <c>line 12</c>.</param>
public sealed record CostTableRow(
    string Component, string Action, double? EnergyPj, double? LatencyNs, double? AreaUm2, double? LeakageUw,
    string? Source, string File, string Location)
{
    /// <summary>
    /// Largest figure a row may give (pJ, ns, um^2 or uW): 1e12, a joule per action, far above any
    /// component, and finite in every sum of counts times costs. Figures are never negative.
    /// </summary>
    public const double MaxFigure = 1e12;
}
