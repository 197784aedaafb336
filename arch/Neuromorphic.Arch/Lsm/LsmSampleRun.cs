using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Lsm;

/// <summary>One sample through the reservoir on the chip.</summary>
/// <param name="Spikes">Reservoir spikes, [timesteps x neurons].</param>
/// <param name="StepLatencyCycles">Hardware time of each timestep, base cycles.</param>
/// <param name="AgreeingSpikes">Lock-step co-simulation: spikes both the chip and the golden model emitted.</param>
/// <param name="ChipOnlySpikes">Spikes the chip emitted and the golden model, started from the chip's state, did not.</param>
/// <param name="GoldenOnlySpikes">Spikes the golden model emitted and the chip did not.</param>
public sealed record LsmSampleRun(SpikeRaster Spikes, long[] StepLatencyCycles, long AgreeingSpikes, long ChipOnlySpikes, long GoldenOnlySpikes);
