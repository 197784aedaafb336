namespace Neuromorphic.Arch.Execution;

/// <summary>
/// An ideal CUBA population's conductances (ge for inputs 0..N-1, gi for N..2N-1) and this step's stored weights, where
/// a crossbar whose reads only count events adds each event's weight as it reads it (<see cref="CrossbarRuntime.FuseInto"/>),
/// instead of writing the count into its output for the population to turn back into additions of the weight
/// (<c>CubaCore.AddInputs</c>). Each event is one addition of the weight either way, and additions of one weight to one
/// conductance give the same float whatever their order, so the state is the same bit for bit.
/// </summary>
internal sealed class CubaEventSink(float[] ge, float[] gi)
{
    /// <summary>The excitatory conductances, one per neuron.</summary>
    public readonly float[] Ge = ge;

    /// <summary>The inhibitory conductances, one per neuron.</summary>
    public readonly float[] Gi = gi;

    /// <summary>Neurons (inputs at or past it are inhibitory).</summary>
    public readonly int N = ge.Length;

    /// <summary>This step's stored increments of ge and gi per event (the core keeps them current: its next step's).</summary>
    public float WeightE, WeightI;
}
