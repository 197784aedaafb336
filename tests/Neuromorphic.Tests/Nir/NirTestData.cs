using System.Diagnostics;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using NUnit.Framework;
using PureHDF;

namespace Neuromorphic.Tests.Nir;

/// <summary>Builds NIR files by hand (with PureHDF's writer) and compares networks.</summary>
internal static class NirTestData
{
    /// <summary>The NIR reference files of fixtures/nir.</summary>
    public static readonly string[] Fixtures =
    [
        "lif_norse.nir", "lif_rockpool.nir", "two_lif_neurons.nir", "braille_noDelay_bias_zero.nir",
        "braille_noDelay_noBias_subtract.nir", "cnn_sinabs.nir",
    ];

    /// <summary>A dataset of the given shape.</summary>
    public static H5Dataset Array<T>(T[] values, params int[] shape) =>
        new(values, fileDims: shape.Select(d => (ulong)d).ToArray());

    /// <summary>An Input or Output node group.</summary>
    public static H5Group Io(string type, params long[] shape) => new() { ["type"] = type, ["shape"] = shape };

    /// <summary>A Linear node group with weights 0.1, 0.2, ...</summary>
    public static H5Group Linear(int outputs, int inputs) => new()
    {
        ["type"] = "Linear",
        ["weight"] = Array(Enumerable.Range(1, outputs * inputs).Select(i => i / 10f).ToArray(), outputs, inputs),
    };

    /// <summary>A LIF node group of n neurons.</summary>
    public static H5Group Lif(int n) => new()
    {
        ["type"] = "LIF",
        ["tau"] = Enumerable.Repeat(0.01, n).ToArray(),
        ["r"] = Enumerable.Repeat(1.0, n).ToArray(),
        ["v_leak"] = new double[n],
        ["v_threshold"] = Enumerable.Repeat(1.0, n).ToArray(),
    };

    /// <summary>Nodes of the small graph input (3) -> fc (Linear 2x3) -> lif (LIF 2) -> output (2).</summary>
    public static H5Group SmallNodes() => new()
    {
        ["input"] = Io("Input", 3),
        ["fc"] = Linear(2, 3),
        ["lif"] = Lif(2),
        ["output"] = Io("Output", 2),
    };

    /// <summary>Edges of the small graph.</summary>
    public static string[,] SmallEdges() => new[,] { { "input", "fc" }, { "fc", "lif" }, { "lif", "output" } };

    /// <summary>A NIRGraph group.</summary>
    public static H5Group Graph(H5Group nodes, string[,] edges, string type = "NIRGraph") =>
        new() { ["type"] = type, ["nodes"] = nodes, ["edges"] = edges };

    /// <summary>Writes a NIR file with the given graph and version (none if null).</summary>
    public static string Write(string path, H5Group graph, string? version = "0.2.0")
    {
        var file = new H5File { ["node"] = graph };
        if (version is not null) file["version"] = version;
        file.Write(path);
        return path;
    }

    /// <summary>The parameters of a node as named arrays, for comparisons.</summary>
    public static Dictionary<string, double[]> Parameters(Node node)
    {
        static double[] F(IEnumerable<float> v) => v.Select(x => (double)x).ToArray();
        static double[] I(IEnumerable<int> v) => v.Select(x => (double)x).ToArray();
        var p = new Dictionary<string, double[]>();
        switch (node)
        {
            case InputNode n: p["shape"] = I(n.Shape); break;
            case OutputNode n: p["shape"] = I(n.Shape); break;
            case DenseNode d:
                p["weight"] = F(d.Weight); p["dims"] = [d.Outputs, d.Inputs];
                if (d.Bias is not null) p["bias"] = F(d.Bias);
                break;
            case SparseNode s: p["weight"] = F(s.Weights.ToDense()); p["dims"] = [s.Weights.Rows, s.Weights.Columns]; break;
            case ConvNode c:
                p["weight"] = F(c.Weight); p["weight_shape"] = I(c.WeightShape); p["stride"] = I(c.Stride);
                p["padding"] = I(c.Padding); p["dilation"] = I(c.Dilation); p["groups"] = [c.Groups]; p["input"] = I(c.InputSpatial);
                p["bias"] = c.Bias is null ? new double[c.OutputChannels] : F(c.Bias);
                break;
            case PoolNode q: p["kernel"] = I(q.Kernel); p["stride"] = I(q.Stride); p["padding"] = I(q.Padding); break;
            case FlattenNode f: p["dims"] = [f.StartDim, f.EndDim]; break;
            case ScaleNode s: p["scale"] = F(s.Scale); p["shape"] = I(s.Shape); break;
            case ThresholdNode t: p["threshold"] = F(t.Threshold); p["shape"] = I(t.Shape); break;
            case DelayNode d: p["delay"] = d.DelaySeconds; p["shape"] = I(d.Shape); break;
            case NeuronNode n:
                foreach (var (name, values) in n.Model.Parameters) p[name] = values;
                p["shape"] = I(n.Shape);
                if (n.Model is IntegratorModel im) p["time_base"] = [(double)im.TimeBase];
                break;
            default: throw new AssertionException($"no comparison for {node.GetType().Name}");
        }
        return p;
    }

    /// <summary>Asserts that two networks have the same nodes (names, types, shapes, parameters within float32 precision) and edge set.</summary>
    public static void AssertSameGraph(Network expected, Network actual)
    {
        Assert.That(actual.Nodes.Select(n => n.Name).Order(), Is.EqualTo(expected.Nodes.Select(n => n.Name).Order()), "node names");
        foreach (var e in expected.Nodes)
        {
            var a = actual[e.Name];
            Assert.That(a.NirType, Is.EqualTo(e.NirType), $"type of {e.Name}");
            Assert.That(a.GetType(), Is.EqualTo(e.GetType() == typeof(SparseNode) ? typeof(DenseNode) : e.GetType()), $"class of {e.Name}");
            Assert.That(a.InputShape, Is.EqualTo(e.InputShape), $"input shape of {e.Name}");
            Assert.That(a.OutputShape, Is.EqualTo(e.OutputShape), $"output shape of {e.Name}");
            var pe = Parameters(e);
            var pa = Parameters(a);
            Assert.That(pa.Keys.Order(), Is.EqualTo(pe.Keys.Order()), $"parameters of {e.Name}");
            foreach (var (key, values) in pe)
            {
                Assert.That(pa[key], Has.Length.EqualTo(values.Length), $"{e.Name}.{key} length");
                for (var i = 0; i < values.Length; i++)
                    Assert.That(pa[key][i], Is.EqualTo(values[i]).Within(1e-6 * Math.Max(1, Math.Abs(values[i]))), $"{e.Name}.{key}[{i}]");
            }
        }
        Assert.That(actual.Edges.ToHashSet().SetEquals(expected.Edges), Is.True,
            $"edges differ: expected {string.Join(", ", expected.Edges)}; got {string.Join(", ", actual.Edges)}");
        Assert.That(actual.Edges, Has.Count.EqualTo(expected.Edges.Count));
    }

    /// <summary>Runs /usr/bin/python3 (or python3 on the PATH) with h5py; ignores the test if h5py is unavailable.</summary>
    public static string RunPythonWithH5py(string script, params string[] args)
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var (code, _, _) = Run(python, ["-c", "import h5py"]);
        if (code != 0) Assert.Ignore("python3 with h5py is not available");
        var (rc, stdout, stderr) = Run(python, ["-c", script, .. args]);
        Assert.That(rc, Is.EqualTo(0), $"python failed: {stderr}");
        return stdout;
    }

    private static (int Code, string Stdout, string Stderr) Run(string exe, string[] args)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(info)!;
            var stdout = p.StandardOutput.ReadToEndAsync();
            var stderr = p.StandardError.ReadToEndAsync();
            p.WaitForExit();
            return (p.ExitCode, stdout.Result, stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return (-1, "", "python3 not found");
        }
    }
}
