namespace Neuromorphic.Hw;

/// <summary>
/// Component clocks and the kernel's base clock: a component clocked at <c>hz</c> works on every
/// <c>baseHz / hz</c>-th base cycle, which must be a whole number. One rule for every component
/// and for the architecture loader that checks it first.
/// </summary>
public static class ClockRatio
{
    /// <summary>True if <paramref name="hz"/> divides <paramref name="baseHz"/> (a whole number of base cycles per component cycle, at least 1).</summary>
    public static bool Divides(double baseHz, double hz)
    {
        var ratio = baseHz / hz;
        return double.IsFinite(ratio) && ratio >= 1 - 1e-9 && Math.Abs(ratio - Math.Round(ratio)) <= 1e-9 * Math.Max(1, ratio);
    }
}
