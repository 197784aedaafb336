using Neuromorphic.Sim.Networks;

namespace Neuromorphic.Sim.Execution;

/// <summary>
/// The order in which a network's nodes are evaluated within a timestep, and which edges are
/// recurrent. A depth-first search from the inputs (in node order, targets in edge order) gives a
/// topological order of the forward edges; an edge that closes a cycle is a back edge and carries
/// its source's output of the previous timestep (NIR's recurrence semantics). Deterministic.
/// </summary>
public sealed class ExecutionPlan
{
    /// <summary>Builds the plan of <paramref name="network"/>.</summary>
    public ExecutionPlan(Network network)
    {
        var n = network.Nodes.Count;
        var targets = new List<int>[n];
        for (var i = 0; i < n; i++) targets[i] = [];
        foreach (var e in network.Edges) targets[network.IndexOf(e.Source)].Add(network.IndexOf(e.Target));

        var state = new byte[n]; // 0 new, 1 on stack, 2 done
        var postOrder = new List<int>(n);
        var back = new HashSet<(int, int)>();
        var roots = network.Nodes.Select((node, i) => (node, i)).Where(p => p.node is InputNode).Select(p => p.i)
            .Concat(Enumerable.Range(0, n));
        foreach (var root in roots)
        {
            if (state[root] != 0) continue;
            // Iterative DFS so deep graphs cannot overflow the stack.
            var stack = new Stack<(int Node, int NextTarget)>();
            stack.Push((root, 0));
            state[root] = 1;
            while (stack.Count > 0)
            {
                var (node, next) = stack.Pop();
                if (next < targets[node].Count)
                {
                    stack.Push((node, next + 1));
                    var t = targets[node][next];
                    if (state[t] == 1) back.Add((node, t));
                    else if (state[t] == 0) { state[t] = 1; stack.Push((t, 0)); }
                }
                else
                {
                    state[node] = 2;
                    postOrder.Add(node);
                }
            }
        }
        postOrder.Reverse();
        Order = postOrder;
        Sources = new (int, bool)[n][];
        for (var i = 0; i < n; i++) Sources[i] = [];
        var lists = Enumerable.Range(0, n).Select(_ => new List<(int, bool)>()).ToArray();
        foreach (var e in network.Edges)
        {
            int s = network.IndexOf(e.Source), t = network.IndexOf(e.Target);
            lists[t].Add((s, back.Contains((s, t))));
        }
        for (var i = 0; i < n; i++) Sources[i] = lists[i].ToArray();
        BackEdgeCount = back.Count;
    }

    /// <summary>Node indices in evaluation order.</summary>
    public IReadOnlyList<int> Order { get; }

    /// <summary>Per node: its sources, and whether each edge is recurrent (reads the previous timestep).</summary>
    public (int Source, bool Recurrent)[][] Sources { get; }

    /// <summary>Number of recurrent edges.</summary>
    public int BackEdgeCount { get; }
}
