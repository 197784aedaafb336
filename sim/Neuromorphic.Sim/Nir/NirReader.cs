using System.Globalization;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Traces;
using PureHDF;

namespace Neuromorphic.Sim.Nir;

/// <summary>
/// Reads NIR graph files (HDF5, as written by <c>nir.write</c> of NIR 0.1 to 1.x) into a
/// <see cref="Network"/>. Nested <c>NIRGraph</c> nodes are flattened into the outer graph with
/// names <c>outer.inner</c>; their inner Input and Output nodes are dropped and the edges that ran
/// through them are joined up (as are the edges through <c>Identity</c> nodes). Every problem is
/// an <see cref="InputFormatException"/> naming the file and the node or edge.
/// </summary>
public static class NirReader
{
    /// <summary>The node types the reader understands.</summary>
    public static IReadOnlyList<string> SupportedTypes { get; } =
    [
        "Input", "Output", "Affine", "Linear", "Scale", "Threshold", "Delay", "LIF", "LI", "CubaLIF", "CubaLI",
        "IF", "I", "Conv1d", "Conv2d", "SumPool2d", "AvgPool2d", "Flatten", "Identity", "NIRGraph",
    ];

    /// <summary>Deepest nesting of graphs inside graphs.</summary>
    public const int MaxNesting = 32;

    /// <summary>Most nodes a file may hold, nested graphs included.</summary>
    public const int MaxNodes = 100_000;

    /// <summary>Reads the graph of a NIR file.</summary>
    /// <param name="path">The <c>.nir</c> file.</param>
    /// <param name="options">Import choices; null for the defaults.</param>
    /// <returns>The flattened, shape-checked network.</returns>
    /// <exception cref="InputFormatException">The file is unreadable or not a valid NIR graph.</exception>
    public static Network Read(string path, NirImportOptions? options = null) => ReadDocument(path, options).Network;

    /// <summary>Reads the graph of a NIR file together with its version string.</summary>
    /// <param name="path">The <c>.nir</c> file.</param>
    /// <param name="options">Import choices; null for the defaults.</param>
    /// <exception cref="InputFormatException">The file is unreadable or not a valid NIR graph.</exception>
    public static NirDocument ReadDocument(string path, NirImportOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new GraphReader(path, options ?? new NirImportOptions()).Run();
    }

    /// <summary>Checks a NIR version string: major version 0 or 1.</summary>
    /// <returns>Null if supported, else the problem.</returns>
    internal static string? CheckVersion(string version)
    {
        var major = version.Trim().Split('.')[0];
        if (!int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out var m))
            return $"version '{version}' is not a version number";
        return m is 0 or 1 ? null : $"unsupported NIR version '{version}' (this reader reads versions 0.x and 1.x)";
    }

    /// <summary>The nodes and nested graphs of one graph level, by their local names.</summary>
    private sealed class Scope(string prefix)
    {
        public string Prefix { get; } = prefix;
        public Dictionary<string, string> Nodes { get; } = new(StringComparer.Ordinal);
        public Dictionary<string, Scope> Graphs { get; } = new(StringComparer.Ordinal);
        public List<string> Inputs { get; } = [];
        public List<string> Outputs { get; } = [];
        public string Name => Prefix.TrimEnd('.');
    }

    private sealed class GraphReader(string path, NirImportOptions options)
    {
        private readonly List<Node> _nodes = [];
        private readonly List<Edge> _edges = [];
        private readonly HashSet<string> _passThrough = new(StringComparer.Ordinal);
        private string _location = "";
        private int _nodesRead;

        public NirDocument Run()
        {
            if (Directory.Exists(path)) throw new InputFormatException(path, "", "is a directory, expected a NIR file");
            if (!File.Exists(path)) throw new InputFormatException(path, "", "file not found");
            IH5Group file;
            long fileBytes;
            BoundedReadStream? stream = null;
            try
            {
                stream = new BoundedReadStream(path);
                fileBytes = stream.Length;
                file = H5File.Open(stream, leaveOpen: false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && ex is not EndOfStreamException)
            {
                stream?.Dispose();
                throw new InputFormatException(path, "", $"cannot open the file: {NirFields.OneLine(ex.Message)}", ex);
            }
            catch (Exception ex)
            {
                stream?.Dispose();
                throw new InputFormatException(path, "", $"not a readable HDF5 file: {NirFields.OneLine(ex.Message)}", ex);
            }
            try
            {
                return ReadFile(file, fileBytes);
            }
            catch (InputFormatException) { throw; }
            catch (Exception ex)
            {
                var where = _location.Length > 0 ? $" (while reading {_location})" : "";
                throw new InputFormatException(path, "", $"not a readable HDF5 file: {NirFields.OneLine(ex.Message)}{where}", ex);
            }
            finally
            {
                (file as IDisposable)?.Dispose();
            }
        }

        private NirDocument ReadFile(IH5Group file, long fileBytes)
        {
            var root = new NirFields(file, path, "", "", fileBytes);
            string? version = null;
            if (root.Has("version"))
            {
                version = root.String("version");
                if (NirReader.CheckVersion(version) is { } problem) throw root.Error(problem);
            }
            var graphGroup = root.OptionalGroup("node");
            if (graphGroup is null)
            {
                throw root.Error(root.Has("nodes")
                    ? "no group 'node': this looks like recorded activity (NIRGraphData), not a NIR graph"
                    : "no group 'node': not a NIR graph file");
            }
            var graph = root.Child(graphGroup, "node");
            if (!graph.Has("type")) throw graph.Error("missing 'node/type' (expected 'NIRGraph')");
            var type = graph.String("type");
            if (type != "NIRGraph") throw graph.Error($"'node/type' is '{type}', expected 'NIRGraph'");

            ReadGraph(graph, "");
            var metadata = ReadMetadata(graph);
            var (nodes, edges) = Contract();
            try
            {
                return new NirDocument(new Network(nodes, edges, metadata), version);
            }
            catch (NetworkException ex)
            {
                throw new InputFormatException(path, $"node '{ex.Node}'", ex.Problem, ex);
            }
            catch (ArgumentException ex)
            {
                throw new InputFormatException(path, "", ex.Message, ex);
            }
        }

        private Dictionary<string, string>? ReadMetadata(NirFields graph)
        {
            var group = graph.OptionalGroup("metadata");
            return group is null ? null : graph.Child(group, "metadata", "").AsStrings();
        }

        private Scope ReadGraph(NirFields graph, string prefix, int depth = 0)
        {
            // Hard and soft links can make a group its own descendant: the nesting is bounded instead of followed forever.
            if (depth > MaxNesting)
                throw graph.Error($"graphs nest more than {MaxNesting} levels deep (a link cycle in the file?)");
            var scope = new Scope(prefix);
            var nodesGroup = graph.OptionalGroup("nodes") ?? throw graph.Error("missing group 'nodes'");
            var nodesFields = graph.Child(nodesGroup, "nodes");
            var children = nodesGroup.Children().ToList();
            foreach (var child in children)
            {
                var full = prefix + child.Name;
                var location = $"node '{full}'";
                _location = location;
                if (child is IH5UnresolvedLink link) throw graph.Child(nodesGroup, "nodes", location).UnresolvedLink(child.Name, link);
                if (++_nodesRead > MaxNodes)
                    throw new InputFormatException(path, location, $"more than {MaxNodes} nodes (a file whose links repeat its graphs?)");
                if (child is not IH5Group group)
                    throw new InputFormatException(path, location, "is not a group (expected a group with a 'type' and the node's fields)");
                var fields = nodesFields.Child(group, child.Name, location);
                // A field that is a link to nothing (an external file, a dangling soft link) must not be skipped as absent.
                foreach (var field in group.Children())
                    if (field is IH5UnresolvedLink unresolved) throw fields.UnresolvedLink(field.Name, unresolved);
                var type = fields.String("type");
                if (type == "NIRGraph")
                {
                    scope.Graphs[child.Name] = ReadGraph(fields, full + ".", depth + 1);
                    continue;
                }
                if (type == "Identity")
                {
                    // A pass-through: kept while the edges are read, then dropped with its edges joined up.
                    _nodes.Add(new OutputNode(full, [1]));
                    scope.Nodes[child.Name] = full;
                    _passThrough.Add(full);
                    continue;
                }
                var node = ReadNode(fields, full, type);
                _nodes.Add(node);
                scope.Nodes[child.Name] = full;
                if (node is InputNode) scope.Inputs.Add(full);
                if (node is OutputNode) scope.Outputs.Add(full);
            }
            _location = graph.Location;
            ReadEdges(graph, scope);
            if (prefix.Length > 0)
            {
                _passThrough.UnionWith(scope.Inputs);
                _passThrough.UnionWith(scope.Outputs);
            }
            return scope;
        }

        private void ReadEdges(NirFields graph, Scope scope)
        {
            if (!graph.Has("edges")) throw graph.Error("missing dataset 'edges'");
            var (names, shape) = graph.Strings("edges");
            if (names.Length == 0) return;
            if (shape.Length != 2 || shape[1] != 2)
                throw graph.Error($"'edges' has shape {Networks.Shape.Format(shape)}, expected (N, 2)");
            for (var i = 0; i < names.Length; i += 2)
            {
                var (src, dst) = (names[i], names[i + 1]);
                var location = $"edge '{src} -> {dst}'" + (scope.Prefix.Length > 0 ? $" of graph '{scope.Name}'" : "");
                var sources = Endpoints(scope, src, asSource: true, location);
                var targets = Endpoints(scope, dst, asSource: false, location);
                foreach (var s in sources)
                    foreach (var t in targets)
                        _edges.Add(new Edge(s, t));
            }
        }

        /// <summary>The full names of the nodes an edge endpoint stands for (the Input/Output nodes of a nested graph).</summary>
        private List<string> Endpoints(Scope scope, string name, bool asSource, string location)
        {
            var found = Resolve(scope, name) ?? throw new InputFormatException(path, location, $"'{name}' is not a node of the graph");
            if (found is string full) return [full];
            var graph = (Scope)found;
            var ends = asSource ? graph.Outputs : graph.Inputs;
            if (ends.Count == 0)
                throw new InputFormatException(path, location,
                    $"nested graph '{graph.Name}' has no {(asSource ? "Output" : "Input")} node to connect");
            return [.. ends];
        }

        /// <summary>
        /// A node's full name or a nested graph's scope: the node literally named <paramref name="name"/> first
        /// (exporters use dotted names such as <c>lif1.lif</c>), else <c>a.b</c> as node <c>b</c> of nested graph <c>a</c>.
        /// </summary>
        private static object? Resolve(Scope scope, string name)
        {
            if (scope.Nodes.TryGetValue(name, out var full)) return full;
            if (scope.Graphs.TryGetValue(name, out var graph)) return graph;
            for (var dot = name.IndexOf('.'); dot >= 0; dot = name.IndexOf('.', dot + 1))
                if (scope.Graphs.TryGetValue(name[..dot], out var inner) && Resolve(inner, name[(dot + 1)..]) is { } found)
                    return found;
            return null;
        }

        /// <summary>Drops the Input/Output nodes of nested graphs, joining each of their sources to each of their targets.</summary>
        private (List<Node> Nodes, List<Edge> Edges) Contract()
        {
            var edges = new List<Edge>(_edges);
            foreach (var name in _nodes.Select(n => n.Name).Where(_passThrough.Contains))
            {
                var sources = edges.Where(e => e.Target == name && e.Source != name).Select(e => e.Source).ToList();
                var targets = edges.Where(e => e.Source == name && e.Target != name).Select(e => e.Target).ToList();
                edges.RemoveAll(e => e.Source == name || e.Target == name);
                foreach (var s in sources)
                    foreach (var t in targets)
                        edges.Add(new Edge(s, t));
            }
            return (_nodes.Where(n => !_passThrough.Contains(n.Name)).ToList(), edges.Distinct().ToList());
        }

        private Node ReadNode(NirFields f, string name, string type)
        {
            try
            {
                return type switch
                {
                    "Input" => new InputNode(name, IoShape(f)),
                    "Output" => new OutputNode(name, IoShape(f)),
                    "Affine" => Dense(f, name, withBias: true),
                    "Linear" => Dense(f, name, withBias: false),
                    "Scale" => Elementwise(f, "scale", (v, s) => new ScaleNode(name, v, s)),
                    "Threshold" => Elementwise(f, "threshold", (v, s) => new ThresholdNode(name, v, s)),
                    "Delay" => Delay(f, name),
                    "LIF" or "LI" or "CubaLIF" or "CubaLI" or "IF" or "I" => Neuron(f, name, type),
                    "Conv1d" => Conv(f, name, 1),
                    "Conv2d" => Conv(f, name, 2),
                    "SumPool2d" => Pool(f, name, PoolKind.Sum),
                    "AvgPool2d" => Pool(f, name, PoolKind.Average),
                    "Flatten" => Flatten(f, name),
                    _ => throw f.Error($"unknown node type '{type}' (known: {string.Join(", ", SupportedTypes)})"),
                };
            }
            catch (ArgumentException ex)
            {
                var prefix = $"node '{name}': ";
                throw f.Error(ex.Message.StartsWith(prefix, StringComparison.Ordinal) ? ex.Message[prefix.Length..] : ex.Message, ex);
            }
        }

        private static int[] IoShape(NirFields f)
        {
            var (shape, dims) = f.Ints("shape");
            if (dims.Length > 1) throw f.Error($"'shape' has shape {Networks.Shape.Format(dims)}, expected a list of dimensions");
            if (shape.Any(d => d < 1)) throw f.Error($"'shape' {Networks.Shape.Format(shape)} has a dimension below 1");
            return shape;
        }

        private static DenseNode Dense(NirFields f, string name, bool withBias)
        {
            var (weight, shape) = f.Floats("weight");
            if (shape.Length != 2) throw f.Error($"'weight' has shape {Networks.Shape.Format(shape)}, expected (out, in)");
            float[]? bias = null;
            if (withBias)
            {
                bias = f.Floats("bias").Values;
                if (bias.Length != shape[0]) throw f.Error($"'bias' has {bias.Length} values, expected {shape[0]} (one per output)");
            }
            return new DenseNode(name, weight, shape[0], shape[1], bias);
        }

        private static Node Elementwise(NirFields f, string field, Func<float[], int[], Node> create)
        {
            var (values, shape) = f.Floats(field);
            if (values.Length == 0) throw f.Error($"'{field}' is empty");
            return create(values, shape.Length == 0 ? [1] : shape);
        }

        private static DelayNode Delay(NirFields f, string name)
        {
            var (values, shape) = f.Doubles("delay");
            if (values.Length == 0) throw f.Error("'delay' is empty");
            if (values.Any(d => d < 0)) throw f.Error("'delay' holds a negative delay");
            return new DelayNode(name, values, shape.Length == 0 ? [1] : shape);
        }

        private NeuronNode Neuron(NirFields f, string name, string type)
        {
            var (required, optional) = type switch
            {
                "LIF" => (new[] { "tau", "r", "v_leak", "v_threshold" }, new[] { "v_reset" }),
                "LI" => (["tau", "r", "v_leak"], []),
                "CubaLIF" => (["tau_mem", "tau_syn", "r", "v_leak", "v_threshold"], ["v_reset", "w_in"]),
                "CubaLI" => (["tau_mem", "tau_syn", "r", "v_leak"], ["w_in"]),
                "IF" => (["r", "v_threshold"], ["v_reset"]),
                _ => (new[] { "r" }, Array.Empty<string>()),
            };
            var (p, shape) = NeuronParameters(f, required, optional);
            double[]? Opt(string key) => p.GetValueOrDefault(key);
            NeuronModel model = type switch
            {
                "LIF" => new LifModel(p["tau"], p["r"], p["v_leak"], p["v_threshold"], Opt("v_reset")),
                "LI" => new LifModel(p["tau"], p["r"], p["v_leak"], null),
                "CubaLIF" => new CubaLifModel(p["tau_mem"], p["tau_syn"], p["r"], p["v_leak"], p["v_threshold"], Opt("v_reset"), Opt("w_in")),
                "CubaLI" => new CubaLifModel(p["tau_mem"], p["tau_syn"], p["r"], p["v_leak"], null, null, Opt("w_in")),
                "IF" => new IntegratorModel(p["r"], p["v_threshold"], Opt("v_reset"), options.IntegratorTimeBase),
                _ => new IntegratorModel(p["r"], null, null, options.IntegratorTimeBase),
            };
            return new NeuronNode(name, model, shape);
        }

        /// <summary>
        /// Reads the parameter arrays of a neuron node. The population takes the shape of the first array
        /// with more than one value; every other array must hold as many values, or a single value that
        /// is repeated.
        /// </summary>
        private static (Dictionary<string, double[]> Values, int[] Shape) NeuronParameters(NirFields f, string[] required, string[] optional)
        {
            var read = new List<(string Name, double[] Values, int[] Shape)>();
            foreach (var name in required.Concat(optional.Where(f.Has)))
            {
                var (values, shape) = f.Doubles(name);
                if (values.Length == 0) throw f.Error($"'{name}' is empty");
                read.Add((name, values, shape));
            }
            var reference = read.FirstOrDefault(r => r.Values.Length > 1, read[0]);
            var size = reference.Values.Length;
            var result = new Dictionary<string, double[]>(StringComparer.Ordinal);
            foreach (var (name, values, _) in read)
            {
                if (values.Length == size) result[name] = values;
                else if (values.Length == 1) result[name] = NeuronModel.Fill(size, values[0]);
                else
                    throw f.Error($"'{name}' has {values.Length} values, expected {size} like '{reference.Name}' {Networks.Shape.Format(reference.Shape)}");
            }
            return (result, reference.Shape.Length == 0 ? [1] : reference.Shape);
        }

        private static ConvNode Conv(NirFields f, string name, int dims)
        {
            var (weight, shape) = f.Floats("weight");
            if (shape.Length != dims + 2)
                throw f.Error($"'weight' has shape {Networks.Shape.Format(shape)}, expected {(dims == 1 ? "(C_out, C_in/groups, k)" : "(C_out, C_in/groups, kh, kw)")}");
            var bias = f.Has("bias") ? f.Floats("bias").Values : null;
            var groups = f.Int("groups");
            var stride = f.PerDimension("stride", dims);
            var dilation = f.PerDimension("dilation", dims);
            if (!f.Has("input_shape"))
                throw f.Error("missing field 'input_shape' (the spatial input size), which the convolution needs for its output shape");
            var input = f.Ints("input_shape").Values;
            if (input.Length == dims + 1) input = input[1..]; // [C, H, W] given instead of the spatial [H, W]
            if (input.Length != dims)
                throw f.Error($"'input_shape' has {input.Length} entries, expected {dims} (the spatial input size)");
            var padding = f.IsString("padding") ? StringPadding(f, f.String("padding"), shape, stride, dilation) : f.PerDimension("padding", dims);
            return new ConvNode(name, weight, shape, bias, stride, padding, dilation, groups, input);
        }

        /// <summary>PyTorch's <c>padding='valid'</c> (none) or <c>'same'</c> (output size = input size, stride 1).</summary>
        private static int[] StringPadding(NirFields f, string padding, int[] weightShape, int[] stride, int[] dilation)
        {
            var dims = weightShape.Length - 2;
            if (padding == "valid") return new int[dims];
            if (padding != "same") throw f.Error($"'padding' is '{padding}', expected a number, 'same' or 'valid'");
            var result = new int[dims];
            for (var d = 0; d < dims; d++)
            {
                if (stride[d] != 1) throw f.Error("padding 'same' needs stride 1");
                var total = dilation[d] * (weightShape[2 + d] - 1);
                if (total % 2 != 0)
                    throw f.Error($"padding 'same' with kernel {weightShape[2 + d]} and dilation {dilation[d]} needs uneven padding, which is not supported");
                result[d] = total / 2;
            }
            return result;
        }

        private static PoolNode Pool(NirFields f, string name, PoolKind kind) =>
            new(name, kind, f.PerDimension("kernel_size", 2), f.PerDimension("stride", 2), f.PerDimension("padding", 2));

        private FlattenNode Flatten(NirFields f, string name)
        {
            var start = f.Int("start_dim");
            var end = f.Int("end_dim");
            int[]? input = null;
            if (f.Has("input_type"))
            {
                // 0.x writes the input shape as a dataset, newer versions as a group {"input": shape}.
                if (f.OptionalGroup("input_type") is { } group)
                {
                    var inner = f.Child(group, "input_type");
                    if (inner.Has("input")) input = inner.Ints("input").Values;
                }
                else input = f.Ints("input_type").Values;
                if (input is { Length: 0 }) input = null;
            }
            return new FlattenNode(name, start, end, input);
        }
    }
}
