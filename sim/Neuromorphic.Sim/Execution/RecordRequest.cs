namespace Neuromorphic.Sim.Execution;

/// <summary>What a run records besides the network's outputs.</summary>
/// <param name="Activity">Nodes whose output (spikes, or values) is recorded every timestep.</param>
/// <param name="Membranes">Neuron nodes whose membrane potential (after reset) is recorded every timestep.</param>
public sealed record RecordRequest(IReadOnlyList<string> Activity, IReadOnlyList<string> Membranes)
{
    /// <summary>Outputs only.</summary>
    public static RecordRequest OutputsOnly { get; } = new([], []);
}
