using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Nir;
using NUnit.Framework;

namespace Neuromorphic.Tests.Nir;

/// <summary>Export with <see cref="NirWriter"/> and import again gives the same graph.</summary>
[TestFixture]
public sealed class NirWriterTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("nir-writer-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Temp(string name) => Path.Combine(_dir, name);

    [TestCaseSource(typeof(NirTestData), nameof(NirTestData.Fixtures))]
    public void FixtureRoundTrip(string fixture)
    {
        var original = NirReader.Read(FixturePaths.Nir(fixture));
        var path = Temp(fixture);
        NirWriter.Write(original, path);
        var doc = NirReader.ReadDocument(path);
        Assert.That(doc.Version, Is.EqualTo("0.2.0"));
        NirTestData.AssertSameGraph(original, doc.Network);

        // And once more: writing what was read back gives identical bytes.
        var again = Temp("again.nir");
        NirWriter.Write(doc.Network, again);
        Assert.That(File.ReadAllBytes(again), Is.EqualTo(File.ReadAllBytes(path)));
    }

    /// <summary>A network with every node type the writer knows, on two input paths.</summary>
    internal static Network AllNodeTypes()
    {
        var rng = new Random(5);
        float[] R(int n) => Enumerable.Range(0, n).Select(_ => (float)Math.Round(rng.NextDouble() * 2 - 1, 3)).ToArray();
        double[] D(int n, double lo, double hi) => Enumerable.Range(0, n).Select(_ => lo + (hi - lo) * rng.NextDouble()).ToArray();
        var sparseDense = R(6 * 8).Select((v, i) => i % 3 == 0 ? v : 0f).ToArray();
        Node[] nodes =
        [
            new InputNode("image", [2, 6, 6]),
            new ConvNode("conv", R(4 * 2 * 3 * 3), [4, 2, 3, 3], R(4), [1, 1], [1, 1], [1, 1], 1, [6, 6]),
            new NeuronNode("if", new IntegratorModel(D(144, 1, 1), D(144, 0.5, 1.5), D(144, -0.1, 0)), [4, 6, 6]),
            new PoolNode("avg", PoolKind.Average, [2, 2], [2, 2], [0, 0]),
            new FlattenNode("flat", 0, -1),
            new DenseNode("affine", R(8 * 36), 8, 36, R(8)),
            new ScaleNode("scale", R(8), [8]),
            new ThresholdNode("step", R(8), [8]),
            new DelayNode("delay", D(8, 0, 0.003), [8]),
            new NeuronNode("li", new LifModel(D(8, 0.001, 0.02), D(8, 0.5, 2), D(8, -0.1, 0.1), null)),
            new SparseNode("sparse", CsrMatrix.FromDense(sparseDense, 6, 8)),
            new NeuronNode("culi", new CubaLifModel(D(6, 0.01, 0.02), D(6, 0.002, 0.005), D(6, 1, 2), new double[6], null, null, D(6, 0.5, 1.5))),
            new DenseNode("linear", R(4 * 6), 4, 6),
            new NeuronNode("culif", new CubaLifModel(D(4, 0.01, 0.02), D(4, 0.002, 0.005), D(4, 1, 2), D(4, -0.1, 0), D(4, 1, 2), D(4, -0.5, 0), D(4, 0.5, 1))),
            new NeuronNode("lif", new LifModel(D(4, 0.001, 0.02), D(4, 0.5, 2), D(4, -0.1, 0.1), D(4, 0.5, 1), D(4, -0.2, 0)), [2, 2]),
            new OutputNode("out", [4]),
            new InputNode("signal", [3, 10]),
            new ConvNode("conv1d", R(2 * 3 * 3), [2, 3, 3], null, [2], [0], [2], 1, [10]),
            new NeuronNode("integrator", new IntegratorModel(D(6, 1, 2), null), [2, 3]),
            new FlattenNode("flat2", 0, 1, [2, 3]),
            new OutputNode("out2", [6]),
        ];
        string[] chain = ["image", "conv", "if", "avg", "flat", "affine", "scale", "step", "delay", "li", "sparse", "culi", "linear", "culif", "lif", "out"];
        var edges = chain.Zip(chain.Skip(1), (a, b) => new Edge(a, b)).ToList();
        edges.Add(new Edge("lif", "culif")); // a loop back
        string[] second = ["signal", "conv1d", "integrator", "flat2", "out2"];
        edges.AddRange(second.Zip(second.Skip(1), (a, b) => new Edge(a, b)));
        return new Network(nodes, edges, new Dictionary<string, string> { ["source"] = "unit test", ["dt"] = "0.001" });
    }

    [Test]
    public void EveryNodeTypeRoundTrips()
    {
        var network = AllNodeTypes();
        var path = Temp("all.nir");
        NirWriter.Write(network, path, "1.0.0");
        var doc = NirReader.ReadDocument(path);
        Assert.That(doc.Version, Is.EqualTo("1.0.0"));
        NirTestData.AssertSameGraph(network, doc.Network);
        Assert.That(doc.Network.Metadata, Is.EquivalentTo(network.Metadata));
        Assert.That(doc.Network["sparse"], Is.InstanceOf<DenseNode>(), "a sparse projection is exported as a dense Linear");
        Assert.That(((ConvNode)doc.Network["conv1d"]).Bias, Is.EqualTo(new float[2]), "a conv without bias gets a zero bias");
        Assert.That(doc.Network["li"].NirType, Is.EqualTo("LI"));
        Assert.That(doc.Network["culi"].NirType, Is.EqualTo("CubaLI"));
        Assert.That(doc.Network["integrator"].NirType, Is.EqualTo("I"));
        Assert.That(doc.Network["avg"].NirType, Is.EqualTo("AvgPool2d"));
        Assert.That(doc.Network["conv1d"].OutputShape, Is.EqualTo(new[] { 2, 3 }));
    }

    [Test]
    public void ReplacesAnExistingFileAndLeavesNoTemporaryFiles()
    {
        var path = Temp("model.nir");
        File.WriteAllText(path, "old content");
        NirWriter.Write(NirReader.Read(FixturePaths.Nir("lif_norse.nir")), path);
        Assert.That(NirReader.Read(path).Nodes, Has.Count.EqualTo(4));
        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EqualTo(new[] { "model.nir" }));
    }

    [Test]
    public void UnsupportedNeuronModelIsRefused()
    {
        var network = new Network(
            [new InputNode("in", [2]), new NeuronNode("leaky", new SnnTorchLeakyModel([0.9, 0.9], [1, 1])), new OutputNode("out", [2])],
            [new Edge("in", "leaky"), new Edge("leaky", "out")]);
        var ex = Assert.Throws<NotSupportedException>(() => NirWriter.Write(network, Temp("x.nir")))!;
        Assert.That(ex.Message, Does.Contain("leaky").And.Contain("snntorch.Leaky"));
        Assert.That(Directory.GetFiles(_dir), Is.Empty);
    }

    [Test]
    public void NodeNameWithSlashIsRefused()
    {
        var network = new Network([new InputNode("a/b", [1]), new OutputNode("out", [1])], [new Edge("a/b", "out")]);
        Assert.Throws<NotSupportedException>(() => NirWriter.Write(network, Temp("x.nir")));
    }

    [Test]
    public void UnsupportedVersionIsRefused()
    {
        var network = NirReader.Read(FixturePaths.Nir("lif_norse.nir"));
        Assert.Throws<ArgumentException>(() => NirWriter.Write(network, Temp("x.nir"), "7.0"));
    }

    [Test]
    public void EmptyGraphRoundTrips()
    {
        var network = new Network([new InputNode("in", [3])], []);
        var path = Temp("empty.nir");
        NirWriter.Write(network, path);
        var back = NirReader.Read(path);
        Assert.That(back.Nodes.Single().Name, Is.EqualTo("in"));
        Assert.That(back.Edges, Is.Empty);
    }
}
