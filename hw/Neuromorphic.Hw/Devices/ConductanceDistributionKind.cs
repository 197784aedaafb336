namespace Neuromorphic.Hw.Devices;

/// <summary>Family of a <see cref="ConductanceDistribution"/>; the meaning of its parameters A and B depends on it.</summary>
public enum ConductanceDistributionKind
{
    /// <summary>Log-normal: A = median conductance (S), B = standard deviation of ln G.</summary>
    LogNormal,

    /// <summary>Normal: A = mean conductance (S), B = standard deviation (S); truncated to the device window when programmed.</summary>
    Normal,

    /// <summary>Uniform: A = lowest conductance (S), B = highest conductance (S).</summary>
    Uniform,
}
