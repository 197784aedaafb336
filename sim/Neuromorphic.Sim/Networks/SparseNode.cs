namespace Neuromorphic.Sim.Networks;

/// <summary>
/// A sparse projection <c>y = W x</c> with <c>W</c> [out x in] in CSR form (rows are outputs),
/// optionally with a per-synapse delay in timesteps (same layout as the weights). Exported to
/// NIR as a dense <c>Linear</c> (NIR has no sparse type; delays are not exported).
/// </summary>
public sealed record SparseNode : Node
{
    /// <summary>Creates the projection.</summary>
    public SparseNode(string name, CsrMatrix weights, int[]? delaySteps = null) : base(name)
    {
        if (delaySteps is not null)
        {
            if (delaySteps.Length != weights.NonZeros)
                throw new ArgumentException($"node '{name}': {delaySteps.Length} delays for {weights.NonZeros} synapses");
            if (delaySteps.Any(d => d < 0))
                throw new ArgumentException($"node '{name}': negative synaptic delay");
        }
        Weights = weights;
        DelaySteps = delaySteps;
    }

    /// <summary>Weights, [out x in].</summary>
    public CsrMatrix Weights { get; }
    /// <summary>Per-synapse delay in timesteps (aligned with <see cref="CsrMatrix.Values"/>), or null for none.</summary>
    public int[]? DelaySteps { get; }

    /// <inheritdoc />
    public override string NirType => "Linear";
    /// <inheritdoc />
    public override int[]? InputShape => [Weights.Columns];
    /// <inheritdoc />
    public override int[]? OutputShape => [Weights.Rows];
    /// <inheritdoc />
    public override long SynapseCount => Weights.Values.LongCount(w => w != 0);
    /// <inheritdoc />
    public override long ParameterCount => Weights.NonZeros;
}
