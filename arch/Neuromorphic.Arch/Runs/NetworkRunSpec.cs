namespace Neuromorphic.Arch.Runs;

/// <summary>
/// A run configuration's <c>network</c> section: a NIR graph to run on the chip over the labelled
/// workload (class = argmax of the output's spike counts), instead of a built-in LSM.
/// </summary>
/// <param name="Nir">The NIR file (relative paths are relative to the configuration).</param>
/// <param name="Dt">The network's timestep in seconds; null = the encoding's bin width.</param>
public sealed record NetworkRunSpec(string Nir, double? Dt);
