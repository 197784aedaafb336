namespace Neuromorphic.Sim.Networks;

/// <summary>
/// A fully connected projection <c>y = W x (+ b)</c> with <c>W</c> of shape [out x in], row-major.
/// Without a bias it is NIR's <c>Linear</c>, with one NIR's <c>Affine</c>.
/// </summary>
public sealed record DenseNode : Node
{
    /// <summary>Creates the projection; <paramref name="weight"/> holds outputs x inputs values, row-major.</summary>
    public DenseNode(string name, float[] weight, int outputs, int inputs, float[]? bias = null) : base(name)
    {
        if (outputs < 0 || inputs < 0 || weight.Length != (long)outputs * inputs)
            throw new ArgumentException($"node '{name}': weight has {weight.Length} values, expected {outputs} x {inputs}");
        if (bias is not null && bias.Length != outputs)
            throw new ArgumentException($"node '{name}': bias has {bias.Length} values, expected {outputs}");
        Weight = weight; Outputs = outputs; Inputs = inputs; Bias = bias;
    }

    /// <summary>Weights [out x in], row-major.</summary>
    public float[] Weight { get; }
    /// <summary>Number of outputs (rows).</summary>
    public int Outputs { get; }
    /// <summary>Number of inputs (columns).</summary>
    public int Inputs { get; }
    /// <summary>Bias per output, or null (NIR Linear).</summary>
    public float[]? Bias { get; }

    /// <inheritdoc />
    public override string NirType => Bias is null ? "Linear" : "Affine";
    /// <inheritdoc />
    public override int[]? InputShape => [Inputs];
    /// <inheritdoc />
    public override int[]? OutputShape => [Outputs];
    /// <inheritdoc />
    public override long SynapseCount => Weight.LongCount(w => w != 0);
    /// <inheritdoc />
    public override long ParameterCount => Weight.Length + (Bias?.Length ?? 0);
}
