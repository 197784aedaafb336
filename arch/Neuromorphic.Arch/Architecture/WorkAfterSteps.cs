namespace Neuromorphic.Arch.Architecture;

/// <summary>
/// Work a run times itself after the chip executor's timesteps, on a unit the executor does not model (the LSM's
/// readout on the accumulate core: <see cref="Lsm.ReadoutTiming"/>). The run's busy time (<see cref="Hw.Costs.PowerWindow.BusySeconds"/>)
/// holds it; the executor's units worked within the steps alone, so their per-tile sums (routers, I/O buffers) stay
/// capped at the steps' busy time.
/// </summary>
/// <param name="StepsBusySeconds">The busy time of the executor's steps, whole run.</param>
/// <param name="SecondsPerInstance">Busy seconds per instance of the classes this work measures, whole run (they replace the classes' occupancy rules).</param>
/// <param name="BackToBackBusySeconds">The busy time with the inferences back to back, whole run (the full-throughput window): the
/// work after one inference's steps overlaps the next one's steps, on other units, so only what overhangs them counts, and the last one's.</param>
public sealed record WorkAfterSteps(double StepsBusySeconds, IReadOnlyDictionary<string, double> SecondsPerInstance, double BackToBackBusySeconds);
