using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Runs.Records;
using Neuromorphic.Sim.Benchmarks;

namespace Neuromorphic.Arch.Benchmarks;

/// <summary>
/// The run records of the CUBA benchmark, in the metric catalogue's names. CUBA has no samples: the
/// whole simulated duration is one inference, so <c>latency_cycles</c> (per inference) is the run's
/// hardware time, as the catalogue defines it for every workload.
/// </summary>
public static class CubaRecord
{
    /// <summary>The functional run's figures (the <c>functional_only</c> section).</summary>
    public static RunRecord Functional(CubaReport f) => new RunRecord()
        .Count("neurons", f.Neurons)
        .Count("synapses", f.Synapses)
        .Count("spikes", f.Spikes)
        .Number("firing_rate_Hz", f.RateHz)
        .Number("duration_s", f.DurationSeconds)
        .Count("seed", f.Seed)
        .Count("synaptic_events", f.SynapticEvents)
        .Number("synaptic_events_per_s", f.SynapticEventsPerSecond)
        .Number("bytes_per_synapse", f.BytesPerSynapse)
        .Number("setup_s", f.SetupSeconds)
        .Number("sim_loop_s", f.SimLoopSeconds)
        .Number("loop_cpu_s", f.LoopCpuSeconds)
        .Count("threads", f.LoopThreads)
        .Number("wall_real_time_factor", f.RealTimeFactor);

    /// <summary>The hardware run's record, with the functional run beside it.</summary>
    /// <param name="spec">The architecture.</param>
    /// <param name="parameters">The network's parameters (its timestep).</param>
    /// <param name="functional">The functional-only run in the same process.</param>
    /// <param name="h">The hardware run.</param>
    /// <param name="slowdown">Host time of the hardware loop over the functional loop.</param>
    public static RunRecord Hardware(ArchitectureSpec spec, CubaParameters parameters, CubaReport functional, CubaHardwareReport h, double slowdown)
    {
        var f = h.Functional;
        var timestepS = parameters.Dt * 1e-3; // CubaParameters.Dt is in ms (Brian2's CUBA example)
        var timesteps = (long)Math.Round(f.DurationSeconds / timestepS);
        var latencyS = h.LatencyCycles / spec.BaseClockHz;
        var synapticEvents = f.SynapticEvents;
        var record = new RunRecord()
            .Text("tool_version", typeof(CubaRecord).Assembly.GetName().Version?.ToString())
            .Text("name", "cuba")
            .Count("seed", f.Seed)
            .Text("architecture", h.Architecture)
            .Number("technology_nm", spec.TechnologyNm)
            .Number("base_clock_hz", spec.BaseClockHz)
            .Count("timesteps", timesteps)
            .Number("timestep_s", timestepS)
            .Number("duration_s", f.DurationSeconds)
            .Count("samples", 1)
            .Count("neurons", f.Neurons)
            .Count("synapses", f.Synapses)
            .Count("macros", h.Macros)
            .Count("tiles", h.Tiles)
            .Number("macro_utilisation", h.Utilisation)
            .Number("energy_J", h.EnergyJ)
            .Number("dynamic_energy_J", h.DynamicEnergyJ)
            .Number("energy_per_inference_J", h.EnergyJ)
            .Number("energy_per_synaptic_op_pJ", synapticEvents == 0 ? double.NaN : h.EnergyJ * 1e12 / synapticEvents)
            .Number("synaptic_path_energy_per_event_pJ", synapticEvents == 0 ? double.NaN : SynapticPath.DynamicPj(h.Account) / synapticEvents)
            .Map("energy_by_component_pJ", h.Account.Lines.GroupBy(l => l.Component)
                .Select(g => KeyValuePair.Create(g.Key, g.Sum(l => l.DynamicPj + l.LeakagePj))))
            .Number("latency_cycles", h.LatencyCycles)
            .Number("latency_s", latencyS)
            .Number("latency_per_timestep_cycles", h.MeanStepLatencyCycles)
            .Text("execution", h.Execution)
            .Text("word_lines", spec.Mapping.WordLines.ToString().ToLowerInvariant())
            .Text("neuron_placement", h.NeuronPlacement)
            .Text("macro_order", spec.Mapping.MacroOrderName)
            .Text("one_signed_layers", spec.Mapping.OneSignedLayersName)
            .Number("step_interval_cycles", h.StepIntervalCycles)
            .Number("throughput_steps_per_s", h.StepIntervalCycles <= 0 ? null : spec.BaseClockHz / h.StepIntervalCycles)
            .Number("latency_per_timestep_s", h.MeanStepLatencyNs * 1e-9)
            .Number("max_latency_per_timestep_s", h.MaxStepLatencyNs * 1e-9)
            .Number("real_time_factor", h.HardwareRealTimeFactor)
            .Number("edp_Js", h.EnergyJ * latencyS)
            .Count("spikes", f.Spikes)
            .Number("firing_rate_Hz", f.RateHz)
            .Count("synaptic_events", synapticEvents)
            .Count("macro_operations", h.MacroOperations)
            .Number("programming_energy_J", h.ProgrammingEnergyJ)
            .Count("programming_pulses", h.ProgrammingPulses)
            .Count("verify_reads", h.VerifyReads)
            .Number("setup_s", h.SetupSeconds)
            .Number("sim_loop_s", f.SimLoopSeconds)
            .Number("hardware_over_functional_time", slowdown)
            .Number("loop_cpu_s", h.LoopCpuSeconds)
            .Number("hardware_over_functional_cpu", functional.LoopCpuSeconds > 0 ? h.LoopCpuSeconds / functional.LoopCpuSeconds : double.NaN)
            .Count("threads", h.Threads)
            .Number("function_pass_s", h.FunctionPassSeconds)
            .Number("timing_wait_s", h.TimingWaitSeconds)
            .Count("producer_timed_steps", h.ProducerTimedSteps)
            .Count("producer_turned_down_steps", h.ProducerTurnedDownSteps)
            .Number("producer_timing_s", h.ProducerTimingSeconds)
            .Number("kernel_events_per_step", h.KernelEventsPerStep)
            .Number("noc_packets_per_step", h.NocPacketsPerStep)
            .Number("noc_hops_per_step", h.NocHopsPerStep)
            .Number("noc_queued_share", h.NocQueuedShare)
            .Count("spikes_identical_to_functional", h.SpikesIdentical ? 1 : 0)
            .Text("neuron_core_arithmetic", h.NeuronCore)
            .Count("fixed_point_saturations", h.Saturations)
            .Section("functional_only", Functional(functional));
        if (h.Power is { } power) power.AddTo(record, 1).Number("chip_area_um2", power.AreaUm2);
        return record;
    }
}
