namespace Neuromorphic.Sim.Kernel;

/// <summary>
/// A clock domain: a component in this domain is clocked every <see cref="Ratio"/> base cycles,
/// with edges at the multiples of <see cref="Ratio"/>. All kernel time is in base cycles; domains only
/// decide where a component's work may land.
/// </summary>
/// <param name="Name">Display name of the domain (e.g. "noc", "adc").</param>
/// <param name="Ratio">Clock period in base cycles; must be at least 1.</param>
public readonly record struct ClockDomain(string Name, int Ratio)
{
    /// <summary>The base clock itself: <c>("base", 1)</c>.</summary>
    public static ClockDomain Base { get; } = new("base", 1);

    /// <summary>Display name of the domain.</summary>
    public string Name { get; init => field = value ?? throw new ArgumentNullException(nameof(Name)); }
        = Name ?? throw new ArgumentNullException(nameof(Name));

    /// <summary>Clock period in base cycles (at least 1).</summary>
    // Validated in both the primary constructor and the init accessor so a `with` expression cannot
    // produce a domain whose edges would divide by zero.
    public int Ratio { get; init => field = CheckRatio(value); } = CheckRatio(Ratio);

    /// <summary>The smallest multiple of <see cref="Ratio"/> that is greater than or equal to <paramref name="cycle"/>.</summary>
    /// <param name="cycle">A base cycle.</param>
    /// <returns>The first clock edge of this domain at or after <paramref name="cycle"/>.</returns>
    public long NextEdge(long cycle)
    {
        int ratio = RatioOrThrow();
        long rem = cycle % ratio;
        if (rem == 0)
        {
            return cycle;
        }
        // C# remainders take the sign of the dividend, so a negative cycle is already rounded up by
        // subtracting its (negative) remainder.
        return rem > 0 ? checked(cycle - rem + ratio) : cycle - rem;
    }

    /// <summary>Converts a count of this domain's clock cycles to base cycles.</summary>
    /// <param name="localCycles">Cycles of this domain's clock.</param>
    /// <returns><c>localCycles * Ratio</c>.</returns>
    public long ToBase(long localCycles) => checked(localCycles * RatioOrThrow());

    private static int CheckRatio(int ratio) =>
        ratio >= 1 ? ratio : throw new ArgumentOutOfRangeException(nameof(Ratio), ratio, "Clock ratio must be at least 1 base cycle.");

    // default(ClockDomain) bypasses every constructor; refuse it here rather than divide by zero.
    private int RatioOrThrow() =>
        Ratio >= 1 ? Ratio : throw new InvalidOperationException("Uninitialised ClockDomain (Ratio 0); use ClockDomain.Base or the constructor.");
}
