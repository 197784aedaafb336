namespace Neuromorphic.Sim.Execution;

/// <summary>
/// A compiled node: turns this timestep's summed input into this timestep's output. Operators
/// keep whatever state they need (membranes, delay lines) and never allocate in <see cref="Forward"/>.
/// </summary>
internal interface IOperator<T> where T : unmanaged
{
    /// <summary>Computes the output of one timestep. Input and output never alias.</summary>
    void Forward(ReadOnlySpan<T> input, Span<T> output);

    /// <summary>
    /// True if the output depends on this step's input alone (projections, pooling, copies), so the
    /// operator can be evaluated on the graph at rest without disturbing any state.
    /// </summary>
    bool Stateless { get; }

    /// <summary>Returns the operator to its initial state.</summary>
    void Reset();
}
