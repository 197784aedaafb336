using System.Text.Json.Serialization;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>The figures of one CUBA benchmark run (names as in the <c>--json</c> output).</summary>
/// <param name="Neurons">Neurons.</param>
/// <param name="Synapses">Synapses drawn.</param>
/// <param name="Spikes">Spikes over the run.</param>
/// <param name="RateHz">Mean firing rate over all neurons.</param>
/// <param name="SimLoopSeconds">Wall time of the simulation loop alone.</param>
/// <param name="SetupSeconds">Wall time to draw the network and state.</param>
/// <param name="DurationSeconds">Simulated (biological) time.</param>
/// <param name="RealTimeFactor">Loop wall time / simulated time (below 1 is faster than real time).</param>
/// <param name="SynapticEvents">Spikes delivered along synapses.</param>
/// <param name="SynapticEventsPerSecond">Synaptic events per wall-clock second of the loop.</param>
/// <param name="BytesPerSynapse">Bytes of every array the network and its simulation hold (synapses, block ends, neuron state, spike lists, delivery buckets, and the run's own spike lists and buckets), per synapse: counted, so it does not depend on what else the process holds.</param>
/// <param name="Seed">Run seed.</param>
/// <param name="RateQuantilesHz">Per-neuron rate at the 10, 25, 50, 75 and 90 % quantiles.</param>
/// <param name="Threads">Threads requested (all of them draw the synapses).</param>
/// <param name="LoopCpuSeconds">Processor time the whole process spent during the loop (all threads, spinning included): with one thread, a figure that other processes competing for the cores do not inflate.</param>
/// <param name="HeapBytesPerSynapse">Managed heap grown by building the network and its state, per synapse (measured with full collections; other allocations of the process at the same time distort it).</param>
/// <param name="SetupCpuSeconds">Processor time of the set-up (all threads).</param>
/// <param name="LoopIdleThreadSeconds">Thread-seconds the loop's threads spent in its steps without work (woken late, or waiting at a step's end for the others); 0 on one thread.</param>
/// <param name="LoopGroupsTaken">Groups of destination blocks a loop thread integrated for another thread (taken from its home run when it fell behind).</param>
/// <param name="LoopThreads">Threads that ran the simulation loop (at most one per destination block of 65,536 neurons).</param>
public sealed record CubaReport(
    int Neurons,
    long Synapses,
    long Spikes,
    double RateHz,
    [property: JsonPropertyName("sim_loop_s")] double SimLoopSeconds,
    [property: JsonPropertyName("setup_s")] double SetupSeconds,
    [property: JsonPropertyName("duration_s")] double DurationSeconds,
    double RealTimeFactor,
    long SynapticEvents,
    [property: JsonPropertyName("synaptic_events_per_s")] double SynapticEventsPerSecond,
    double BytesPerSynapse,
    ulong Seed,
    IReadOnlyList<double> RateQuantilesHz,
    int Threads = 1,
    int LoopThreads = 1,
    [property: JsonPropertyName("loop_cpu_s")] double LoopCpuSeconds = 0,
    double HeapBytesPerSynapse = 0,
    [property: JsonPropertyName("setup_cpu_s")] double SetupCpuSeconds = 0,
    [property: JsonPropertyName("loop_idle_thread_s")] double LoopIdleThreadSeconds = 0,
    long LoopGroupsTaken = 0);
