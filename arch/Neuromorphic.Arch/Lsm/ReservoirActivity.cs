using System.Globalization;

namespace Neuromorphic.Arch.Lsm;

/// <summary>
/// The health of a reservoir's activity: the share of neuron-timesteps with a spike. A liquid that
/// hardly fires carries little of its input; one that fires most of the time is saturated and
/// forgets it (the paper's reservoir on N-MNIST fires in about 7 % of neuron-timesteps).
/// </summary>
public static class ReservoirActivity
{
    /// <summary>Below this share of neuron-timesteps with a spike the reservoir is called silent.</summary>
    public const double Low = 0.01;

    /// <summary>Above this share the reservoir is called saturated.</summary>
    public const double High = 0.5;

    /// <summary>A warning for an activity outside [<see cref="Low"/>, <see cref="High"/>], or null when it lies inside.</summary>
    /// <param name="activity">Share of neuron-timesteps with a spike, in [0, 1].</param>
    public static string? Warning(double activity)
    {
        string Pct(double x) => (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + " %";
        if (activity > High)
            return $"reservoir activity {Pct(activity)} of neuron-timesteps is above {Pct(High)}: the reservoir is saturated " +
                   "(lower lsm.input_gain or the recurrent gains, or raise lsm.threshold)";
        if (activity < Low)
            return $"reservoir activity {Pct(activity)} of neuron-timesteps is below {Pct(Low)}: the reservoir is nearly silent " +
                   "(raise lsm.input_gain or lower lsm.threshold)";
        return null;
    }
}
