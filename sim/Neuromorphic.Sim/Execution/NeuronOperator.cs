using Neuromorphic.Sim.Neurons;

namespace Neuromorphic.Sim.Execution;

/// <summary>Runs a neuron population's dynamics.</summary>
internal sealed class NeuronOperator<T>(INeuronDynamics<T> dynamics) : IOperator<T> where T : unmanaged
{
    public INeuronDynamics<T> Dynamics { get; } = dynamics;
    public void Forward(ReadOnlySpan<T> input, Span<T> output) => Dynamics.Step(input, output);
    public bool Stateless => false;
    public void Reset() => Dynamics.Reset();
}
