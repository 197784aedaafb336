using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Benchmarks;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Tests.Lsm;
using NUnit.Framework;

namespace Neuromorphic.Tests.Arch;

/// <summary>
/// Issue 14: leakage over the time the chip is powered, one rule for every workload. Energy = dynamic +
/// leakage power x the policy's powered time: the real-time period (none), the busy time (idle), or each
/// class's own busy time (per_unit: measured units, else counts x occupancy; PerUnitGatingTests checks both against
/// closed forms). Recomputed here from the breakdown rows, the cost table and the run's reported times.
/// </summary>
public sealed class PowerPolicyTests
{
    private static readonly CubaParameters Small = new() { Neurons = 1000 };

    /// <param name="timed">Classes the run times itself, not by occupancy (the LSM's accumulate core: ReadoutTimingTests).</param>
    private static void CheckRule(PowerSummary power, CostTable costs, params string[] timed)
    {
        var account = power.Account;
        double dynamic = 0, leakage = 0;
        var counts = new Dictionary<(string, string), long>();
        foreach (var line in account.Lines.Where(l => l.Action != "leakage"))
        {
            dynamic += line.Count * costs.Get(line.Component, line.Action).EnergyPj;
            counts[(line.Component, line.Action)] = counts.GetValueOrDefault((line.Component, line.Action)) + line.Count;
        }
        foreach (var line in account.Lines.Where(l => l.Action == "leakage"))
        {
            var powerUw = line.Count * costs.InstanceOf(line.Component)!.LeakageUw;
            var seconds = power.Gating switch
            {
                PowerGating.None => Math.Max(power.RealTimeSeconds, power.BusySeconds),
                PowerGating.Idle => power.BusySeconds,
                _ => account.PoweredSeconds[line.Component],
            };
            Assert.That(seconds, Is.LessThanOrEqualTo(Math.Max(power.RealTimeSeconds, power.BusySeconds)), line.Component);
            if (power.Gating == PowerGating.PerUnit)
            {
                Assert.That(seconds, Is.LessThanOrEqualTo(power.BusySeconds), line.Component);
                // Hand-computed occupancies of classes no unit times (their own serial timing), whole run over instances.
                double? byHand = timed.Contains(line.Component) ? null : line.Component switch
                {
                    // 16 accumulates or MACs per 5 ns cycle, weight reads in the same cycles.
                    AccumulateCore.Component => (counts.GetValueOrDefault((line.Component, AccumulateCore.AccumulateAction))
                        + counts.GetValueOrDefault((line.Component, AccumulateCore.MacAction))) / 16.0 * 5e-9,
                    // One add a 5 ns macro cycle (200 MHz).
                    Neuromorphic.Hw.Periphery.ShiftAdd.Component => counts.GetValueOrDefault((line.Component, Neuromorphic.Hw.Periphery.ShiftAdd.AddAction)) * 5e-9,
                    // A row held through drive and settle: 2 macro cycles, 10 ns.
                    Neuromorphic.Hw.Periphery.WordLineDriver.Component => counts.GetValueOrDefault((line.Component, Neuromorphic.Hw.Periphery.WordLineDriver.RowDriveAction)) * 10e-9,
                    _ => null,
                };
                if (byHand is { } total) Assert.That(seconds, Is.EqualTo(Math.Min(power.BusySeconds, total / line.Count)).Within(1e-15), line.Component);
            }
            leakage += powerUw * 1e-6 * seconds * 1e12;
        }
        Assert.That(account.DynamicPj, Is.EqualTo(dynamic).Within(1e-6 * dynamic + 1e-9));
        Assert.That(account.TotalPj, Is.EqualTo(dynamic + leakage).Within(1e-6 * (dynamic + leakage)), power.GatingName);
        Assert.That(account.LeakagePowerW, Is.GreaterThan(0));
        // Full throughput: the same rule with the real-time period shrunk to the busy time.
        Assert.That(power.FullThroughputJ, Is.LessThanOrEqualTo(power.RealTimeJ * (1 + 1e-12)));
    }

    [TestCase(PowerGating.None)]
    [TestCase(PowerGating.Idle)]
    [TestCase(PowerGating.PerUnit)]
    public void CubaEnergyIsDynamicPlusLeakageOverThePoweredTime(PowerGating gating)
    {
        var spec = ArchitectureLoader.Load("rram-40nm-256kb") with { Power = gating };
        var report = CubaOnChip.Run(spec, Small, 0.02, 4);
        var power = report.Power!;
        Assert.That(power.RealTimeSeconds, Is.EqualTo(0.02).Within(1e-12), "CUBA's real-time period is its simulated time");
        Assert.That(power.BusySeconds, Is.EqualTo(report.LatencyCycles / spec.BaseClockHz).Within(1e-12));
        Assert.That(report.EnergyJ, Is.EqualTo(power.RealTimeJ));
        CheckRule(power, report.Costs);
    }

    [TestCase(PowerGating.None)]
    [TestCase(PowerGating.Idle)]
    [TestCase(PowerGating.PerUnit)]
    public void LsmEnergyIsDynamicPlusLeakageOverThePoweredTime(PowerGating gating)
    {
        var samples = LsmTestData.PoissonSamples(2, 4, 64, 20, 5);
        var architecture = LsmTestData.Preset.Architecture with { Power = gating };
        var r = LsmExperiment.Run(architecture, LsmTestData.Preset.Lsm, LsmTestData.Preset.Readout, samples, 0.25, 3);
        var power = r.Power!;
        Assert.That(power.RealTimeSeconds, Is.EqualTo(samples.Count * r.Timesteps * r.TimestepSeconds).Within(1e-12), "the samples' duration");
        Assert.That(power.BusySeconds, Is.EqualTo(r.LatencyPerInferenceCycles * samples.Count / r.BaseClockHz).Within(1e-9));
        Assert.That(r.EnergyJ, Is.EqualTo(power.RealTimeJ));
        // The LSM times its readout on the accumulate core (ReadoutTimingTests check that busy time by hand).
        CheckRule(power, r.Costs, AccumulateCore.Component);
    }

    [Test]
    public void PerUnitRecordsEachClassesPoweredTimePerInferenceAndTheOtherPoliciesDoNot()
    {
        var samples = LsmTestData.PoissonSamples(2, 4, 64, 20, 5);
        PowerSummary Run(PowerGating g) => LsmExperiment.Run(LsmTestData.Preset.Architecture with { Power = g }, LsmTestData.Preset.Lsm,
            LsmTestData.Preset.Readout, samples, 0.25, 3).Power!;
        var perUnit = Run(PowerGating.PerUnit);
        var json = perUnit.AddTo(new Neuromorphic.Arch.Runs.Records.RunRecord(), samples.Count).ToJson();
        var map = json["powered_time_by_component_s"]!.AsObject();
        Assert.That(map.Select(p => p.Key), Is.EquivalentTo(perUnit.Account.PoweredSeconds.Keys));
        foreach (var (component, seconds) in perUnit.Account.PoweredSeconds)
        {
            Assert.That(map[component]!.GetValue<double>(), Is.EqualTo(seconds / samples.Count), component);
            Assert.That(map[component]!.GetValue<double>(), Is.LessThanOrEqualTo(json["busy_time_s"]!.GetValue<double>()), component);
        }
        Assert.That(map[DigitalNeuronUnit.Component]!.GetValue<double>(), Is.GreaterThan(0), "the core worked");
        foreach (var g in new[] { PowerGating.None, PowerGating.Idle })
            Assert.That(Run(g).AddTo(new Neuromorphic.Arch.Runs.Records.RunRecord(), samples.Count).Names, Does.Not.Contain("powered_time_by_component_s"));
    }

    [Test]
    public void GatingOrdersTheEnergies()
    {
        var spec = ArchitectureLoader.Load("rram-40nm-256kb");
        double Energy(PowerGating g) => CubaOnChip.Run(spec with { Power = g }, Small, 0.02, 4).EnergyJ;
        var (none, idle, perUnit) = (Energy(PowerGating.None), Energy(PowerGating.Idle), Energy(PowerGating.PerUnit));
        Assert.That(none, Is.GreaterThan(idle), "always on leaks over the whole real-time period");
        Assert.That(perUnit, Is.LessThanOrEqualTo(idle));
    }

    [Test]
    public void ThePolicyIsReadFromTheArchitectureFile()
    {
        Assert.That(Presets.TryRead("rram-40nm-256kb", out var text, out _));
        Assert.That(ArchitectureLoader.Parse(text + "\npower:\n  gating: per_unit\n", "t.yaml").Power, Is.EqualTo(PowerGating.PerUnit));
        Assert.That(ArchitectureLoader.Parse(text, "t.yaml").Power, Is.EqualTo(PowerGating.Idle), "default");
        var ex = Assert.Throws<Neuromorphic.Traces.InputFormatException>(() => ArchitectureLoader.Parse(text + "\npower:\n  gating: sometimes\n", "t.yaml"));
        Assert.That(ex!.Message, Does.Contain("power.gating"));
    }
}
