using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Traces;

namespace Neuromorphic.Sim.Builders;

/// <summary>
/// The built-in example: Poisson input -> sparse projection -> a recurrent excitatory/inhibitory
/// LIF population -> a dense readout into leaky integrators. Small enough to run instantly,
/// large enough to exercise sparse delivery, recurrence and every neuron path.
/// </summary>
public static class ExampleNetwork
{
    /// <summary>Timestep of the example (1 ms).</summary>
    public const double Dt = 1e-3;

    /// <summary>Builds the network and a matching input raster from <paramref name="seed"/>.</summary>
    /// <param name="seed">Run seed.</param>
    /// <param name="timesteps">Length of the input raster.</param>
    /// <param name="inputs">Input channels.</param>
    /// <param name="neurons">Reservoir neurons (80 % excitatory).</param>
    /// <param name="outputs">Readout units.</param>
    public static (Network Network, SpikeRaster Input) Build(ulong seed, int timesteps = 500, int inputs = 64, int neurons = 200, int outputs = 10)
    {
        var excitatory = neurons * 4 / 5;
        var inputWeights = RandomConnectivity.Bernoulli(neurons, inputs, 0.2, (_, _) => 0.15f,
            DeterministicRandom.ForComponent(seed, "example.input_projection"));
        var recurrent = RandomConnectivity.Bernoulli(neurons, neurons, 0.05, (_, pre) => pre < excitatory ? 0.1f : -0.5f,
            DeterministicRandom.ForComponent(seed, "example.recurrent_projection"));
        var readoutRng = DeterministicRandom.ForComponent(seed, "example.readout");
        var readout = Enumerable.Range(0, outputs * neurons).Select(_ => (float)readoutRng.NextNormal(0, 0.1)).ToArray();
        // tau 20 ms, r = tau/dt so one unit of input lifts v by one unit (snnTorch-style scaling).
        var lif = new LifModel(NeuronModel.Fill(neurons, 0.02), NeuronModel.Fill(neurons, 0.02 / Dt),
            NeuronModel.Fill(neurons, 0), NeuronModel.Fill(neurons, 1.0));
        var li = new LifModel(NeuronModel.Fill(outputs, 0.05), NeuronModel.Fill(outputs, 0.05 / Dt), NeuronModel.Fill(outputs, 0), null);
        var network = new Network(
            [
                new InputNode("input", [inputs]),
                new SparseNode("w_in", inputWeights),
                new NeuronNode("reservoir", lif),
                new SparseNode("w_rec", recurrent),
                new DenseNode("w_out", readout, outputs, neurons),
                new NeuronNode("readout", li),
                new OutputNode("output", [outputs]),
            ],
            [
                new("input", "w_in"), new("w_in", "reservoir"), new("reservoir", "w_rec"), new("w_rec", "reservoir"),
                new("reservoir", "w_out"), new("w_out", "readout"), new("readout", "output"),
            ]);
        var input = PoissonInput.Generate(timesteps, inputs, 20, Dt, DeterministicRandom.ForComponent(seed, "example.stimulus"));
        return (network, input);
    }
}
