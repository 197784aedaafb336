namespace Neuromorphic.Sim.Networks;

/// <summary>Multiplies each element by its own factor (NIR Scale).</summary>
public sealed record ScaleNode(string Name, float[] Scale, int[] Shape) : Node(Name)
{
    /// <inheritdoc />
    public override string NirType => "Scale";
    /// <inheritdoc />
    public override int[]? InputShape => Shape;
    /// <inheritdoc />
    public override int[]? OutputShape => Shape;
    /// <inheritdoc />
    public override long ParameterCount => Scale.Length;
}

/// <summary>Heaviside step per element: output 1 where <c>x &gt; threshold</c>, else 0 (NIR Threshold).</summary>
public sealed record ThresholdNode(string Name, float[] Threshold, int[] Shape) : Node(Name)
{
    /// <inheritdoc />
    public override string NirType => "Threshold";
    /// <inheritdoc />
    public override int[]? InputShape => Shape;
    /// <inheritdoc />
    public override int[]? OutputShape => Shape;
    /// <inheritdoc />
    public override long ParameterCount => Threshold.Length;
}

/// <summary>Delays each element by its own time in seconds (NIR Delay), rounded to whole timesteps at run time.</summary>
public sealed record DelayNode(string Name, double[] DelaySeconds, int[] Shape) : Node(Name)
{
    /// <inheritdoc />
    public override string NirType => "Delay";
    /// <inheritdoc />
    public override int[]? InputShape => Shape;
    /// <inheritdoc />
    public override int[]? OutputShape => Shape;
    /// <inheritdoc />
    public override long ParameterCount => DelaySeconds.Length;
}
