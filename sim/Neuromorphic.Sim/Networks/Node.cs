namespace Neuromorphic.Sim.Networks;

/// <summary>
/// One node of a network graph: a neuron population, a projection (weights), or a stateless
/// operator. Nodes are plain data; the executor compiles them into runtime operators. Shapes are
/// C-order without a batch dimension, as in NIR.
/// </summary>
/// <param name="Name">Unique name in the graph (dots allowed: names of nested NIR graphs are flattened to <c>outer.inner</c>).</param>
public abstract record Node(string Name)
{
    /// <summary>The NIR type string this node imports from and exports to.</summary>
    public abstract string NirType { get; }

    /// <summary>Shape of the input the node expects; null while unknown (resolved by shape inference from its source).</summary>
    public abstract int[]? InputShape { get; }

    /// <summary>Shape of the output; null while unknown.</summary>
    public abstract int[]? OutputShape { get; }

    /// <summary>Number of synapses (non-zero stored weights a spike can traverse); 0 for nodes without weights.</summary>
    public virtual long SynapseCount => 0;

    /// <summary>Number of stored parameters (weights, biases, neuron parameters).</summary>
    public virtual long ParameterCount => 0;

    /// <summary>Returns this node with its input shape set from the output shape of its source (shape-agnostic nodes override).</summary>
    public virtual Node WithInferredInputShape(int[] sourceOutputShape) => this;
}
