namespace Neuromorphic.Hw.Devices;

/// <summary>How the cells of an RRAM array receive their conductances.</summary>
/// <remarks>
/// The device records the scheme an architecture asks for; the mapper chooses accordingly between
/// <see cref="RramDevice.Program(int, ulong, int, int)"/> (write-verify to a target level, for trained weights) and
/// <see cref="RramDevice.ProgramStochastic(StochasticStreams)"/> (one forming/SET pulse, for random reservoir weights).
/// </remarks>
public enum ProgrammingScheme
{
    /// <summary>Iterative program-and-verify to a target conductance level.</summary>
    WriteVerify,

    /// <summary>One stochastic SET/forming pulse; the resulting conductance is random (<see cref="RramDeviceParameters.PulseDistribution"/>).</summary>
    StochasticPulse,
}
