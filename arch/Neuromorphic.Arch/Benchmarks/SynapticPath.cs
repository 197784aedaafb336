using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Digital;

namespace Neuromorphic.Arch.Benchmarks;

/// <summary>
/// The synaptic path of a run's energy breakdown: every component that carries a spike to its synapses and weights it
/// (the macros' arrays, drivers, ADCs and shift-adds, tile I/O, the NoC, the partial sums added on the neuron core's
/// lanes), that is everything but the neuron core's neuron updates and spikes. Divided by synaptic events it is comparable with <c>inspect</c>'s macro-only
/// energy per synaptic event plus the transport around it; the run's all-energy figure also carries every neuron's update
/// and the leakage.
/// </summary>
public static class SynapticPath
{
    /// <summary>Dynamic energy of the synaptic path, pJ (leakage excluded: it does not scale with events).</summary>
    public static double DynamicPj(EnergyAccount account) =>
        account.Lines.Where(l => l.Component != DigitalNeuronUnit.Component || l.Action == DigitalNeuronUnit.AddAction).Sum(l => l.DynamicPj);
}
