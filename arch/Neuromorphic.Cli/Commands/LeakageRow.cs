using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Reports;
using Neuromorphic.Hw.Costs;

namespace Neuromorphic.Cli.Commands;

/// <summary>
/// The table row that says what leakage a run was charged under its power policy: the power, the time it was charged
/// over, and the energy that makes per inference. "35.42 µW over 300 ms real time" read as 10.6 µJ of leakage under
/// <c>idle</c>, which charges only the 23.97 µs busy (0.85 nJ).
/// </summary>
internal static class LeakageRow
{
    /// <summary>The row's label and value for <paramref name="power"/> over <paramref name="inferences"/> inferences.</summary>
    /// <param name="power">The run's power summary.</param>
    /// <param name="inferences">Inferences in the run.</param>
    /// <returns>Label and value (plain text, no markup).</returns>
    public static (string Label, string Value) Of(PowerSummary power, long inferences)
    {
        ArgumentNullException.ThrowIfNull(power);
        var n = Math.Max(1, inferences);
        var watts = Quantity.Si(power.Account.LeakagePowerW, "W");
        var busy = Quantity.Si(power.BusySeconds / n, "s");
        var period = Quantity.Si(power.RealTimeSeconds / n, "s");
        var energy = Quantity.Si(power.Account.LeakagePj * 1e-12 / n, "J");
        var charged = power.Gating switch
        {
            // PowerWindow.PoweredSeconds: none leaks over the longer of the period and the busy time.
            PowerGating.None => $"{watts} all the time, {Quantity.Si(Math.Max(power.RealTimeSeconds, power.BusySeconds) / n, "s")} (busy {busy})",
            PowerGating.Idle => $"{watts} while busy, {busy} of {period}",
            _ => $"up to {watts}, each unit while it works (busy {busy} of {period})",
        };
        return ($"leakage (power gating: {power.GatingName})", $"{charged}: {energy} per inference");
    }
}
