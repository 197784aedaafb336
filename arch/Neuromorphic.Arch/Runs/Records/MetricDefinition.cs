namespace Neuromorphic.Arch.Runs.Records;

/// <summary>One entry of the metric catalogue: a stable name, its unit, what it refers to, and what it means.</summary>
/// <param name="Name">The key in <c>summary.json</c> (snake case, unit suffix where it has one: <c>_J</c>, <c>_s</c>, <c>_pJ</c>).</param>
/// <param name="Unit">The unit, or <c>1</c> for a dimensionless share or ratio, <c>count</c>, or <c>-</c> for text.</param>
/// <param name="Scope">Whole run, per inference, per timestep, per operation; or identity/setting.</param>
/// <param name="Kind">The JSON shape of the value.</param>
/// <param name="Description">What it means, in one sentence.</param>
public sealed record MetricDefinition(string Name, string Unit, MetricScope Scope, MetricKind Kind, string Description);
