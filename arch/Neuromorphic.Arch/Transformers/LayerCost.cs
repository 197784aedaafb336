namespace Neuromorphic.Arch.Transformers;

/// <summary>What one layer of a spike-driven transformer cost on the chip, over the timesteps run.</summary>
/// <param name="Layer">Layer name.</param>
/// <param name="Kind">Layer kind.</param>
/// <param name="Target">Where it ran: <c>rram</c>, <c>digital</c>, <c>sdsa</c> or <c>neuron</c>.</param>
/// <param name="InputRate">Mean firing rate of its binary input (1 for real-valued input).</param>
/// <param name="DenseOps">Synaptic operations with every input active and every weight non-zero (NeuroBench "dense"), over the timesteps run.</param>
/// <param name="EffectiveAcs">Accumulations actually needed: binary inputs that were active times their fan-out.</param>
/// <param name="EffectiveMacs">Multiply-accumulates (real-valued input: the encoding conv).</param>
/// <param name="MembraneUpdates">Neuron updates (LIF layers).</param>
/// <param name="Macros">Macros holding the layer (RRAM layers).</param>
/// <param name="EnergyPj">Dynamic energy of the layer.</param>
/// <param name="LatencyCycles">Hardware time of the layer, base cycles, over the timesteps run.</param>
/// <param name="Parameters">Parameters of the layer.</param>
public sealed record LayerCost(string Layer, string Kind, string Target, double InputRate, double DenseOps, double EffectiveAcs,
    double EffectiveMacs, double MembraneUpdates, int Macros, double EnergyPj, double LatencyCycles, long Parameters);
