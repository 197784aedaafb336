using Neuromorphic.Traces;

namespace Neuromorphic.Sim.Execution;

/// <summary>What a run produced: per output node, per recorded node, one row per timestep.</summary>
/// <param name="Outputs">By output node name: [timesteps x size].</param>
/// <param name="Activity">By recorded node name: its output per timestep.</param>
/// <param name="Membranes">By recorded neuron node name: its membrane per timestep.</param>
/// <param name="Spikes">Total spikes emitted by spiking populations over the run.</param>
/// <param name="StepStartCycles">Kernel cycle at which each timestep began.</param>
public sealed record RunResult(
    IReadOnlyDictionary<string, SpikeRaster> Outputs,
    IReadOnlyDictionary<string, SpikeRaster> Activity,
    IReadOnlyDictionary<string, SpikeRaster> Membranes,
    long Spikes,
    IReadOnlyList<long> StepStartCycles);
