using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Reports;
using Neuromorphic.Cli.Commands;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Tests.Lsm;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

/// <summary>
/// The LSM table's leakage row says what was charged under the run's policy: the power, the time it was charged over
/// and the energy per inference. It printed "35.42 µW over 300 ms real time, 23.97 µs busy per inference" under
/// <c>idle</c>, which reads as 10.6 µJ of leakage where the run charged 0.85 nJ.
/// </summary>
public sealed class LeakageRowTests
{
    // Four inferences of 300 ms each, the chip busy 24 us in each.
    private const int Inferences = 4;
    private static readonly PowerWindow Window = new(Inferences * 0.3, Inferences * 24e-6);

    private static PowerSummary Priced(PowerGating gating) =>
        PowerAccounting.Price(new ChipModel(LsmTestData.Preset.Architecture with { Power = gating }), new Ledger(),
            new Dictionary<string, long> { [AccumulateCore.Component] = 1 }, Window);

    [Test]
    public void UnderIdleItChargesTheBusyTimeAndSaysSo()
    {
        var power = Priced(PowerGating.Idle);
        var (label, value) = LeakageRow.Of(power, Inferences);
        var watts = power.Account.LeakagePowerW;
        Assert.That(watts, Is.GreaterThan(0));
        Assert.That(label, Is.EqualTo("leakage (power gating: idle)"));
        Assert.That(value, Is.EqualTo($"{Quantity.Si(watts, "W")} while busy, 24 µs of 300 ms: {Quantity.Si(watts * 24e-6, "J")} per inference"));
    }

    [Test]
    public void WithoutGatingItChargesTheWholePeriod()
    {
        var power = Priced(PowerGating.None);
        var (_, value) = LeakageRow.Of(power, Inferences);
        var watts = power.Account.LeakagePowerW;
        Assert.That(value, Is.EqualTo($"{Quantity.Si(watts, "W")} all the time, 300 ms (busy 24 µs): {Quantity.Si(watts * 0.3, "J")} per inference"));
    }

    [Test]
    public void TheEnergyIsWhatTheAccountCharged()
    {
        foreach (var gating in new[] { PowerGating.None, PowerGating.Idle, PowerGating.PerUnit })
        {
            var power = Priced(gating);
            Assert.That(LeakageRow.Of(power, Inferences).Value, Does.EndWith($": {Quantity.Si(power.Account.LeakagePj * 1e-12 / Inferences, "J")} per inference"), gating.ToString());
        }
    }
}
