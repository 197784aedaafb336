using System.Numerics;
using BenchmarkDotNet.Attributes;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Benchmarks;

/// <summary>
/// One timestep of a whole population, <see cref="INeuronDynamics{T}.Step"/>, for the LIF models.
/// The input is a fixed current, uniform in [0, 2) x threshold per neuron, so about half of the
/// neurons fire periodically and the rest settle below threshold (both branches of the spike kernel run).
/// LIF runs in float (the baseline) and double; CubaLIF and SpikingJelly's LIF in float; CubaLIF
/// also under snnTorch's semantics with its subtract rule (a scalar loop: the flag of the previous step).
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Population")]
public class PopulationBenchmarks
{
    private const double Dt = 1e-3;

    private Population<float> _lifFloat = null!;
    private Population<double> _lifDouble = null!;
    private Population<float> _cubaLif = null!;
    private Population<float> _spikingJelly = null!;
    private Population<float> _cubaSnnTorchSubtract = null!;

    /// <summary>Neurons in the population.</summary>
    [Params(4_096, 65_536)]
    public int Neurons { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var n = Neurons;
        var tau = NeuronModel.Fill(n, 0.02);
        var one = NeuronModel.Fill(n, 1.0);
        var zero = NeuronModel.Fill(n, 0.0);
        var lif = new LifModel(tau, r: one, vLeak: zero, vThreshold: one, vReset: zero);
        var cuba = new CubaLifModel(tauMem: tau, tauSyn: NeuronModel.Fill(n, 0.005), r: one, vLeak: zero, vThreshold: one, vReset: zero);
        var jelly = new SpikingJellyLifModel(n, tau: 2.0, vThreshold: 1.0, vReset: 0.0);

        _lifFloat = new Population<float>(lif.CreateDynamics<float>(Dt), n);
        _lifDouble = new Population<double>(lif.CreateDynamics<double>(Dt), n);
        _cubaLif = new Population<float>(cuba.CreateDynamics<float>(Dt), n);
        _spikingJelly = new Population<float>(jelly.CreateDynamics<float>(Dt), n);
        _cubaSnnTorchSubtract = new Population<float>(
            cuba.CreateDynamics<float>(Dt, new Discretisation(NirSemantics.SnnTorch, ResetMechanism.Subtract)), n);

        // Run past the initial transient so the measured steps see the periodic firing regime.
        for (var s = 0; s < 200; s++)
        {
            _lifFloat.Step();
            _lifDouble.Step();
            _cubaLif.Step();
            _spikingJelly.Step();
            _cubaSnnTorchSubtract.Step();
        }
    }

    /// <summary>NIR LIF, float.</summary>
    [Benchmark(Baseline = true)]
    public void Lif_Float() => _lifFloat.Step();

    /// <summary>NIR LIF, double.</summary>
    [Benchmark]
    public void Lif_Double() => _lifDouble.Step();

    /// <summary>NIR CubaLIF, float.</summary>
    [Benchmark]
    public void CubaLif_Float() => _cubaLif.Step();

    /// <summary>NIR CubaLIF under snnTorch's semantics and subtract rule, float.</summary>
    [Benchmark]
    public void CubaLif_SnnTorchSubtract_Float() => _cubaSnnTorchSubtract.Step();

    /// <summary>SpikingJelly LIFNode (hard reset), float.</summary>
    [Benchmark]
    public void SpikingJellyLif_Float() => _spikingJelly.Step();

    /// <summary>A population's dynamics with its fixed input and output buffers.</summary>
    private sealed class Population<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly INeuronDynamics<T> _dynamics;
        private readonly T[] _input;
        private readonly T[] _output;

        public Population(INeuronDynamics<T> dynamics, int size)
        {
            _dynamics = dynamics;
            _input = new T[size];
            _output = new T[size];
            var rng = DeterministicRandom.ForComponent(1, "bench.population.input");
            for (var i = 0; i < size; i++)
            {
                _input[i] = T.CreateChecked(2 * rng.NextDouble());
            }
        }

        public void Step() => _dynamics.Step(_input, _output);
    }
}
