namespace Neuromorphic.Sim.Neurons;

/// <summary>
/// The runtime state of one neuron population: advances every neuron by one algorithmic
/// timestep at once (vectorised), given the summed input of the step.
/// </summary>
/// <typeparam name="T">float (the default) or double (where a test needs the extra precision).</typeparam>
public interface INeuronDynamics<T> where T : unmanaged
{
    /// <summary>Number of neurons.</summary>
    int Size { get; }

    /// <summary>True if the output is binary spikes; false for integrators (LI, I) that output their state.</summary>
    bool Spiking { get; }

    /// <summary>Advances one timestep. <paramref name="output"/> receives spikes (0/1) or, for non-spiking models, the membrane state.</summary>
    void Step(ReadOnlySpan<T> input, Span<T> output);

    /// <summary>Membrane potential after this step's update and reset.</summary>
    ReadOnlySpan<T> Membrane { get; }

    /// <summary>Overwrites the membrane potential (used by the lock-step golden model to start from the hardware's state).</summary>
    void SetMembrane(ReadOnlySpan<T> membrane);

    /// <summary>Returns every state variable to its initial value.</summary>
    void Reset();
}
