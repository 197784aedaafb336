using System.Numerics;
using Neuromorphic.Sim.Neurons;

namespace Neuromorphic.Tests.Neurons;

/// <summary>Drives a one-neuron (or small) population step by step and collects its outputs and membranes.</summary>
internal static class NeuronRunner
{
    public static (T[] Output, T[] Membrane) Run<T>(INeuronDynamics<T> dynamics, IReadOnlyList<double> input)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var output = new T[input.Count];
        var membrane = new T[input.Count];
        var x = new T[1];
        var y = new T[1];
        for (var t = 0; t < input.Count; t++)
        {
            x[0] = T.CreateChecked(input[t]);
            dynamics.Step(x, y);
            output[t] = y[0];
            membrane[t] = dynamics.Membrane[0];
        }
        return (output, membrane);
    }

    public static int[] SpikeSteps<T>(T[] output) where T : unmanaged, IFloatingPointIeee754<T> =>
        output.Select((v, i) => (v, i)).Where(p => p.v > T.Zero).Select(p => p.i).ToArray();
}
