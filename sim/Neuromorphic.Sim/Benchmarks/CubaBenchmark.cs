using System.Diagnostics;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>Builds, runs and measures the CUBA network: set-up apart from the simulation loop.</summary>
public static class CubaBenchmark
{
    /// <summary>Quantiles reported for the per-neuron rate distribution.</summary>
    public static IReadOnlyList<double> Quantiles { get; } = [0.10, 0.25, 0.50, 0.75, 0.90];

    /// <summary>Runs the benchmark for <paramref name="durationSeconds"/> of simulated time.</summary>
    /// <param name="parameters">Network parameters.</param>
    /// <param name="durationSeconds">Simulated time.</param>
    /// <param name="seed">Seed of connectivity and initial state.</param>
    /// <param name="perNeuronRatesHz">Receives each neuron's firing rate, if not null.</param>
    /// <param name="threads">Threads for set-up and loop (at least 1); results do not depend on it.</param>
    /// <param name="progress">Receives the fraction of the loop done, if not null.</param>
    public static CubaReport Run(CubaParameters parameters, double durationSeconds, ulong seed, double[]? perNeuronRatesHz = null,
        int threads = 1, Action<double>? progress = null)
    {
        if (!(durationSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(durationSeconds), durationSeconds, "duration must be positive");
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        var steps = checked((int)Math.Round(durationSeconds * 1000 / parameters.Dt));

        WarmUp(threads);
        // The heap is measured outside the set-up's time: full collections are not set-up work.
        var before = GC.GetTotalMemory(forceFullCollection: true);
        using var process = Process.GetCurrentProcess();
        var setupCpuBefore = process.TotalProcessorTime;
        var setup = Stopwatch.StartNew();
        var network = CubaNetwork.Build(parameters, seed, threads);
        var simulation = new CubaSimulation(network, seed);
        setup.Stop();
        process.Refresh();
        var setupCpu = (process.TotalProcessorTime - setupCpuBefore).TotalSeconds;
        var after = GC.GetTotalMemory(forceFullCollection: true);

        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var loop = Stopwatch.StartNew();
        simulation.Run(steps, threads, progress: progress);
        loop.Stop();
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        GC.KeepAlive(network);

        var simulated = steps * parameters.Dt / 1000;
        var rates = new double[parameters.Neurons];
        for (var i = 0; i < rates.Length; i++) rates[i] = simulation.SpikeCounts[i] / simulated;
        if (perNeuronRatesHz is not null)
        {
            if (perNeuronRatesHz.Length != rates.Length)
                throw new ArgumentException("the rate buffer must hold one entry per neuron", nameof(perNeuronRatesHz));
            rates.CopyTo(perNeuronRatesHz, 0);
        }
        var sorted = (double[])rates.Clone();
        Array.Sort(sorted);
        var seconds = loop.Elapsed.TotalSeconds;
        return new CubaReport(
            parameters.Neurons,
            network.Synapses,
            simulation.Spikes,
            simulation.Spikes / (parameters.Neurons * simulated),
            seconds,
            setup.Elapsed.TotalSeconds,
            simulated,
            seconds / simulated,
            simulation.SynapticEvents,
            simulation.SynapticEvents / seconds,
            network.Synapses == 0 ? 0 : (network.ConnectivityBytes + simulation.StateBytes + CubaParallelRun.WorkingBytes(network, threads)) / (double)network.Synapses,
            seed,
            Quantiles.Select(q => Quantile(sorted, q)).ToArray(),
            threads,
            Math.Min(threads, network.Blocks),
            cpu,
            network.Synapses == 0 ? 0 : (after - before) / (double)network.Synapses,
            setupCpu,
            simulation.IdleThreadSeconds,
            simulation.GroupsTaken);
    }

    /// <summary>
    /// Runs every code path of set-up and loop once on tiny networks (one block, and eight blocks on
    /// <paramref name="threads"/> threads), so that compiling them is not timed: the CLI compiles each
    /// method fully optimised on first use, which costs more than a small network's whole loop.
    /// </summary>
    private static void WarmUp(int threads)
    {
        var tiny = new CubaParameters { Neurons = 2000 };
        foreach (var block in new[] { CubaNetwork.MaxBlockNeurons, 250 })
        {
            var network = CubaNetwork.Build(tiny, 1, threads, block);
            new CubaSimulation(network, 1).Run(30, threads, progress: _ => { });
        }
    }

    /// <summary>Linear-interpolated quantile of sorted values (numpy's default method).</summary>
    public static double Quantile(IReadOnlyList<double> sorted, double q)
    {
        if (sorted.Count == 0) return double.NaN;
        var position = q * (sorted.Count - 1);
        var low = (int)Math.Floor(position);
        var high = Math.Min(low + 1, sorted.Count - 1);
        return sorted[low] + (position - low) * (sorted[high] - sorted[low]);
    }
}
