namespace Neuromorphic.Sim.Networks;

/// <summary>
/// Merges dimensions <see cref="StartDim"/>..<see cref="EndDim"/> (inclusive, negative counts from
/// the end) of the input into one; the data (C order) is unchanged. NIR shapes carry no batch
/// dimension, so <c>start_dim 0</c> of a [8, 4, 4] input gives [128].
/// </summary>
public sealed record FlattenNode : Node
{
    /// <summary>Creates the node; the input shape is inferred from the source when null.</summary>
    public FlattenNode(string name, int startDim, int endDim, int[]? inputShape = null) : base(name)
    {
        StartDim = startDim; EndDim = endDim; Input = inputShape;
        if (inputShape is null) return;
        var rank = inputShape.Length;
        var s = startDim < 0 ? startDim + rank : startDim;
        var e = endDim < 0 ? endDim + rank : endDim;
        if (rank == 0) { Output = [1]; return; }
        if (s < 0 || e >= rank || s > e)
            throw new ArgumentException($"node '{name}': cannot flatten dims {startDim}..{endDim} of {Shape.Format(inputShape)}");
        Output = [.. inputShape[..s], Shape.Size(inputShape.AsSpan(s, e - s + 1)), .. inputShape[(e + 1)..]];
    }

    /// <summary>First merged dimension.</summary>
    public int StartDim { get; }
    /// <summary>Last merged dimension (inclusive).</summary>
    public int EndDim { get; }
    private int[]? Input { get; }
    private int[]? Output { get; }

    /// <inheritdoc />
    public override string NirType => "Flatten";
    /// <inheritdoc />
    public override int[]? InputShape => Input;
    /// <inheritdoc />
    public override int[]? OutputShape => Output;
    /// <inheritdoc />
    public override Node WithInferredInputShape(int[] sourceOutputShape) =>
        Input is not null ? this : new FlattenNode(Name, StartDim, EndDim, sourceOutputShape);
}
