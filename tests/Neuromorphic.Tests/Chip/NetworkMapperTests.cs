using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>The one mapper: fit, placement, supported nodes; and the neuron core's time on the executor.</summary>
public class NetworkMapperTests
{
    private static Network Chain(int inputs, params int[] layers)
    {
        var nodes = new List<Node> { new InputNode("in", [inputs]) };
        var edges = new List<Edge>();
        var previous = "in";
        var width = inputs;
        for (var k = 0; k < layers.Length; k++)
        {
            var weights = new float[layers[k] * width];
            for (var o = 0; o < layers[k]; o++) weights[o * width + o % width] = 1;
            nodes.Add(new DenseNode($"fc{k}", weights, layers[k], width));
            nodes.Add(new NeuronNode($"lif{k}", new IntegratorModel(NeuronModel.Fill(layers[k], 1), NeuronModel.Fill(layers[k], 0.5))));
            edges.Add(new Edge(previous, $"fc{k}"));
            edges.Add(new Edge($"fc{k}", $"lif{k}"));
            previous = $"lif{k}";
            width = layers[k];
        }
        nodes.Add(new OutputNode("out", [width]));
        edges.Add(new Edge(previous, "out"));
        return new Network(nodes, edges);
    }

    private static ChipModel Chip(NeuronPlacement placement = NeuronPlacement.Packed, int neuronsPerCore = 4096, int tiles = 4, int lanes = 16,
        OneSignedLayers oneSigned = OneSignedLayers.SingleCells)
    {
        var spec = ArchitectureLoader.Load("rram-40nm-256kb");
        return new ChipModel(spec with
        {
            Chip = spec.Chip with { NeuronPlacement = placement, NeuronsPerCore = neuronsPerCore, Tiles = tiles },
            NeuronCore = spec.NeuronCore with { Lanes = lanes },
            Mapping = spec.Mapping with { OneSignedLayers = oneSigned },
        });
    }

    [Test]
    public void A_matrix_splits_into_row_blocks_times_column_blocks()
    {
        // 1-bit differential pairs: 256 weight columns per 512-column macro; 600 inputs need 2 row blocks.
        var program = NetworkMapper.Map(Chain(600, 300), Chip(oneSigned: OneSignedLayers.SignedScheme), 1);
        var fc = program["fc0"];
        Assert.That((fc.RowBlocks, fc.ColumnBlocks, fc.Macros), Is.EqualTo((2, 2, 4)));
        // The chain's weights are all 1: on single cells (the default) one 512-column macro holds 512 weight columns.
        fc = NetworkMapper.Map(Chain(600, 300), Chip(), 1)["fc0"];
        Assert.That((fc.RowBlocks, fc.ColumnBlocks, fc.Macros), Is.EqualTo((2, 1, 2)));
    }

    [Test]
    public void A_network_too_big_for_the_macros_says_what_it_needs_and_what_the_chip_has()
    {
        // Pairs: 4 row blocks x 8 column blocks of 256; single cells: 4 x 4 of 512 fit the 16 macros, 2560 outputs (4 x 5) do not.
        var ex = Assert.Throws<MappingException>(() => NetworkMapper.Map(Chain(2048, 2048), Chip(oneSigned: OneSignedLayers.SignedScheme), 1))!;
        Assert.That(ex.Message, Does.Contain("needs 32 macros").And.Contain("the chip has 16").And.Not.Contain("single cells"));
        Assert.That(NetworkMapper.Map(Chain(2048, 2048), Chip(), 1).MacrosUsed, Is.EqualTo(16));
        ex = Assert.Throws<MappingException>(() => NetworkMapper.Map(Chain(2048, 2560), Chip(), 1))!;
        Assert.That(ex.Message, Does.Contain("needs 20 macros of 512 x 256 weights (512 for one-signed layers on single cells)").And.Contain("the chip has 16"));
    }

    [Test]
    public void A_network_too_big_for_the_neuron_cores_says_so()
    {
        var ex = Assert.Throws<MappingException>(() => NetworkMapper.Map(Chain(8, 300), Chip(neuronsPerCore: 64), 1))!;
        Assert.That(ex.Message, Does.Contain("300 neurons").And.Contain("hold 256"));
    }

    [Test]
    public void A_node_the_chip_cannot_run_is_named_with_what_is_supported()
    {
        var nodes = new Node[] { new InputNode("in", [4]), new NeuronNode("sj", new SpikingJellyLifModel(4)), new OutputNode("out", [4]) };
        var network = new Network(nodes, [new Edge("in", "sj"), new Edge("sj", "out")]);
        var ex = Assert.Throws<MappingException>(() => NetworkMapper.Map(network, Chip(), 1))!;
        Assert.That(ex.Message, Does.Contain("'sj'").And.Contain("supported:").And.Contain("CubaLIF"));
    }

    [Test]
    public void Placement_policies_put_populations_where_they_say()
    {
        var network = Chain(8, 100, 50);
        var packed = NetworkMapper.Map(network, Chip(NeuronPlacement.Packed, neuronsPerCore: 120), 1);
        Assert.That(packed["lif0"].Slices, Is.EqualTo(new[] { new CoreSlice(0, 0, 100) }));
        Assert.That(packed["lif1"].Slices, Is.EqualTo(new[] { new CoreSlice(0, 0, 20), new CoreSlice(1, 20, 30) }));
        var byLayer = NetworkMapper.Map(network, Chip(NeuronPlacement.ByLayer, neuronsPerCore: 120), 1);
        Assert.That(byLayer["lif1"].Slices, Is.EqualTo(new[] { new CoreSlice(1, 0, 50) }));
        var spread = NetworkMapper.Map(network, Chip(NeuronPlacement.Spread, neuronsPerCore: 120), 1);
        Assert.That(spread["lif0"].Slices, Is.EqualTo(new[] { new CoreSlice(0, 0, 25), new CoreSlice(1, 25, 25), new CoreSlice(2, 50, 25), new CoreSlice(3, 75, 25) }));
        Assert.That(spread.NeuronsPerTile(), Is.EqualTo(new[] { 25 + 13, 25 + 13, 25 + 13, 25 + 11 }));
    }

    [Test]
    public void The_sinabs_cnn_maps_convolutions_unrolled()
    {
        var program = NetworkMapper.Map(NirReader.Read(FixturePaths.Nir("cnn_sinabs.nir")), Chip(), 1);
        var conv = program["2"]; // 16 -> 16 channels, 3 x 3: 144 rows, 16 columns
        Assert.That(conv.Kind, Is.EqualTo(ChipNodeKind.Crossbar));
        Assert.That(conv.Matrices[0].Matrix.Inputs, Is.EqualTo(144));
        Assert.That(conv.Matrices[0].Matrix.Outputs, Is.EqualTo(16));
        Assert.That(program["4"].Kind, Is.EqualTo(ChipNodeKind.Digital));
        Assert.That(program.MacrosUsed, Is.EqualTo(5));
    }

    [TestCase(1)]
    [TestCase(3)]
    [TestCase(8)]
    public void The_neuron_core_time_follows_the_neurons_it_updates(int active)
    {
        // One lane: every updated neuron is one core cycle (5 base cycles at 200 MHz), plus the 2-cycle pipeline.
        var program = NetworkMapper.Map(Chain(8, 8), Chip(lanes: 1), 1);
        var executor = new ChipExecutor(program, 1e-3, 1, golden: false);
        var input = new SpikeRaster(1, 8);
        for (var k = 0; k < active; k++) input.MutableRow(0)[k] = 1;
        executor.RunSample(input);
        var layer = executor.Finish().Layers.Single(l => l.Node == "lif0");
        Assert.That(layer.NeuronUpdates, Is.EqualTo(active));
        Assert.That(layer.BusyCycles, Is.EqualTo((active + 2) * 5));
    }
}
