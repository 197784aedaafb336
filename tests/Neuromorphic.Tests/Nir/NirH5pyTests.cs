using System.Text.Json;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Nir;
using NUnit.Framework;

namespace Neuromorphic.Tests.Nir;

/// <summary>
/// Interoperability with h5py (the library <c>nir.read</c>/<c>nir.write</c> use): files written by
/// <see cref="NirWriter"/> have the reference files' dataset layout and decode the way NIR's reader
/// decodes them; files h5py writes with newer NIR features are read. Ignored without python3 + h5py.
/// </summary>
[TestFixture]
public sealed class NirH5pyTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("nir-h5py-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private const string LayoutScript = """
        import h5py, json, sys
        result = {}
        for p in sys.argv[1:]:
            layout = {}
            def visit(name, obj):
                if isinstance(obj, h5py.Dataset):
                    kind = 'str' if h5py.check_string_dtype(obj.dtype) is not None else obj.dtype.kind
                    layout[name] = [kind.replace('u', 'i'), list(obj.shape)]
                else:
                    layout[name] = ['group', []]
            with h5py.File(p, 'r') as f:
                f.visititems(visit)
                # decoded as nir.read does it
                version = f['version'][()].decode('utf8')
                node = f['node']
                assert node['type'][()] == b'NIRGraph'
                edges = [[a.decode('utf8'), b.decode('utf8')] for a, b in node['edges'][()]]
                types = {k: n['type'][()].decode('utf8') for k, n in node['nodes'].items()}
            result[p] = {'layout': layout, 'version': version, 'edges': edges, 'types': types}
        print(json.dumps(result))
        """;

    [Test]
    public void WrittenFilesHaveTheReferenceLayout()
    {
        var pairs = NirTestData.Fixtures.Select(f =>
        {
            var original = FixturePaths.Nir(f);
            var written = Path.Combine(_dir, f);
            NirWriter.Write(NirReader.Read(original), written);
            return (Original: original, Written: written);
        }).ToList();
        var json = NirTestData.RunPythonWithH5py(LayoutScript, [.. pairs.SelectMany(p => new[] { p.Original, p.Written })]);
        using var doc = JsonDocument.Parse(json);
        foreach (var (originalPath, writtenPath) in pairs)
        {
            var original = doc.RootElement.GetProperty(originalPath);
            var written = doc.RootElement.GetProperty(writtenPath);
            var name = Path.GetFileName(originalPath);
            var o = Layout(original);
            var w = Layout(written);
            foreach (var (key, value) in o)
            {
                Assert.That(w.ContainsKey(key), Is.True, $"{name}: '{key}' missing in the written file");
                Assert.That(w[key], Is.EqualTo(value), $"{name}: '{key}' (kind and shape)");
            }
            Assert.That(w.Keys.Except(o.Keys).Where(k => !k.EndsWith("/v_reset", StringComparison.Ordinal)), Is.Empty,
                $"{name}: unexpected extra datasets (only the defaulted v_reset may be added)");
            Assert.That(o["version"], Is.EqualTo("str []"));
            Assert.That(o["node/type"], Is.EqualTo("str []"));
            Assert.That(written.GetProperty("version").GetString(), Is.EqualTo("0.2.0"));

            var network = NirReader.Read(writtenPath);
            var edges = written.GetProperty("edges").EnumerateArray().Select(e => new Edge(e[0].GetString()!, e[1].GetString()!));
            Assert.That(edges, Is.EquivalentTo(network.Edges), $"{name}: edges as h5py decodes them");
            var types = written.GetProperty("types").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString());
            Assert.That(types, Is.EquivalentTo(network.Nodes.ToDictionary(n => n.Name, n => (string?)n.NirType)), $"{name}: node types");
        }
    }

    private static Dictionary<string, string> Layout(JsonElement file) =>
        file.GetProperty("layout").EnumerateObject().ToDictionary(
            p => p.Name,
            p => p.Value[0].GetString() + " [" + string.Join(",", p.Value[1].EnumerateArray().Select(d => d.GetInt64())) + "]");

    private const string ModernScript = """
        import h5py, numpy as np, sys
        s = h5py.string_dtype()
        with h5py.File(sys.argv[1], 'w') as f:
            f.create_dataset('version', data='1.0.4', dtype=s)
            g = f.create_group('node')
            g.create_dataset('type', data='NIRGraph', dtype=s)
            g.create_dataset('edges', data=np.array([['input', 'conv'], ['conv', 'sub'], ['sub.lif', 'flat'], ['flat', 'output']], dtype=object), dtype=s)
            m = g.create_group('metadata')
            m.create_dataset('framework', data='h5py test', dtype=s)
            m.create_dataset('dt', data=0.001)
            n = g.create_group('nodes')
            def node(parent, name, type, **fields):
                x = parent.create_group(name)
                x.create_dataset('type', data=np.bytes_(type))  # fixed-length string
                for k, v in fields.items():
                    if isinstance(v, dict):
                        sub = x.create_group(k)
                        for kk, vv in v.items(): sub.create_dataset(kk, data=vv)
                    elif isinstance(v, str):
                        x.create_dataset(k, data=v, dtype=s)
                    elif np.ndim(v) > 0:
                        x.create_dataset(k, data=v, compression='gzip')
                    else:
                        x.create_dataset(k, data=v)
                return x
            node(n, 'input', 'Input', shape=np.array([1, 4, 4], dtype=np.int32), input_type={'input': np.array([1, 4, 4])})
            node(n, 'conv', 'Conv2d', weight=np.ones((2, 1, 3, 3), dtype=np.float64), bias=np.zeros(2, dtype=np.float32),
                 stride=np.int32(1), padding='same', dilation=1, groups=np.int16(1), input_shape=np.array([4, 4], dtype=np.uint8))
            sub = node(n, 'sub', 'NIRGraph')
            sub.create_dataset('edges', data=np.array([['in', 'lif'], ['lif', 'out']], dtype=object), dtype=s)
            sn = sub.create_group('nodes')
            node(sn, 'in', 'Input', shape=np.array([2, 4, 4]))
            node(sn, 'lif', 'LIF', tau=np.full((2, 4, 4), 0.01, dtype=np.float32), r=np.float64(1.0), v_leak=np.zeros((2, 4, 4)),
                 v_threshold=np.full((2, 4, 4), 1.0), v_reset=np.zeros((2, 4, 4)))
            node(sn, 'out', 'Output', shape=np.array([2, 4, 4]))
            node(n, 'flat', 'Flatten', start_dim=0, end_dim=-1, input_type={'input': np.array([2, 4, 4])})
            node(n, 'output', 'Output', shape=np.array([32]))
        """;

    [Test]
    public void ReadsNewerH5pyFeatures()
    {
        var path = Path.Combine(_dir, "modern.nir");
        NirTestData.RunPythonWithH5py(ModernScript, path);
        var doc = NirReader.ReadDocument(path);
        var net = doc.Network;
        Assert.That(doc.Version, Is.EqualTo("1.0.4"));
        Assert.That(net.Nodes.Select(n => n.Name).Order(), Is.EqualTo(new[] { "conv", "flat", "input", "output", "sub.lif" }));
        var conv = (ConvNode)net["conv"];
        Assert.That(conv.Padding, Is.EqualTo(new[] { 1, 1 }), "padding 'same' for a 3x3 kernel");
        Assert.That(conv.OutputShape, Is.EqualTo(new[] { 2, 4, 4 }));
        Assert.That(conv.Weight, Is.All.EqualTo(1f));
        var lif = (NeuronNode)net["sub.lif"];
        Assert.That(lif.Shape, Is.EqualTo(new[] { 2, 4, 4 }));
        Assert.That(lif.Model.Parameters.Single(p => p.Name == "r").Values, Has.Length.EqualTo(32).And.All.EqualTo(1.0), "a scalar r is repeated");
        Assert.That(((FlattenNode)net["flat"]).InputShape, Is.EqualTo(new[] { 2, 4, 4 }));
        Assert.That(net.Edges, Is.EquivalentTo(new[]
        {
            new Edge("input", "conv"), new Edge("conv", "sub.lif"), new Edge("sub.lif", "flat"), new Edge("flat", "output"),
        }));
        Assert.That(net.Metadata["framework"], Is.EqualTo("h5py test"));
        Assert.That(net.Metadata["dt"], Is.EqualTo("0.001"));
    }
}
