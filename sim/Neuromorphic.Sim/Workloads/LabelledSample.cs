using Neuromorphic.Traces.Events;

namespace Neuromorphic.Sim.Workloads;

/// <summary>One labelled recording of a workload.</summary>
/// <param name="Events">The events.</param>
/// <param name="Label">Class index, 0-based.</param>
/// <param name="ClassName">Human-readable class name.</param>
public sealed record LabelledSample(EventStream Events, int Label, string ClassName);
