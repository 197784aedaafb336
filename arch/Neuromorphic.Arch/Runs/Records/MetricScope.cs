namespace Neuromorphic.Arch.Runs.Records;

/// <summary>What a metric's value refers to: the question a reader of <c>summary.json</c> asks first.</summary>
public enum MetricScope
{
    /// <summary>Names the run: configuration, seed, architecture, tool version. Not a measurement.</summary>
    Identity,
    /// <summary>A size or setting of the run (timesteps, neurons, macros), fixed before it starts.</summary>
    Setting,
    /// <summary>Summed or measured over the whole run (every sample, every timestep).</summary>
    WholeRun,
    /// <summary>The mean over inferences (one inference = one sample; a benchmark without samples is one inference).</summary>
    PerInference,
    /// <summary>The mean over timesteps (every sample's timesteps).</summary>
    PerTimestep,
    /// <summary>Per synaptic operation or per event.</summary>
    PerOperation,
}
