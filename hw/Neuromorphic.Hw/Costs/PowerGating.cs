namespace Neuromorphic.Hw.Costs;

/// <summary>When the chip's components are powered, and so how long they leak.</summary>
public enum PowerGating
{
    /// <summary>Always on: every instance leaks for the whole real-time period of the workload (or the busy time, if longer).</summary>
    None,

    /// <summary>The chip is power-gated while idle: every instance leaks for the busy time only.</summary>
    Idle,

    /// <summary>
    /// Each component class is gated on its own: an instance leaks only while it works, never longer than the chip's
    /// busy time. Its busy time (<see cref="UnitBusy"/>) is measured where the chip executor times the unit holding it
    /// (macros, neuron cores, NoC links), and otherwise its counted actions x each action's occupancy (initiation
    /// interval, e.g. a core cycle per lanes updates) over the instances of the class.
    /// </summary>
    PerUnit,
}
