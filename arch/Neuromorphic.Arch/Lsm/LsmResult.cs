using Neuromorphic.Hw.Costs;

namespace Neuromorphic.Arch.Lsm;

/// <summary>What an LSM experiment measured.</summary>
public sealed record LsmResult
{
    /// <summary>Test accuracy of the headline readout (the first of <c>readout.readouts</c>) on the chip's reservoir.</summary>
    public double Accuracy { get; init; }
    /// <summary>Training accuracy (train and validation samples) on the chip's reservoir.</summary>
    public double TrainAccuracy { get; init; }
    /// <summary>Test accuracy of the same readout on the ideal software reservoir (exact weights, no device effects).</summary>
    public double SoftwareAccuracy { get; init; }
    /// <summary>Test accuracy of the same readout on the raw binned input (no reservoir).</summary>
    public double BaselineAccuracy { get; init; }
    /// <summary>Regularisation the ridge readout chose on the validation split for the chip's reservoir (NaN without a ridge readout).</summary>
    public double Lambda { get; init; } = double.NaN;
    /// <summary>Every readout trained, the headline first.</summary>
    public IReadOnlyList<ReadoutScore> Readouts { get; init; } = [];
    /// <summary>Share of the chip reservoir's neuron-timesteps with a spike.</summary>
    public double ReservoirActivity { get; init; }
    /// <summary>Share of the software reservoir's neuron-timesteps with a spike.</summary>
    public double SoftwareReservoirActivity { get; init; }
    /// <summary>Warnings about the run (e.g. a silent or saturated reservoir), for the table and <c>summary.json</c>.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
    /// <summary>Samples run, and the split sizes.</summary>
    public int Samples { get; init; }
    /// <summary>Training samples.</summary>
    public int TrainSamples { get; init; }
    /// <summary>Validation samples.</summary>
    public int ValidationSamples { get; init; }
    /// <summary>Test samples.</summary>
    public int TestSamples { get; init; }
    /// <summary>Classes.</summary>
    public int Classes { get; init; }
    /// <summary>Timesteps per sample.</summary>
    public int Timesteps { get; init; }
    /// <summary>Lock-step co-simulation: agreeing spikes / spikes of either (Jaccard), over every sample and step.</summary>
    public double GoldenSpikeAgreement { get; init; }
    /// <summary>Free-running: the chip's spikes against the software reservoir's, same input, each running on its own (Jaccard).</summary>
    public double FreeRunningSpikeAgreement { get; init; }
    /// <summary>Energy per inference (one sample), J: the ledger priced plus leakage over the inference time.</summary>
    public double EnergyPerInferenceJ { get; init; }
    /// <summary>Total energy over every sample run, J.</summary>
    public double EnergyJ { get; init; }
    /// <summary>
    /// Mean hardware latency of one inference, base cycles: its timesteps (first step's start to last step's end) and
    /// its readout after them (<see cref="ReadoutLatencyCycles"/>), until the class is known.
    /// </summary>
    public double LatencyPerInferenceCycles { get; init; }
    /// <summary>Mean base cycles from an inference's last step's end until its readout's multiply-accumulates are done (<see cref="ReadoutTiming"/>).</summary>
    public double ReadoutLatencyCycles { get; init; }
    /// <summary>The readout's timing on the accumulate core, per inference (null for a result not from a run).</summary>
    public ReadoutTiming? Readout { get; init; }
    /// <summary>Mean hardware latency of one timestep, base cycles.</summary>
    public double LatencyPerTimestepCycles { get; init; }
    /// <summary>How the chip's timesteps ran: <c>barrier</c> or <c>pipelined</c>.</summary>
    public string Execution { get; init; } = "barrier";
    /// <summary>Mean cycles between successive timestep completions within an inference (the inverse of the step throughput).</summary>
    public double StepIntervalCycles { get; init; }
    /// <summary>Mean hardware latency of one timestep per timestep index, base cycles.</summary>
    public double[] LatencyByTimestepCycles { get; init; } = [];
    /// <summary>Base clock (for converting cycles to seconds).</summary>
    public double BaseClockHz { get; init; }
    /// <summary>Duration of one timestep of the workload (the bin width), s.</summary>
    public double TimestepSeconds { get; init; }
    /// <summary>Share of input channel-steps without an event.</summary>
    public double InputSparsity { get; init; }
    /// <summary>Share of neuron-steps without a spike.</summary>
    public double ReservoirSparsity { get; init; }
    /// <summary>Input activity per timestep index (share of channels active), averaged over samples.</summary>
    public double[] InputActivityByTimestep { get; init; } = [];
    /// <summary>Reservoir activity per timestep index, averaged over samples.</summary>
    public double[] ReservoirActivityByTimestep { get; init; } = [];
    /// <summary>Reservoir spikes over every sample.</summary>
    public long Spikes { get; init; }
    /// <summary>Input events (active channel-steps) over every sample.</summary>
    public long InputEvents { get; init; }
    /// <summary>Synaptic events over every sample (active inputs and spikes times their fan-out).</summary>
    public long SynapticEvents { get; init; }
    /// <summary>Area of the powered components (macros with periphery, neuron cores, routers), um^2.</summary>
    public double ChipAreaUm2 { get; init; }
    /// <summary>Macros and tiles used.</summary>
    public int Macros { get; init; }
    /// <summary>Tiles used.</summary>
    public int Tiles { get; init; }
    /// <summary>Reservoir neurons.</summary>
    public int Neurons { get; init; }
    /// <summary>Input channels.</summary>
    public int Inputs { get; init; }
    /// <summary>One-time energy of programming the reservoir (stochastic pulses), J.</summary>
    public double ProgrammingEnergyJ { get; init; }

    /// <summary>The run under the architecture's power policy: energy at real time and at full throughput, leakage power, times, areas.</summary>
    public Architecture.PowerSummary? Power { get; init; }
    /// <summary>The reservoir as a network with exact weights (for NIR export).</summary>
    public Neuromorphic.Sim.Networks.Network? Network { get; init; }
    /// <summary>SHA-256 (16 hex digits) of the reservoir's conductances: which network produced the activity.</summary>
    public string NetworkHash { get; init; } = "";
    /// <summary>The chip reservoir's spikes per sample (for traces).</summary>
    public IReadOnlyList<Neuromorphic.Traces.SpikeRaster> ChipSpikes { get; init; } = [];
    /// <summary>The software reservoir's spikes per sample (for traces).</summary>
    public IReadOnlyList<Neuromorphic.Traces.SpikeRaster> SoftwareSpikes { get; init; } = [];
    /// <summary>Lock-step co-simulation counts: agreeing spikes, chip-only, golden-only.</summary>
    public (long Agree, long ChipOnly, long GoldenOnly) GoldenCounts { get; init; }
    /// <summary>The input spikes of the first sample, [timesteps x inputs] (for the report's raster).</summary>
    public Neuromorphic.Traces.SpikeRaster? FirstInput { get; init; }
    /// <summary>The chip reservoir's spikes for the first sample, [timesteps x neurons].</summary>
    public Neuromorphic.Traces.SpikeRaster? FirstReservoir { get; init; }
    /// <summary>The priced ledger over every sample.</summary>
    public required EnergyAccount Account { get; init; }
    /// <summary>The cost table in force.</summary>
    public required CostTable Costs { get; init; }
    /// <summary>Wall time of the whole experiment, s.</summary>
    public double WallSeconds { get; init; }

    /// <summary>The chip program (the reservoir as mapped), for the per-node files.</summary>
    public Mapping.ChipProgram? Program { get; init; }

    /// <summary>The chip executor's run: per node (macros, reads, spikes on chip and in the golden model, agreement) and per unit (utilisation).</summary>
    public Execution.ChipRunResult? ChipRun { get; init; }
}

/// <summary>One trained readout's test accuracies.</summary>
/// <param name="Kind">The readout.</param>
/// <param name="Features">Its features (<c>rates</c>, <c>binned_counts_10</c>, ...).</param>
/// <param name="Accuracy">Test accuracy on the chip's reservoir.</param>
/// <param name="TrainAccuracy">Accuracy on the samples it was trained on (chip's reservoir).</param>
/// <param name="SoftwareAccuracy">Test accuracy of the same readout on the software reservoir.</param>
/// <param name="BaselineAccuracy">Test accuracy of the same readout on the raw input.</param>
/// <param name="Training">How the chip's readout was fitted (<c>lambda 100</c>, <c>300 Adam steps, ...</c>).</param>
/// <param name="Steps">Optimiser steps (softmax), 0 for the closed-form ridge.</param>
public sealed record ReadoutScore(ReadoutKind Kind, string Features, double Accuracy, double TrainAccuracy, double SoftwareAccuracy,
    double BaselineAccuracy, string Training, long Steps = 0)
{
    /// <summary>The readout's name in summaries: <c>ridge</c> or <c>softmax</c>.</summary>
    public string Name => Kind.ToString().ToLowerInvariant();
}
