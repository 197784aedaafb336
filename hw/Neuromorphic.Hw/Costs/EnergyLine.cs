namespace Neuromorphic.Hw.Costs;

/// <summary>One row of <c>energy_breakdown.csv</c>: an action's count in a layer and what it cost.</summary>
/// <param name="Layer">Network layer (projection or population name); empty for chip-wide leakage.</param>
/// <param name="Unit">Hardware block the component belongs to (e.g. <c>macro</c>, <c>neuron_core</c>).</param>
/// <param name="Component">Component class (cost-table key).</param>
/// <param name="Action">Action (cost-table key); <c>leakage</c> for static power rows.</param>
/// <param name="Count">How many times the action happened (instances, for leakage rows).</param>
/// <param name="EnergyPerActionPj">The cost-table energy of one action (0 for leakage rows).</param>
/// <param name="DynamicPj">Count x energy per action.</param>
/// <param name="LeakagePj">Static energy (leakage rows only).</param>
public sealed record EnergyLine(string Layer, string Unit, string Component, string Action, long Count,
    double EnergyPerActionPj, double DynamicPj, double LeakagePj);
