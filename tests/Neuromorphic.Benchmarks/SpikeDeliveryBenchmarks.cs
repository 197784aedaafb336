using BenchmarkDotNet.Attributes;
using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Sim.Builders;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Benchmarks;

/// <summary>
/// One timestep of input -> <see cref="SparseNode"/> -> output through <see cref="NetworkExecutor{T}"/>:
/// 10,000 x 10,000, Bernoulli p = 1 % (about 1 M synapses, fan-out about 100), with a fixed input
/// pattern in which the given fraction of channels spikes (1 % = about 10 k synaptic events per step,
/// 10 % = about 100 k).
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("SpikeDelivery")]
public class SparseProjectionBenchmarks
{
    private const int Inputs = 10_000;
    private const int Outputs = 10_000;
    private const double ConnectionProbability = 0.01;

    private NetworkExecutor<float> _executor = null!;
    private float[] _input = null!;

    /// <summary>Fraction of input channels spiking in the step.</summary>
    [Params(0.01, 0.10)]
    public double InputDensity { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var weights = RandomConnectivity.Bernoulli(
            Outputs, Inputs, ConnectionProbability, (post, pre) => ((post + pre) & 1) == 0 ? 0.5f : -0.25f,
            DeterministicRandom.ForComponent(1, "bench.sparse.weights"));
        var network = new Network(
            [new InputNode("in", [Inputs]), new SparseNode("w", weights), new OutputNode("out", [Outputs])],
            [new Edge("in", "w"), new Edge("w", "out")]);
        _executor = new NetworkExecutor<float>(network, dt: 1e-3);

        // Exactly round(density x Inputs) distinct spiking channels (partial Fisher-Yates).
        var order = Enumerable.Range(0, Inputs).ToArray();
        var rng = DeterministicRandom.ForComponent(1, "bench.sparse.input");
        var spiking = (int)Math.Round(InputDensity * Inputs);
        _input = new float[Inputs];
        for (var k = 0; k < spiking; k++)
        {
            var j = k + rng.NextInt(Inputs - k);
            (order[k], order[j]) = (order[j], order[k]);
            _input[order[k]] = 1f;
        }
        _executor.Step(_input);
    }

    /// <summary>One timestep of the whole (three-node) network.</summary>
    [Benchmark]
    public float Step()
    {
        _executor.Step(_input);
        return _executor.OutputOf("out")[0];
    }
}

/// <summary>
/// One timestep of the Vogels-Abbott CUBA network (4000 neurons, about 320 k synapses) in its
/// self-sustained firing regime: <see cref="CubaSimulation.Step"/> (integrate, threshold, deliver along
/// the fan-out lists, reset).
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("SpikeDelivery")]
public class CubaNetworkBenchmarks
{
    private const int WarmUpSteps = 3000; // 300 ms of simulated time at dt = 0.1 ms

    private CubaSimulation _simulation = null!;

    [GlobalSetup]
    public void Setup()
    {
        var network = CubaNetwork.Build(new CubaParameters(), 1);
        _simulation = new CubaSimulation(network, 1);
        for (var s = 0; s < WarmUpSteps; s++)
        {
            _simulation.Step();
        }
        // Printed into the benchmark log: confirms the network is firing, not silent or saturated.
        var spikesBefore = _simulation.Spikes;
        var eventsBefore = _simulation.SynapticEvents;
        const int probe = 1000;
        for (var s = 0; s < probe; s++)
        {
            _simulation.Step();
        }
        var rateHz = (_simulation.Spikes - spikesBefore) / (network.Parameters.Neurons * probe * network.Parameters.Dt / 1000);
        Console.WriteLine(
            $"// CUBA warm-up: {network.Synapses} synapses, {rateHz:F1} Hz mean rate, " +
            $"{(_simulation.SynapticEvents - eventsBefore) / (double)probe:F0} synaptic events per step");
    }

    /// <summary>One timestep (0.1 ms of simulated time).</summary>
    [Benchmark]
    public long Step()
    {
        _simulation.Step();
        return _simulation.Spikes;
    }
}
