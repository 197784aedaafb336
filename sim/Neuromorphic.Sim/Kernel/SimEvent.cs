namespace Neuromorphic.Sim.Kernel;

/// <summary>
/// One discrete event. Dispatch order is (<see cref="Cycle"/>, then <see cref="Sequence"/>); the
/// <see cref="Scheduler"/> assigns <see cref="Sequence"/> from a monotonic counter at schedule time,
/// so events at equal cycles run in the order they were scheduled.
/// </summary>
/// <param name="Cycle">Base-clock cycle at which the event is dispatched.</param>
/// <param name="Sequence">Tie-breaker among events of the same cycle (lower runs first).</param>
/// <param name="Target">Dense component id (from <see cref="Scheduler.Register"/>) that receives the event.</param>
/// <param name="Kind">Component-defined event kind.</param>
/// <param name="Payload">Component-defined payload (an index, a packed value, ...).</param>
public readonly record struct SimEvent(long Cycle, long Sequence, int Target, int Kind, long Payload)
{
    /// <summary>True if <paramref name="a"/> must be dispatched before <paramref name="b"/>.</summary>
    internal static bool Precedes(in SimEvent a, in SimEvent b) =>
        a.Cycle < b.Cycle || (a.Cycle == b.Cycle && a.Sequence < b.Sequence);
}
