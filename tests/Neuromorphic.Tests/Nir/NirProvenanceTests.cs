using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Nir;
using NUnit.Framework;

namespace Neuromorphic.Tests.Nir;

/// <summary>The file's metadata picks the default semantics; explicit choices override it.</summary>
public sealed class NirProvenanceTests
{
    private static Dictionary<string, string> Meta(params (string Key, string Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value);

    [Test]
    public void ProducerKeysNameTheFramework()
    {
        Assert.That(NirProvenance.Semantics(Meta(("framework", "snnTorch 0.9.1")))?.Semantics, Is.EqualTo(NirSemantics.SnnTorch));
        Assert.That(NirProvenance.Semantics(Meta(("Source", "norse")))?.Semantics, Is.EqualTo(NirSemantics.Norse));
        Assert.That(NirProvenance.Semantics(Meta(("exporter", "rockpool"))), Is.Null, "a framework without semantics of its own");
        Assert.That(NirProvenance.Semantics(Meta(("comment", "made with snntorch"))), Is.Null, "only producer keys count");
        Assert.That(NirProvenance.Semantics(Meta()), Is.Null);
    }

    [Test]
    public void AnExplicitSemanticsKeyWins()
    {
        var m = Meta(("semantics", "nir"), ("framework", "snntorch"));
        Assert.That(NirProvenance.Semantics(m), Is.EqualTo((NirSemantics.Nir, "semantics")));
    }

    [Test]
    public void ResolveOrdersOptionsMetadataDefaults()
    {
        var m = Meta(("framework", "snntorch"), ("reset_mechanism", "subtract"));
        Assert.That(NirProvenance.Resolve(m, null, null), Is.EqualTo(new Discretisation(NirSemantics.SnnTorch, ResetMechanism.Subtract)));
        Assert.That(NirProvenance.Resolve(m, NirSemantics.Norse, ResetMechanism.ToValue), Is.EqualTo(new Discretisation(NirSemantics.Norse)));
        Assert.That(NirProvenance.Resolve(Meta(), null, null), Is.EqualTo(Discretisation.Nir));
        Assert.That(NirProvenance.Resolve(Meta(("reset_mechanism", "zero")), null, null).Reset, Is.EqualTo(ResetMechanism.ToValue));
    }

    [Test]
    public void MetadataSurvivesAWriteAndRead()
    {
        var dir = Directory.CreateTempSubdirectory("nm-prov-").FullName;
        try
        {
            var network = new Network(
                [new InputNode("in", [1]), new NeuronNode("lif", new LifModel([1e-3], [1.0], [0.0], [1.0])), new OutputNode("out", [1])],
                [new Edge("in", "lif"), new Edge("lif", "out")],
                new Dictionary<string, string> { ["framework"] = "snntorch", ["reset_mechanism"] = "subtract" });
            var path = Path.Combine(dir, "g.nir");
            NirWriter.Write(network, path);
            var read = NirReader.Read(path);
            Assert.That(NirProvenance.Resolve(read.Metadata, null, null),
                Is.EqualTo(new Discretisation(NirSemantics.SnnTorch, ResetMechanism.Subtract)));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
