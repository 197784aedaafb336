namespace Neuromorphic.Sim.Networks;

/// <summary>A directed edge: the output of <see cref="Source"/> is added to the input of <see cref="Target"/>.</summary>
public readonly record struct Edge(string Source, string Target)
{
    /// <inheritdoc />
    public override string ToString() => $"{Source} -> {Target}";
}
