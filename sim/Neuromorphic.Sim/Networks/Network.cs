namespace Neuromorphic.Sim.Networks;

/// <summary>
/// A network graph: named nodes and directed edges. A network knows nothing of hardware.
/// Construction checks the graph (unique names, no dangling edge), infers the shapes of
/// shape-agnostic nodes (pooling, flatten) from their sources, and checks that every edge joins
/// outputs and inputs of the same size. Cycles (recurrence) are allowed.
/// </summary>
public sealed class Network
{
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<Node> _nodes;

    /// <summary>Builds and checks the graph.</summary>
    /// <exception cref="NetworkException">Naming the offending node.</exception>
    public Network(IEnumerable<Node> nodes, IEnumerable<Edge> edges, IReadOnlyDictionary<string, string>? metadata = null)
    {
        _nodes = nodes.ToList();
        for (var i = 0; i < _nodes.Count; i++)
            if (!_index.TryAdd(_nodes[i].Name, i)) throw new NetworkException(_nodes[i].Name, "duplicate node name");
        Edges = edges.ToList();
        foreach (var e in Edges)
        {
            if (!_index.ContainsKey(e.Source)) throw new NetworkException(e.Source, $"edge {e} starts at a node that does not exist");
            if (!_index.ContainsKey(e.Target)) throw new NetworkException(e.Target, $"edge {e} ends at a node that does not exist");
            if (this[e.Target] is InputNode) throw new NetworkException(e.Target, $"edge {e} ends at an input");
            if (this[e.Source] is OutputNode) throw new NetworkException(e.Source, $"edge {e} starts at an output");
        }
        Metadata = metadata ?? new Dictionary<string, string>();
        InferShapes();
        CheckShapes();
    }

    /// <summary>The nodes in the order given.</summary>
    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>The edges in the order given.</summary>
    public IReadOnlyList<Edge> Edges { get; }

    /// <summary>Free-form metadata (carried through NIR import and export).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The node of that name.</summary>
    public Node this[string name] => _index.TryGetValue(name, out var i) ? _nodes[i] : throw new KeyNotFoundException($"no node '{name}'");

    /// <summary>True if a node of that name exists.</summary>
    public bool Contains(string name) => _index.ContainsKey(name);

    /// <summary>Position of a node in <see cref="Nodes"/>.</summary>
    public int IndexOf(string name) => _index[name];

    /// <summary>The input nodes, in node order.</summary>
    public IEnumerable<InputNode> Inputs => _nodes.OfType<InputNode>();

    /// <summary>The output nodes, in node order.</summary>
    public IEnumerable<OutputNode> Outputs => _nodes.OfType<OutputNode>();

    /// <summary>Total synapses over all projections.</summary>
    public long SynapseCount => _nodes.Sum(n => n.SynapseCount);

    /// <summary>Total stored parameters.</summary>
    public long ParameterCount => _nodes.Sum(n => n.ParameterCount);

    /// <summary>Total neurons over all populations.</summary>
    public long NeuronCount => _nodes.OfType<NeuronNode>().Sum(n => (long)n.Model.Size);

    /// <summary>Names of the nodes feeding <paramref name="name"/>, in edge order.</summary>
    public IEnumerable<string> SourcesOf(string name) => Edges.Where(e => e.Target == name).Select(e => e.Source);

    /// <summary>Names of the nodes fed by <paramref name="name"/>, in edge order.</summary>
    public IEnumerable<string> TargetsOf(string name) => Edges.Where(e => e.Source == name).Select(e => e.Target);

    private void InferShapes()
    {
        // Propagate until nothing changes: each pass resolves at least one more node on a chain.
        for (var changed = true; changed;)
        {
            changed = false;
            for (var i = 0; i < _nodes.Count; i++)
            {
                var node = _nodes[i];
                if (node.InputShape is not null) continue;
                var source = SourcesOf(node.Name).Select(s => this[s].OutputShape).FirstOrDefault(s => s is not null);
                if (source is null) continue;
                try { _nodes[i] = node.WithInferredInputShape(source); }
                catch (ArgumentException ex) { throw new NetworkException(node.Name, ex.Message); }
                changed |= _nodes[i].InputShape is not null;
            }
        }
        foreach (var n in _nodes)
            if (n.InputShape is null || n.OutputShape is null)
                throw new NetworkException(n.Name, "cannot infer the shape: no source with a known shape");
    }

    private void CheckShapes()
    {
        foreach (var e in Edges)
        {
            var src = this[e.Source].OutputShape!;
            var dst = this[e.Target].InputShape!;
            if (Shape.Size(src) != Shape.Size(dst))
                throw new NetworkException(e.Target,
                    $"input shape {Shape.Format(dst)} does not match the output {Shape.Format(src)} of '{e.Source}'");
        }
    }
}
