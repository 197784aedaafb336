namespace Neuromorphic.Hw.Costs;

/// <summary>
/// One row of the energy reference table (Accelergy-style): what one <paramref name="Action"/> of a
/// <paramref name="Component"/> class costs, and where the figure comes from.
/// </summary>
/// <param name="Component">Component class, e.g. <c>sar_adc</c>, <c>rram_array</c>, <c>digital_neuron</c>.</param>
/// <param name="Action">Action, e.g. <c>conversion</c>, <c>row_drive</c>, <c>update</c>.</param>
/// <param name="EnergyPj">Energy per action in picojoules (&gt;= 0).</param>
/// <param name="LatencyNs">Latency of one action in nanoseconds (&gt;= 0); 0 where the component's timing model decides.</param>
/// <param name="Source">A paper, table or manual, or <c>assumed: reason</c>; never empty.</param>
public sealed record CostEntry(string Component, string Action, double EnergyPj, double LatencyNs, string Source)
{
    /// <summary>The key <c>component.action</c>.</summary>
    public string Key => $"{Component}.{Action}";
}

/// <summary>Per-instance figures of a component class: its area and its leakage power while powered.</summary>
/// <param name="Component">Component class.</param>
/// <param name="AreaUm2">Area of one instance in square micrometres.</param>
/// <param name="LeakageUw">Leakage (static) power of one instance in microwatts.</param>
/// <param name="Source">Where the figures come from, or <c>assumed: reason</c>.</param>
public sealed record ComponentCost(string Component, double AreaUm2, double LeakageUw, string Source);
