namespace Neuromorphic.Sim.Networks;

/// <summary>A network input: the executor writes one timestep of the input raster here.</summary>
public sealed record InputNode(string Name, int[] Shape) : Node(Name)
{
    /// <inheritdoc />
    public override string NirType => "Input";
    /// <inheritdoc />
    public override int[]? InputShape => Shape;
    /// <inheritdoc />
    public override int[]? OutputShape => Shape;
}

/// <summary>A network output: the executor records what arrives here every timestep.</summary>
public sealed record OutputNode(string Name, int[] Shape) : Node(Name)
{
    /// <inheritdoc />
    public override string NirType => "Output";
    /// <inheritdoc />
    public override int[]? InputShape => Shape;
    /// <inheritdoc />
    public override int[]? OutputShape => Shape;
}
