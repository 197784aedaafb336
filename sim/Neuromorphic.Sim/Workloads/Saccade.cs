namespace Neuromorphic.Sim.Workloads;

/// <summary>
/// One straight movement of the scene on the sensor, from <see cref="From"/> to <see cref="To"/>
/// in <see cref="DurationUs"/> microseconds, following <see cref="Profile"/>.
/// </summary>
/// <param name="From">Displacement at the start.</param>
/// <param name="To">Displacement at the end.</param>
/// <param name="DurationUs">Duration in microseconds; must be positive.</param>
/// <param name="Profile">Position profile within the saccade.</param>
public sealed record Saccade(PixelOffset From, PixelOffset To, double DurationUs, SaccadeProfile Profile = SaccadeProfile.Linear)
{
    /// <summary>The net displacement, <see cref="To"/> minus <see cref="From"/>.</summary>
    public PixelOffset Displacement => To - From;

    /// <summary>The same move traversed backwards (from <see cref="To"/> to <see cref="From"/>).</summary>
    public Saccade Reversed() => this with { From = To, To = From };

    /// <summary>Displacement at <paramref name="tUs"/> microseconds after the saccade starts (clamped to its span).</summary>
    public PixelOffset OffsetAt(double tUs)
    {
        var u = Math.Clamp(tUs / DurationUs, 0, 1);
        var s = Profile == SaccadeProfile.Smooth ? 0.5 * (1 - Math.Cos(Math.PI * u)) : u;
        return PixelOffset.Lerp(From, To, s);
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad field.</summary>
    /// <param name="name">How the caller refers to this saccade in messages (e.g. <c>saccade 2</c>).</param>
    public void Validate(string name = "saccade")
    {
        if (!(DurationUs > 0) || !double.IsFinite(DurationUs))
            throw new ArgumentException($"{name}: DurationUs must be a finite number > 0, found {DurationUs}");
        if (!From.IsFinite) throw new ArgumentException($"{name}: From must be finite, found {From}");
        if (!To.IsFinite) throw new ArgumentException($"{name}: To must be finite, found {To}");
        if (!Enum.IsDefined(Profile)) throw new ArgumentException($"{name}: Profile {(int)Profile} is not a known profile");
    }
}
