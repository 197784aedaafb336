namespace Neuromorphic.Sim.Workloads;

/// <summary>How the displacement progresses in time within one <see cref="Saccade"/>.</summary>
public enum SaccadeProfile
{
    /// <summary>Constant velocity from start to end (the simplest model of a pan-tilt move).</summary>
    Linear,

    /// <summary>
    /// Raised-cosine position, s(u) = (1 - cos(pi u)) / 2: zero velocity at both ends and peak
    /// velocity (pi/2 times the mean) mid-way, like a motor that accelerates and brakes, so the
    /// event rate swells mid-saccade as in real N-MNIST recordings.
    /// </summary>
    Smooth,
}
