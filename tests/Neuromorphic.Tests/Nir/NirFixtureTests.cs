using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Nir;
using NUnit.Framework;

namespace Neuromorphic.Tests.Nir;

/// <summary>The NIR reference graphs of fixtures/nir load with the expected nodes, shapes and values.</summary>
[TestFixture]
public sealed class NirFixtureTests
{
    private static T Node<T>(Network network, string name) where T : Node
    {
        Assert.That(network.Contains(name), Is.True, $"no node '{name}'");
        Assert.That(network[name], Is.InstanceOf<T>(), $"node '{name}'");
        return (T)network[name];
    }

    [Test]
    public void LifNorse()
    {
        var doc = NirReader.ReadDocument(FixturePaths.Nir("lif_norse.nir"));
        var net = doc.Network;
        Assert.That(doc.Version, Is.EqualTo("0.1.1"));
        Assert.That(net.Nodes, Has.Count.EqualTo(4));
        Assert.That(Node<InputNode>(net, "input").Shape, Is.EqualTo(new[] { 1 }));
        var affine = Node<DenseNode>(net, "0");
        Assert.That(affine.NirType, Is.EqualTo("Affine"));
        Assert.That((affine.Outputs, affine.Inputs), Is.EqualTo((1, 1)));
        Assert.That(affine.Weight, Is.EqualTo(new[] { 1f }));
        Assert.That(affine.Bias, Is.EqualTo(new[] { 0f }));
        var lif = Node<NeuronNode>(net, "1");
        var model = (LifModel)lif.Model;
        Assert.That(model.Kind, Is.EqualTo("LIF"));
        Assert.That(model.Tau[0], Is.EqualTo(0.0025).Within(1e-9));
        Assert.That(model.R[0], Is.EqualTo(1.0));
        Assert.That(model.VLeak[0], Is.EqualTo(0.0));
        Assert.That(model.VThreshold![0], Is.EqualTo(0.1).Within(1e-8));
        Assert.That(model.VReset, Is.EqualTo(new[] { 0.0 }), "v_reset absent: defaults to 0");
        Assert.That(Node<OutputNode>(net, "output").Shape, Is.EqualTo(new[] { 1 }));
        Assert.That(net.Edges, Is.EquivalentTo(new[] { new Edge("input", "0"), new Edge("0", "1"), new Edge("1", "output") }));
    }

    [Test]
    public void LifRockpoolOutputShapeOfSameSize()
    {
        var net = NirReader.Read(FixturePaths.Nir("lif_rockpool.nir"));
        var linear = Node<DenseNode>(net, "0_LinearTorch");
        Assert.That(linear.NirType, Is.EqualTo("Linear"));
        Assert.That(linear.Weight[0], Is.EqualTo(0.04f));
        var lif = (LifModel)Node<NeuronNode>(net, "1_LIFNeuronTorch").Model;
        Assert.That(lif.R[0], Is.EqualTo(24.019737).Within(1e-5));
        Assert.That(lif.Tau[0], Is.EqualTo(0.0025).Within(1e-9));
        Assert.That(Node<OutputNode>(net, "output").Shape, Is.EqualTo(new[] { 1, 1, 1 }));
        Assert.That(Node<NeuronNode>(net, "1_LIFNeuronTorch").Shape, Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void TwoLifNeuronsWithFloat64Weights()
    {
        var net = NirReader.Read(FixturePaths.Nir("two_lif_neurons.nir"));
        Assert.That(net.Nodes.Select(n => n.Name).Order(), Is.EqualTo(new[] { "in", "lif1", "lif2", "linear1", "linear2", "out" }));
        Assert.That(Node<DenseNode>(net, "linear1").Weight, Is.EqualTo(new[] { 1f }));
        var lif1 = (LifModel)Node<NeuronNode>(net, "lif1").Model;
        Assert.That(lif1.VLeak[0], Is.EqualTo(1.2));
        Assert.That(lif1.Tau[0], Is.EqualTo(0.01));
        Assert.That(((LifModel)Node<NeuronNode>(net, "lif2").Model).VThreshold![0], Is.EqualTo(20.0));
        Assert.That(net.Edges, Has.Count.EqualTo(5));
    }

    [Test]
    public void BrailleBiasZero()
    {
        var net = NirReader.Read(FixturePaths.Nir("braille_noDelay_bias_zero.nir"));
        var fc1 = Node<DenseNode>(net, "fc1");
        Assert.That((fc1.NirType, fc1.Outputs, fc1.Inputs), Is.EqualTo(("Affine", 38, 12)));
        var lif1 = Node<NeuronNode>(net, "lif1.lif");
        Assert.That(lif1.NirType, Is.EqualTo("CubaLIF"));
        Assert.That(lif1.Shape, Is.EqualTo(new[] { 38 }));
        var cuba = (CubaLifModel)lif1.Model;
        Assert.That(cuba.VReset, Is.EqualTo(new double[38]));
        Assert.That(cuba.WIn, Has.Length.EqualTo(38));
        var rec = Node<DenseNode>(net, "lif1.w_rec");
        Assert.That((rec.NirType, rec.Outputs, rec.Inputs), Is.EqualTo(("Affine", 38, 38)));
        Assert.That(Node<NeuronNode>(net, "lif2").Model, Is.InstanceOf<CubaLifModel>());
        Assert.That(Node<NeuronNode>(net, "lif2").Shape, Is.EqualTo(new[] { 7 }));
        Assert.That(net.Edges, Has.Count.EqualTo(7));
        Assert.That(net.Edges, Does.Contain(new Edge("lif1.w_rec", "lif1.lif")), "recurrent edge by literal dotted names");
        Assert.That(net.Edges, Does.Contain(new Edge("lif1.lif", "lif1.w_rec")));
    }

    [Test]
    public void BrailleNoBiasSubtract()
    {
        var net = NirReader.Read(FixturePaths.Nir("braille_noDelay_noBias_subtract.nir"));
        var fc1 = Node<DenseNode>(net, "fc1");
        Assert.That((fc1.NirType, fc1.Outputs, fc1.Inputs, fc1.Bias), Is.EqualTo(("Linear", 40, 12, (float[]?)null)));
        Assert.That(Node<NeuronNode>(net, "lif1.lif").Shape, Is.EqualTo(new[] { 40 }));
        Assert.That(Node<DenseNode>(net, "lif1.w_rec").NirType, Is.EqualTo("Linear"));
        Assert.That(Node<DenseNode>(net, "fc2").Inputs, Is.EqualTo(40));
        Assert.That(net.Edges, Has.Count.EqualTo(7));
    }

    [Test]
    public void CnnSinabs()
    {
        var net = NirReader.Read(FixturePaths.Nir("cnn_sinabs.nir"));
        Assert.That(Node<InputNode>(net, "input").Shape, Is.EqualTo(new[] { 2, 34, 34 }));
        var conv0 = Node<ConvNode>(net, "0");
        Assert.That(conv0.NirType, Is.EqualTo("Conv2d"));
        Assert.That(conv0.WeightShape, Is.EqualTo(new[] { 16, 2, 5, 5 }));
        Assert.That(conv0.Stride, Is.EqualTo(new[] { 2, 2 }));
        Assert.That(conv0.Padding, Is.EqualTo(new[] { 1, 1 }));
        Assert.That(conv0.InputShape, Is.EqualTo(new[] { 2, 34, 34 }));
        Assert.That(conv0.OutputShape, Is.EqualTo(new[] { 16, 16, 16 }));
        var if1 = Node<NeuronNode>(net, "1");
        Assert.That(if1.NirType, Is.EqualTo("IF"));
        Assert.That(if1.Shape, Is.EqualTo(new[] { 16, 16, 16 }));
        Assert.That(((IntegratorModel)if1.Model).TimeBase, Is.EqualTo(IntegratorTimeBase.PerTimestep));
        Assert.That(Node<ConvNode>(net, "2").OutputShape, Is.EqualTo(new[] { 16, 16, 16 }));
        var pool4 = Node<PoolNode>(net, "4");
        Assert.That(pool4.NirType, Is.EqualTo("SumPool2d"));
        Assert.That(pool4.OutputShape, Is.EqualTo(new[] { 16, 8, 8 }));
        Assert.That(Node<ConvNode>(net, "5").OutputShape, Is.EqualTo(new[] { 8, 8, 8 }));
        Assert.That(Node<NeuronNode>(net, "6").Shape, Is.EqualTo(new[] { 8, 8, 8 }));
        Assert.That(Node<PoolNode>(net, "7").OutputShape, Is.EqualTo(new[] { 8, 4, 4 }));
        var flatten = Node<FlattenNode>(net, "8");
        Assert.That(flatten.InputShape, Is.EqualTo(new[] { 8, 4, 4 }));
        Assert.That(flatten.OutputShape, Is.EqualTo(new[] { 128 }));
        var fc9 = Node<DenseNode>(net, "9");
        Assert.That((fc9.NirType, fc9.Outputs, fc9.Inputs), Is.EqualTo(("Affine", 256, 128)));
        Assert.That(Node<NeuronNode>(net, "10").Shape, Is.EqualTo(new[] { 256 }));
        var fc11 = Node<DenseNode>(net, "11");
        Assert.That((fc11.Outputs, fc11.Inputs), Is.EqualTo((10, 256)));
        Assert.That(Node<NeuronNode>(net, "12").Shape, Is.EqualTo(new[] { 10 }));
        Assert.That(Node<OutputNode>(net, "output").Shape, Is.EqualTo(new[] { 10 }));
        Assert.That(net.Edges, Has.Count.EqualTo(14));
    }

    [Test]
    public void IntegratorTimeBaseOptionReachesTheModels()
    {
        var net = NirReader.Read(FixturePaths.Nir("cnn_sinabs.nir"),
            new NirImportOptions { IntegratorTimeBase = IntegratorTimeBase.ContinuousEuler });
        var models = net.Nodes.OfType<NeuronNode>().Select(n => n.Model).ToList();
        Assert.That(models, Has.Count.EqualTo(5));
        Assert.That(models.Cast<IntegratorModel>().Select(m => m.TimeBase), Is.All.EqualTo(IntegratorTimeBase.ContinuousEuler));
    }

    [Test]
    public void SummaryOfCnn()
    {
        var doc = NirReader.ReadDocument(FixturePaths.Nir("cnn_sinabs.nir"));
        var s = NirSummary.Describe(doc.Network, doc.Version!);
        Assert.That(s.Version, Is.EqualTo("0.2.0"));
        Assert.That(s.NodeCount, Is.EqualTo(15));
        Assert.That(s.EdgeCount, Is.EqualTo(14));
        var conv = s.Nodes.Single(n => n.Name == "0");
        Assert.That(conv.Type, Is.EqualTo("Conv2d"));
        Assert.That(conv.InputShape, Is.EqualTo(new[] { 2, 34, 34 }));
        Assert.That(conv.OutputShape, Is.EqualTo(new[] { 16, 16, 16 }));
        Assert.That(conv.ParameterCount, Is.EqualTo(16 * 2 * 5 * 5 + 16));
        var fc = s.Nodes.Single(n => n.Name == "11");
        Assert.That(fc.ParameterCount, Is.EqualTo(10 * 256 + 10));
        Assert.That(fc.SynapseCount, Is.EqualTo(doc.Network["11"].SynapseCount));
        Assert.That(s.Nodes.Single(n => n.Name == "1").NeuronCount, Is.EqualTo(4096));
        Assert.That(s.NeuronCount, Is.EqualTo(4096 + 4096 + 512 + 256 + 10));
        Assert.That(s.ParameterCount, Is.EqualTo(doc.Network.ParameterCount));
        Assert.That(s.SynapseCount, Is.EqualTo(s.Nodes.Sum(n => n.SynapseCount)));
        Assert.That(s.TypeCounts["IF"], Is.EqualTo(5));
        Assert.That(s.TypeCounts["Conv2d"], Is.EqualTo(3));
        Assert.That(s.Edges, Does.Contain(new NirEdgeSummary("input", "0")));
        var json = System.Text.Json.JsonSerializer.Serialize(s);
        Assert.That(json, Does.Contain("\"Type\":\"SumPool2d\""));
    }
}
