namespace Neuromorphic.Sim.Networks;

/// <summary>An inconsistent network: a dangling edge, a shape mismatch, a duplicate name. Names the node.</summary>
public sealed class NetworkException(string node, string problem) : Exception($"node '{node}': {problem}")
{
    /// <summary>The node where the problem was found.</summary>
    public string Node { get; } = node;
    /// <summary>What is wrong.</summary>
    public string Problem { get; } = problem;
}
