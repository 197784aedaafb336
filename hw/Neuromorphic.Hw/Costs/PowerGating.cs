namespace Neuromorphic.Hw.Costs;

/// <summary>When the chip's components are powered, and so how long they leak.</summary>
public enum PowerGating
{
    /// <summary>Always on: every instance leaks for the whole real-time period of the workload (or the busy time, if longer).</summary>
    None,

    /// <summary>The chip is power-gated while idle: every instance leaks for the busy time only.</summary>
    Idle,

    /// <summary>
    /// Each component class is gated on its own: an instance leaks only while it works, its busy time being the
    /// time its counted actions take (count x latency_ns of the cost table) over the instances of the class,
    /// never more than the chip's busy time.
    /// </summary>
    PerUnit,
}
