using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Lsm;

/// <summary>An encoded, labelled sample: its input spike raster [timesteps x channels].</summary>
/// <param name="Input">Input spikes per timestep.</param>
/// <param name="Label">Class index.</param>
/// <param name="Split">Where the dataset placed it: train, test, or unassigned (the experiment splits it).</param>
public sealed record LsmSample(SpikeRaster Input, int Label, SampleSplit Split = SampleSplit.Unassigned);

/// <summary>A sample's place in the dataset's own split.</summary>
public enum SampleSplit
{
    /// <summary>The experiment decides (stratified, seeded).</summary>
    Unassigned,

    /// <summary>The dataset's training part (train or validation).</summary>
    Train,

    /// <summary>The dataset's test part.</summary>
    Test,
}
