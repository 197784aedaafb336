using Neuromorphic.Sim.Nir;
using Neuromorphic.Traces;
using NUnit.Framework;
using PureHDF;
using static Neuromorphic.Tests.Nir.NirTestData;

namespace Neuromorphic.Tests.Nir;

/// <summary>Malformed NIR files raise <see cref="InputFormatException"/> naming the file and the node or edge.</summary>
[TestFixture]
public sealed class NirReaderErrorTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("nir-errors-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Temp(string name) => Path.Combine(_dir, name);

    private static InputFormatException Fails(string path)
    {
        var ex = Assert.Throws<InputFormatException>(() => NirReader.Read(path))!;
        Assert.That(ex.File, Is.EqualTo(path));
        Assert.That(ex.Message, Does.StartWith(path + ": "));
        Assert.That(ex.Message, Does.Not.Contain("\n"), "one line");
        TestContext.Out.WriteLine(ex.Message);
        return ex;
    }

    private InputFormatException FailsWith(H5Group graph, string? version = "0.2.0") =>
        Fails(Write(Temp("bad.nir"), graph, version));

    [Test]
    public void SmallGraphIsValid()
    {
        var net = NirReader.Read(Write(Temp("ok.nir"), Graph(SmallNodes(), SmallEdges())));
        Assert.That(net.Nodes, Has.Count.EqualTo(4));
        Assert.That(net.Edges, Has.Count.EqualTo(3));
    }

    [TestCaseSource(typeof(NirTestData), nameof(Fixtures))]
    public void TruncatedFixture(string fixture)
    {
        var bytes = File.ReadAllBytes(FixturePaths.Nir(fixture));
        var path = Temp("truncated.nir");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var ex = Fails(path);
        Assert.That(ex.Location, Is.Empty);
        Assert.That(ex.Problem, Does.StartWith("not a readable HDF5 file: "));
    }

    [Test]
    public void TextFileIsNotHdf5()
    {
        var path = Temp("notes.nir");
        File.WriteAllText(path, "this is not an HDF5 file\n");
        var ex = Fails(path);
        Assert.That(ex.Location, Is.Empty);
        Assert.That(ex.Problem, Does.StartWith("not a readable HDF5 file"));
    }

    [Test]
    public void EmptyFile()
    {
        var path = Temp("empty.nir");
        File.WriteAllBytes(path, []);
        Assert.That(Fails(path).Problem, Does.StartWith("not a readable HDF5 file"));
    }

    [Test]
    public void MissingFile()
    {
        var ex = Fails(Temp("nothing-here.nir"));
        Assert.That(ex.Problem, Is.EqualTo("file not found"));
    }

    [Test]
    public void UnknownNodeType()
    {
        var nodes = SmallNodes();
        nodes["fc"] = new H5Group { ["type"] = "Foo", ["weight"] = new float[,] { { 1, 2, 3 }, { 4, 5, 6 } } };
        var ex = FailsWith(Graph(nodes, SmallEdges()));
        Assert.That(ex.Location, Is.EqualTo("node 'fc'"));
        Assert.That(ex.Problem, Does.Contain("unknown node type 'Foo'"));
    }

    [Test]
    public void MissingWeight()
    {
        var nodes = SmallNodes();
        nodes["fc"] = new H5Group { ["type"] = "Affine", ["bias"] = new float[] { 0, 0 } };
        var ex = FailsWith(Graph(nodes, SmallEdges()));
        Assert.That(ex.Location, Is.EqualTo("node 'fc'"));
        Assert.That(ex.Problem, Is.EqualTo("missing field 'weight'"));
    }

    [Test]
    public void MissingType()
    {
        var nodes = SmallNodes();
        nodes["lif"] = new H5Group { ["tau"] = new[] { 0.01, 0.01 } };
        var ex = FailsWith(Graph(nodes, SmallEdges()));
        Assert.That(ex.Location, Is.EqualTo("node 'lif'"));
        Assert.That(ex.Problem, Is.EqualTo("missing field 'type'"));
    }

    [Test]
    public void DanglingEdge()
    {
        var ex = FailsWith(Graph(SmallNodes(), new[,] { { "input", "fc" }, { "fc", "lif" }, { "lif", "nowhere" } }));
        Assert.That(ex.Location, Is.EqualTo("edge 'lif -> nowhere'"));
        Assert.That(ex.Problem, Does.Contain("'nowhere'"));
    }

    [Test]
    public void WrongGraphType()
    {
        var ex = FailsWith(Graph(SmallNodes(), SmallEdges(), type: "NIRGraphData"));
        Assert.That(ex.Location, Is.Empty);
        Assert.That(ex.Problem, Is.EqualTo("'node/type' is 'NIRGraphData', expected 'NIRGraph'"));
    }

    [Test]
    public void NoNodeGroup()
    {
        var path = Temp("nonode.nir");
        new H5File { ["version"] = "0.2.0", ["graph"] = new H5Group() }.Write(path);
        var ex = Fails(path);
        Assert.That(ex.Location, Is.Empty);
        Assert.That(ex.Problem, Does.Contain("'node'"));
    }

    [Test]
    public void NoNodesGroup()
    {
        var ex = FailsWith(new H5Group { ["type"] = "NIRGraph", ["edges"] = new string[0, 2] });
        Assert.That(ex.Problem, Is.EqualTo("missing group 'nodes'"));
    }

    [Test]
    public void NoEdges()
    {
        var ex = FailsWith(new H5Group { ["type"] = "NIRGraph", ["nodes"] = SmallNodes() });
        Assert.That(ex.Problem, Is.EqualTo("missing dataset 'edges'"));
    }

    [Test]
    public void EdgesNotPairs()
    {
        var ex = FailsWith(new H5Group { ["type"] = "NIRGraph", ["nodes"] = SmallNodes(), ["edges"] = new[] { "input", "fc", "fc" } });
        Assert.That(ex.Problem, Does.Contain("expected (N, 2)"));
    }

    [Test]
    public void ShapeMismatch()
    {
        var nodes = SmallNodes();
        nodes["fc"] = Linear(2, 4);
        var ex = FailsWith(Graph(nodes, SmallEdges()));
        Assert.That(ex.Location, Is.EqualTo("node 'fc'"));
        Assert.That(ex.Problem, Does.Contain("(4)").And.Contain("(3)"));
    }

    [Test]
    public void NeuronParameterLengthsDisagree()
    {
        var nodes = SmallNodes();
        var lif = Lif(2);
        lif["r"] = new[] { 1.0, 1.0, 1.0 };
        nodes["lif"] = lif;
        var ex = FailsWith(Graph(nodes, SmallEdges()));
        Assert.That(ex.Location, Is.EqualTo("node 'lif'"));
        Assert.That(ex.Problem, Does.Contain("'r' has 3 values, expected 2 like 'tau' (2)"));
    }

    [Test]
    public void BiasLengthWrong()
    {
        var nodes = SmallNodes();
        nodes["fc"] = new H5Group { ["type"] = "Affine", ["weight"] = new float[2, 3], ["bias"] = new float[] { 1, 2, 3 } };
        var ex = FailsWith(Graph(nodes, SmallEdges()));
        Assert.That(ex.Location, Is.EqualTo("node 'fc'"));
        Assert.That(ex.Problem, Does.Contain("'bias' has 3 values, expected 2"));
    }

    [Test]
    public void WeightOfWrongRank()
    {
        var nodes = SmallNodes();
        nodes["fc"] = new H5Group { ["type"] = "Linear", ["weight"] = new float[] { 1, 2, 3, 4, 5, 6 } };
        var ex = FailsWith(Graph(nodes, SmallEdges()));
        Assert.That(ex.Problem, Does.Contain("expected (out, in)"));
    }

    [Test]
    public void WeightStoredAsStrings()
    {
        var nodes = SmallNodes();
        nodes["fc"] = new H5Group { ["type"] = "Linear", ["weight"] = new[] { "a", "b" } };
        var ex = FailsWith(Graph(nodes, SmallEdges()));
        Assert.That(ex.Location, Is.EqualTo("node 'fc'"));
        Assert.That(ex.Problem, Is.EqualTo("field 'weight' is a string, expected numbers"));
    }

    [Test]
    public void NonPositiveTimeConstant()
    {
        var nodes = SmallNodes();
        var lif = Lif(2);
        lif["tau"] = new[] { 0.01, 0.0 };
        nodes["lif"] = lif;
        var ex = FailsWith(Graph(nodes, SmallEdges()));
        Assert.That(ex.Location, Is.EqualTo("node 'lif'"));
        Assert.That(ex.Problem, Does.Contain("tau"));
    }

    [Test]
    public void NodeThatIsADataset()
    {
        var nodes = SmallNodes();
        nodes["fc"] = 3.0;
        var ex = FailsWith(Graph(nodes, SmallEdges()));
        Assert.That(ex.Location, Is.EqualTo("node 'fc'"));
    }

    private static H5Group Conv(bool withInputShape, object padding)
    {
        var g = new H5Group
        {
            ["type"] = "Conv2d",
            ["weight"] = Array(new float[2 * 1 * 3 * 3], 2, 1, 3, 3),
            ["bias"] = new float[2],
            ["stride"] = 1L,
            ["padding"] = padding,
            ["dilation"] = new long[] { 1, 1 },
            ["groups"] = 1L,
        };
        if (withInputShape) g["input_shape"] = new long[] { 5, 5 };
        return g;
    }

    private static H5Group ConvGraph(H5Group conv) => Graph(
        new H5Group { ["input"] = Io("Input", 1, 5, 5), ["conv"] = conv, ["output"] = Io("Output", 2, 5, 5) },
        new[,] { { "input", "conv" }, { "conv", "output" } });

    [Test]
    public void ConvWithoutInputShape()
    {
        var ex = FailsWith(ConvGraph(Conv(false, 1L)));
        Assert.That(ex.Location, Is.EqualTo("node 'conv'"));
        Assert.That(ex.Problem, Does.Contain("input_shape"));
    }

    [Test]
    public void ConvPaddingForms()
    {
        foreach (var padding in new object[] { 1L, new long[] { 1, 1 }, "same" })
        {
            var net = NirReader.Read(Write(Temp("conv.nir"), ConvGraph(Conv(true, padding))));
            Assert.That(((Neuromorphic.Sim.Networks.ConvNode)net["conv"]).Padding, Is.EqualTo(new[] { 1, 1 }), $"padding {padding}");
        }
        var ex = FailsWith(ConvGraph(Conv(true, "valid")));
        Assert.That(ex.Location, Is.EqualTo("node 'output'"), "valid padding gives 3x3, which the output does not take");
        ex = FailsWith(ConvGraph(Conv(true, "full")));
        Assert.That(ex.Problem, Does.Contain("'full'"));
        ex = FailsWith(ConvGraph(Conv(true, new long[] { 1, 1, 1 })));
        Assert.That(ex.Problem, Does.Contain("'padding' has 3 entries"));
    }

    [Test]
    public void UnsupportedVersion()
    {
        var ex = FailsWith(Graph(SmallNodes(), SmallEdges()), version: "2.0.0");
        Assert.That(ex.Location, Is.Empty);
        Assert.That(ex.Problem, Does.Contain("'2.0.0'"));
        Assert.That(FailsWith(Graph(SmallNodes(), SmallEdges()), version: "latest").Problem, Does.Contain("not a version number"));
    }

    [Test]
    public void VersionsAccepted()
    {
        foreach (var version in new[] { "0.1.1", "0.2.0", "0.6.1", "1.0.4", null })
        {
            var doc = NirReader.ReadDocument(Write(Temp($"v{version}.nir"), Graph(SmallNodes(), SmallEdges()), version));
            Assert.That(doc.Version, Is.EqualTo(version));
        }
    }
}
