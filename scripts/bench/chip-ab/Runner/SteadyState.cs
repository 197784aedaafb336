using System.Diagnostics;
using System.Reflection;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Benchmarks;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Traces;

namespace ChipAb;

/// <summary>
/// The chip loop of <c>bench cuba --hardware</c> in its steady state: the executor the bench builds (CUBA on the preset,
/// neurons near their synapses, the bench's seed), warmed up as the bench warms it, then run in samples of a few
/// thousand steps (each a <see cref="ChipExecutor.RunSample(SpikeRaster)"/>, which starts the network from rest).
/// </summary>
public sealed class SteadyState
{
    private readonly ChipExecutor _executor;

    /// <summary>Builds and warms the executor.</summary>
    /// <param name="preset">Architecture preset or YAML file.</param>
    /// <param name="neurons">CUBA neurons.</param>
    /// <param name="threads">Executor threads.</param>
    public SteadyState(string preset, int neurons, int threads)
    {
        var spec = ArchitectureLoader.Load(preset);
        spec = spec with { Chip = spec.Chip with { NeuronPlacement = ArchitectureChoices.NeuronPlacement.Parse(CubaOnChip.DefaultPlacement) } };
        var parameters = new CubaParameters { Neurons = neurons };
        const ulong seed = 42;
        CubaOnChip.WarmUp(spec, parameters, seed, fixedPoint: false, threads);
        // The executor exactly as the bench builds it (CubaOnChip.Prepare is private: the bench's own code, not a copy).
        var prepare = typeof(CubaOnChip).GetMethod("Prepare", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("CubaOnChip.Prepare not found: this build's bench code differs");
        var prepared = prepare.Invoke(null, [spec, parameters, seed, false, threads])!;
        // The tuple's one ChipExecutor, by type (not by its place in the tuple, which a change of Prepare may move).
        var field = prepared.GetType().GetFields().SingleOrDefault(f => f.FieldType == typeof(ChipExecutor))
            ?? throw new InvalidOperationException("CubaOnChip.Prepare returns no single ChipExecutor: this build's bench code differs");
        _executor = (ChipExecutor)field.GetValue(prepared)!;
        _executor.RunSample(new SpikeRaster(600, 0));
    }

    /// <summary>Runs <paramref name="steps"/> steps: the function pass's seconds and the loop's wall seconds, per step, in microseconds.</summary>
    public double[] Sample(int steps)
    {
        var function = _executor.FunctionPassSeconds;
        var wall = Stopwatch.StartNew();
        _executor.RunSample(new SpikeRaster(steps, 0));
        wall.Stop();
        return [(_executor.FunctionPassSeconds - function) / steps * 1e6, wall.Elapsed.TotalSeconds / steps * 1e6];
    }
}
