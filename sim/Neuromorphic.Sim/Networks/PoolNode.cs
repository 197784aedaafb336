namespace Neuromorphic.Sim.Networks;

/// <summary>Sum or average pooling.</summary>
public enum PoolKind
{
    /// <summary>Sum over the window (NIR SumPool2d).</summary>
    Sum,
    /// <summary>Mean over the window, padding counted (PyTorch's default; NIR AvgPool2d).</summary>
    Average,
}

/// <summary>2-D sum or average pooling over [C, H, W]; the input shape is inferred from the source when not given.</summary>
public sealed record PoolNode : Node
{
    /// <summary>Creates the pooling node.</summary>
    public PoolNode(string name, PoolKind kind, int[] kernel, int[] stride, int[] padding, int[]? inputShape = null) : base(name)
    {
        if (kernel.Length != 2 || stride.Length != 2 || padding.Length != 2)
            throw new ArgumentException($"node '{name}': kernel_size, stride and padding need 2 entries each");
        if (kernel.Any(k => k < 1) || stride.Any(s => s < 1) || padding.Any(p => p < 0))
            throw new ArgumentException($"node '{name}': kernel_size and stride must be >= 1 and padding >= 0");
        if (inputShape is not null && inputShape.Length != 3)
            throw new ArgumentException($"node '{name}': pooling needs a [C, H, W] input, found {Shape.Format(inputShape)}");
        Kind = kind; Kernel = kernel; Stride = stride; Padding = padding; Input = inputShape;
        if (inputShape is not null)
        {
            var h = (inputShape[1] + 2 * padding[0] - kernel[0]) / stride[0] + 1;
            var w = (inputShape[2] + 2 * padding[1] - kernel[1]) / stride[1] + 1;
            if (h < 1 || w < 1) throw new ArgumentException($"node '{name}': pooling window larger than the input {Shape.Format(inputShape)}");
            Output = [inputShape[0], h, w];
        }
    }

    /// <summary>Sum or average.</summary>
    public PoolKind Kind { get; }
    /// <summary>Window (kh, kw).</summary>
    public int[] Kernel { get; }
    /// <summary>Stride (sh, sw).</summary>
    public int[] Stride { get; }
    /// <summary>Zero padding (ph, pw).</summary>
    public int[] Padding { get; }
    private int[]? Input { get; }
    private int[]? Output { get; }

    /// <inheritdoc />
    public override string NirType => Kind == PoolKind.Sum ? "SumPool2d" : "AvgPool2d";
    /// <inheritdoc />
    public override int[]? InputShape => Input;
    /// <inheritdoc />
    public override int[]? OutputShape => Output;
    /// <inheritdoc />
    public override Node WithInferredInputShape(int[] sourceOutputShape) =>
        Input is not null ? this : new PoolNode(Name, Kind, Kernel, Stride, Padding, sourceOutputShape);
}
