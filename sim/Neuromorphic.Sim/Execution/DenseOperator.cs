using System.Numerics;
using System.Numerics.Tensors;
using Neuromorphic.Sim.Networks;

namespace Neuromorphic.Sim.Execution;

/// <summary>
/// <c>y = W x + b</c>, computed event-style: the weight column of every non-zero input is added
/// to the output (one vectorised row add per spike), so the cost follows input activity.
/// </summary>
internal sealed class DenseOperator<T> : IOperator<T> where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[] _weightByInput; // [in x out]: row j is the fan-out of input j
    private readonly T[]? _bias;
    private readonly int _outputs;

    public DenseOperator(DenseNode node)
    {
        _outputs = node.Outputs;
        _weightByInput = new T[node.Weight.Length];
        for (var o = 0; o < node.Outputs; o++)
            for (var i = 0; i < node.Inputs; i++)
                _weightByInput[i * _outputs + o] = T.CreateChecked(node.Weight[o * node.Inputs + i]);
        _bias = node.Bias?.Select(T.CreateChecked).ToArray();
    }

    public void Forward(ReadOnlySpan<T> input, Span<T> output)
    {
        if (_bias is null) output.Clear(); else _bias.CopyTo(output);
        for (var j = 0; j < input.Length; j++)
        {
            var x = input[j];
            if (x == T.Zero) continue;
            var row = _weightByInput.AsSpan(j * _outputs, _outputs);
            if (x == T.One) TensorPrimitives.Add(output, row, output);
            else TensorPrimitives.MultiplyAdd(row, x, output, output);
        }
    }

    public bool Stateless => true;
    public void Reset() { }
}
