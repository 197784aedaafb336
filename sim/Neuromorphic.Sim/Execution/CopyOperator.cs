namespace Neuromorphic.Sim.Execution;

/// <summary>Passes its input through unchanged: outputs, flatten (C-order data does not move).</summary>
internal sealed class CopyOperator<T> : IOperator<T> where T : unmanaged
{
    public void Forward(ReadOnlySpan<T> input, Span<T> output) => input.CopyTo(output);
    public bool Stateless => true;
    public void Reset() { }
}
