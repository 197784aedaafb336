using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Traces;
using NUnit.Framework;
using PureHDF;
using static Neuromorphic.Tests.Nir.NirTestData;

namespace Neuromorphic.Tests.Nir;

/// <summary>Nested NIRGraph nodes are flattened to <c>outer.inner</c> names with their edges joined up.</summary>
[TestFixture]
public sealed class NirNestedGraphTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("nir-nested-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private Network Read(H5Group graph) => NirReader.Read(Write(Path.Combine(_dir, "nested.nir"), graph));

    /// <summary>A recurrent LIF layer of 4 as a graph: in -> lif -> out, lif -> w -> lif.</summary>
    private static H5Group Recurrent() => Graph(
        new H5Group { ["in"] = Io("Input", 4), ["lif"] = Lif(4), ["w"] = Linear(4, 4), ["out"] = Io("Output", 4) },
        new[,] { { "in", "lif" }, { "lif", "out" }, { "lif", "w" }, { "w", "lif" } });

    private static H5Group Outer(string[,] edges, H5Group? sub = null) => Graph(
        new H5Group
        {
            ["input"] = Io("Input", 3),
            ["fc"] = Linear(4, 3),
            ["sub"] = sub ?? Recurrent(),
            ["readout"] = Linear(2, 4),
            ["output"] = Io("Output", 2),
        },
        edges);

    private static readonly Edge[] Expected =
    [
        new("input", "fc"), new("fc", "sub.lif"), new("sub.lif", "sub.w"), new("sub.w", "sub.lif"),
        new("sub.lif", "readout"), new("readout", "output"),
    ];

    [Test]
    public void DottedEdgesReachInside()
    {
        var net = Read(Outer(new[,] { { "input", "fc" }, { "fc", "sub.lif" }, { "sub.lif", "readout" }, { "readout", "output" } }));
        Assert.That(net.Nodes.Select(n => n.Name).Order(), Is.EqualTo(new[] { "fc", "input", "output", "readout", "sub.lif", "sub.w" }));
        Assert.That(net["sub.lif"].NirType, Is.EqualTo("LIF"));
        Assert.That(net["sub.w"].InputShape, Is.EqualTo(new[] { 4 }));
        Assert.That(net.Edges, Is.EquivalentTo(Expected));
    }

    [Test]
    public void EdgesToTheGraphGoThroughItsInputAndOutput()
    {
        var net = Read(Outer(new[,] { { "input", "fc" }, { "fc", "sub" }, { "sub", "readout" }, { "readout", "output" } }));
        Assert.That(net.Contains("sub.in"), Is.False, "the inner Input is dropped");
        Assert.That(net.Contains("sub.out"), Is.False, "the inner Output is dropped");
        Assert.That(net.Edges, Is.EquivalentTo(Expected));
    }

    [Test]
    public void EdgesToTheInnerInputAndOutputByName()
    {
        var net = Read(Outer(new[,] { { "input", "fc" }, { "fc", "sub.in" }, { "sub.out", "readout" }, { "readout", "output" } }));
        Assert.That(net.Edges, Is.EquivalentTo(Expected));
    }

    [Test]
    public void DoublyNestedGraph()
    {
        var middle = Graph(
            new H5Group { ["x"] = Io("Input", 4), ["inner"] = Recurrent(), ["y"] = Io("Output", 4) },
            new[,] { { "x", "inner" }, { "inner.lif", "y" } });
        var net = Read(Outer(new[,] { { "input", "fc" }, { "fc", "sub" }, { "sub.inner.lif", "readout" }, { "readout", "output" } }, middle));
        Assert.That(net.Nodes.Select(n => n.Name).Order(),
            Is.EqualTo(new[] { "fc", "input", "output", "readout", "sub.inner.lif", "sub.inner.w" }));
        Assert.That(net.Edges, Is.EquivalentTo(new[]
        {
            new Edge("input", "fc"), new Edge("fc", "sub.inner.lif"), new Edge("sub.inner.lif", "sub.inner.w"),
            new Edge("sub.inner.w", "sub.inner.lif"), new Edge("sub.inner.lif", "readout"), new Edge("readout", "output"),
        }));
    }

    [Test]
    public void LiteralDottedNameWinsOverNesting()
    {
        var nodes = new H5Group
        {
            ["input"] = Io("Input", 3),
            ["a.b"] = Linear(4, 3),
            ["a"] = Recurrent(),
            ["output"] = Io("Output", 4),
        };
        var net = Read(Graph(nodes, new[,] { { "input", "a.b" }, { "a.b", "a" }, { "a.lif", "output" } }));
        Assert.That(net.Edges, Does.Contain(new Edge("input", "a.b")));
        Assert.That(net.Edges, Does.Contain(new Edge("a.b", "a.lif")));
    }

    [Test]
    public void UnknownInnerNode()
    {
        var path = Write(Path.Combine(_dir, "bad.nir"),
            Outer(new[,] { { "input", "fc" }, { "fc", "sub.nothing" }, { "sub.lif", "readout" }, { "readout", "output" } }));
        var ex = Assert.Throws<InputFormatException>(() => NirReader.Read(path))!;
        Assert.That(ex.Location, Is.EqualTo("edge 'fc -> sub.nothing'"));
    }

    [Test]
    public void DanglingEdgeInsideTheNestedGraph()
    {
        var sub = Graph(
            new H5Group { ["in"] = Io("Input", 4), ["lif"] = Lif(4), ["out"] = Io("Output", 4) },
            new[,] { { "in", "lif" }, { "lif", "gone" } });
        var path = Write(Path.Combine(_dir, "bad.nir"),
            Outer(new[,] { { "input", "fc" }, { "fc", "sub" }, { "sub.lif", "readout" }, { "readout", "output" } }, sub));
        var ex = Assert.Throws<InputFormatException>(() => NirReader.Read(path))!;
        Assert.That(ex.Location, Is.EqualTo("edge 'lif -> gone' of graph 'sub'"));
    }

    [Test]
    public void BadNodeInsideTheNestedGraphIsNamedInFull()
    {
        var sub = Graph(
            new H5Group { ["in"] = Io("Input", 4), ["lif"] = new H5Group { ["type"] = "Bar" }, ["out"] = Io("Output", 4) },
            new[,] { { "in", "lif" }, { "lif", "out" } });
        var path = Write(Path.Combine(_dir, "bad.nir"),
            Outer(new[,] { { "input", "fc" }, { "fc", "sub" }, { "sub", "readout" }, { "readout", "output" } }, sub));
        var ex = Assert.Throws<InputFormatException>(() => NirReader.Read(path))!;
        Assert.That(ex.Location, Is.EqualTo("node 'sub.lif'"));
        Assert.That(ex.Problem, Does.Contain("'Bar'"));
    }

    [Test]
    public void FlattenedGraphWritesAndReadsBack()
    {
        var net = Read(Outer(new[,] { { "input", "fc" }, { "fc", "sub" }, { "sub", "readout" }, { "readout", "output" } }));
        var path = Path.Combine(_dir, "flat.nir");
        NirWriter.Write(net, path);
        AssertSameGraph(net, NirReader.Read(path));
    }

    [Test]
    public void IdentityNodesAreJoinedThrough()
    {
        var nodes = SmallNodes();
        nodes["id"] = new H5Group { ["type"] = "Identity", ["shape"] = new long[] { 2 } };
        var net = Read(Graph(nodes, new[,] { { "input", "fc" }, { "fc", "id" }, { "id", "lif" }, { "lif", "output" } }));
        Assert.That(net.Contains("id"), Is.False);
        Assert.That(net.Edges, Is.EquivalentTo(new[] { new Edge("input", "fc"), new Edge("fc", "lif"), new Edge("lif", "output") }));
    }
}
