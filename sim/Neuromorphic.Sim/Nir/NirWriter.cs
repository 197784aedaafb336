using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Traces;
using PureHDF;

namespace Neuromorphic.Sim.Nir;

/// <summary>
/// Writes a <see cref="Network"/> as a NIR graph file in the layout of <c>nir.write</c>: a scalar
/// string dataset <c>version</c>, a group <c>node</c> with <c>type</c> = "NIRGraph", one group per
/// node under <c>node/nodes</c> (a scalar string <c>type</c> plus one dataset per field) and an
/// N x 2 string dataset <c>node/edges</c>; <c>node/metadata</c> holds the network's metadata as
/// strings when it has any. The graph is written flat (dotted names stay literal node names, as
/// the Braille reference files have them). Weights are float32 in their NIR shape (Affine/Linear
/// [out, in], Conv [C_out, C_in/groups, k...]); neuron parameters float64 in the population's
/// shape; integer fields int64. A <see cref="SparseNode"/> becomes a dense <c>Linear</c> (its
/// synaptic delays are not exported); a convolution without bias gets a zero bias, since NIR
/// requires one. The file is replaced atomically.
/// </summary>
public static class NirWriter
{
    /// <summary>The version string written by default.</summary>
    public const string DefaultVersion = "0.2.0";

    /// <summary>Writes the network to <paramref name="path"/> (replacing it atomically).</summary>
    /// <param name="network">The network.</param>
    /// <param name="path">The destination <c>.nir</c> file; its folder must exist.</param>
    /// <param name="version">The NIR version string to record (major version 0 or 1).</param>
    /// <exception cref="NotSupportedException">A node (or neuron model) has no NIR form, or a name cannot be an HDF5 name.</exception>
    /// <exception cref="ArgumentException">The version string is not a supported NIR version.</exception>
    public static void Write(Network network, string path, string version = DefaultVersion)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var bytes = ToBytes(network, version);
        AtomicFile.Write(path, stream => stream.Write(bytes));
    }

    /// <summary>The NIR file of the network as bytes.</summary>
    /// <param name="network">The network.</param>
    /// <param name="version">The NIR version string to record (major version 0 or 1).</param>
    public static byte[] ToBytes(Network network, string version = DefaultVersion)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        if (NirReader.CheckVersion(version) is { } problem) throw new ArgumentException(problem, nameof(version));
        var file = new H5File
        {
            ["version"] = Text(version),
            ["node"] = Graph(network),
        };
        var buffer = new MemoryStream();
        file.Write(buffer);
        return buffer.ToArray();
    }

    private static H5Group Graph(Network network)
    {
        var nodes = new H5Group();
        foreach (var node in network.Nodes)
        {
            CheckName(node.Name, $"node '{node.Name}'");
            nodes[node.Name] = NodeGroup(node);
        }
        var edges = new string[network.Edges.Count, 2];
        for (var i = 0; i < network.Edges.Count; i++)
            (edges[i, 0], edges[i, 1]) = (network.Edges[i].Source, network.Edges[i].Target);
        var graph = new H5Group
        {
            ["type"] = Text("NIRGraph"),
            ["nodes"] = nodes,
            ["edges"] = new H5Dataset(edges),
        };
        if (network.Metadata.Count > 0)
        {
            var metadata = new H5Group();
            foreach (var (key, value) in network.Metadata)
            {
                CheckName(key, $"metadata '{key}'");
                metadata[key] = Text(value);
            }
            graph["metadata"] = metadata;
        }
        return graph;
    }

    private static void CheckName(string name, string what)
    {
        if (name.Length == 0 || name.Contains('/') || name is "." or "..")
            throw new NotSupportedException($"{what}: the name cannot be an HDF5 link name (empty, '.', '..' or containing '/')");
    }

    private static H5Group NodeGroup(Node node) => node switch
    {
        InputNode n => new H5Group { ["type"] = Text("Input"), ["shape"] = Longs(n.Shape) },
        OutputNode n => new H5Group { ["type"] = Text("Output"), ["shape"] = Longs(n.Shape) },
        DenseNode d when d.Bias is null => new H5Group
        {
            ["type"] = Text("Linear"),
            ["weight"] = Array(d.Weight, [d.Outputs, d.Inputs]),
        },
        DenseNode d => new H5Group
        {
            ["type"] = Text("Affine"),
            ["weight"] = Array(d.Weight, [d.Outputs, d.Inputs]),
            ["bias"] = Array(d.Bias!, [d.Outputs]),
        },
        SparseNode s => new H5Group
        {
            ["type"] = Text("Linear"),
            ["weight"] = Array(s.Weights.ToDense(), [s.Weights.Rows, s.Weights.Columns]),
        },
        ScaleNode s => new H5Group { ["type"] = Text("Scale"), ["scale"] = Array(s.Scale, s.Shape) },
        ThresholdNode t => new H5Group { ["type"] = Text("Threshold"), ["threshold"] = Array(t.Threshold, t.Shape) },
        DelayNode d => new H5Group { ["type"] = Text("Delay"), ["delay"] = Array(d.DelaySeconds, d.Shape) },
        NeuronNode n => Neuron(n),
        ConvNode c => new H5Group
        {
            ["type"] = Text(c.NirType),
            ["weight"] = Array(c.Weight, c.WeightShape),
            ["bias"] = Array(c.Bias ?? new float[c.OutputChannels], [c.OutputChannels]),
            ["stride"] = Longs(c.Stride),
            ["padding"] = Longs(c.Padding),
            ["dilation"] = Longs(c.Dilation),
            ["groups"] = Scalar(c.Groups),
            ["input_shape"] = Longs(c.InputSpatial),
        },
        PoolNode p => new H5Group
        {
            ["type"] = Text(p.NirType),
            ["kernel_size"] = Longs(p.Kernel),
            ["stride"] = Longs(p.Stride),
            ["padding"] = Longs(p.Padding),
        },
        FlattenNode f => Flatten(f),
        _ => throw new NotSupportedException($"node '{node.Name}': {node.GetType().Name} has no NIR form"),
    };

    private static H5Group Neuron(NeuronNode node)
    {
        // The NIR neuron models name their parameters exactly as NIR's fields.
        if (node.Model is not (LifModel or CubaLifModel or IntegratorModel))
            throw new NotSupportedException($"node '{node.Name}': neuron model '{node.Model.Kind}' has no NIR equivalent");
        var group = new H5Group { ["type"] = Text(node.Model.Kind) };
        foreach (var (name, values) in node.Model.Parameters)
            group[name] = Array(values, node.Shape);
        return group;
    }

    private static H5Group Flatten(FlattenNode node)
    {
        var group = new H5Group
        {
            ["type"] = Text("Flatten"),
            ["start_dim"] = Scalar(node.StartDim),
            ["end_dim"] = Scalar(node.EndDim),
        };
        if (node.InputShape is { } input) group["input_type"] = Longs(input);
        return group;
    }

    // Every value gets its own H5Dataset: PureHDF writes the same object (e.g. an interned type string
    // or a parameter array shared by two models) only once and hard-links it, which h5py's
    // visititems then lists once; separate datasets keep the layout of nir.write.
    private static H5Dataset Text(string value) => new(value);

    private static H5Dataset Scalar(int value) => new((long)value);

    private static H5Dataset Longs(int[] values) => new(values.Select(v => (long)v).ToArray(), fileDims: [(ulong)values.Length]);

    private static H5Dataset Array<T>(T[] values, int[] shape) =>
        new(values, fileDims: shape.Select(d => (ulong)d).ToArray());
}
