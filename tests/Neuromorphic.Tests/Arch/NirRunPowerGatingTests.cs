using System.Globalization;
using System.Text.Json;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Arch.Reports;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Tests.Chip;
using Neuromorphic.Tests.Cli;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Arch;

/// <summary>
/// A NIR graph on the chip (<c>run NET.nir --arch</c>) and a replay of recorded activity price leakage under the
/// architecture's <c>power.gating</c>: per_unit &lt;= idle &lt;= none class by class, idle exactly the executor's own
/// account (the output before the policy was honoured), and per_unit's leakage of a class by hand from the run's
/// counts and measured busy cycles.
/// </summary>
public sealed class NirRunPowerGatingTests
{
    private const double Dt = 1e-4;
    private static string Braille => FixturePaths.Nir("braille_noDelay_bias_zero.nir");

    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-nir-gating-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    /// <summary>The Braille SRNN's sample on rram-40nm-256kb under <paramref name="gating"/>: the executor's account and the priced one.</summary>
    private static (ChipProgram Program, ChipRunResult Raw, ChipRunResult Priced, PowerSummary Power) Run(PowerGating gating,
        IReadOnlyDictionary<string, SpikeRaster>? recorded = null)
    {
        var chip = new ChipModel(ArchitectureLoader.Load("rram-40nm-256kb") with { Power = gating });
        var program = NetworkMapper.Map(NirReader.Read(Braille), chip, seed: 1);
        var executor = new ChipExecutor(program, Dt, seed: 1, golden: recorded is null);
        executor.RunSample(SpikeRaster.Load(ChipTestData.BrailleInput), recorded);
        var raw = executor.Finish();
        var (priced, power) = ChipRunPower.Price(program, executor, raw, Dt);
        return (program, raw, priced, power);
    }

    private static Dictionary<string, double> LeakageByComponent(EnergyAccount account) =>
        account.Lines.Where(l => l.Action == "leakage").ToDictionary(l => l.Component, l => l.LeakagePj);

    [Test]
    public void A_NIR_run_leaks_per_unit_no_more_than_idle_and_idle_no_more_than_none()
    {
        var none = Run(PowerGating.None);
        var idle = Run(PowerGating.Idle);
        var perUnit = Run(PowerGating.PerUnit);
        Assert.That(new[] { none.Power.GatingName, idle.Power.GatingName, perUnit.Power.GatingName }, Is.EqualTo(new[] { "none", "idle", "per_unit" }));
        // The policy prices the run; it does not change it.
        Assert.That(perUnit.Priced.TotalCycles, Is.EqualTo(idle.Priced.TotalCycles).And.EqualTo(none.Priced.TotalCycles));
        Assert.That(perUnit.Priced.Account.DynamicPj, Is.EqualTo(idle.Priced.Account.DynamicPj).And.EqualTo(none.Priced.Account.DynamicPj));
        var (n, i, p) = (LeakageByComponent(none.Priced.Account), LeakageByComponent(idle.Priced.Account), LeakageByComponent(perUnit.Priced.Account));
        Assert.That(p.Keys, Is.EquivalentTo(i.Keys).And.EquivalentTo(n.Keys));
        foreach (var component in i.Keys)
        {
            Assert.That(p[component], Is.LessThanOrEqualTo(i[component]), component);
            Assert.That(i[component], Is.LessThanOrEqualTo(n[component]), component);
            Assert.That(perUnit.Priced.Account.PoweredSeconds[component], Is.LessThanOrEqualTo(idle.Priced.Account.PoweredSeconds[component]), component);
        }
        // 256 steps of 0.1 ms arrive over 25.6 ms; the chip is busy 69 us of it, and no class works all of that.
        Assert.That(none.Power.RealTimeSeconds, Is.EqualTo(256 * Dt).Within(1e-15));
        Assert.That(idle.Priced.Account.LeakagePj, Is.GreaterThan(0));
        Assert.That(perUnit.Priced.Account.LeakagePj, Is.LessThan(idle.Priced.Account.LeakagePj));
        Assert.That(idle.Priced.Account.LeakagePj, Is.LessThan(none.Priced.Account.LeakagePj));
        // none: every instance leaks over the real-time period.
        Assert.That(none.Priced.Account.LeakagePj, Is.EqualTo(none.Priced.Account.LeakagePowerW * 1e12 * 256 * Dt).Within(1e-9).Percent);
    }

    [Test]
    public void Idle_is_the_executors_own_account_line_for_line_and_its_summary_byte_for_byte_then_the_power_figures()
    {
        var (program, raw, priced, power) = Run(PowerGating.Idle);
        Assert.That(priced.Account.Lines, Is.EqualTo(raw.Account.Lines));
        Assert.That(priced.Account.TotalPj, Is.EqualTo(raw.Account.TotalPj));
        var before = ChipRunFiles.Summary(program, raw, "braille", 1, Dt).ToJson().ToJsonString();
        var after = ChipRunFiles.Summary(program, priced, "braille", 1, Dt, power).ToJson();
        // Every field the summary had is there, byte for byte; the power figures every other workload records follow.
        Assert.That(after.ToJsonString(), Does.StartWith(before[..^1] + ","));
        Assert.That(after.ToJsonString(), Does.Contain("\"power_gating\":\"idle\"").And.Not.Contain("powered_time"));
        Assert.That(after["busy_time_s"]!.GetValue<double>(), Is.EqualTo(raw.TotalCycles / program.Chip.Spec.BaseClockHz));
        Assert.That(after["real_time_period_s"]!.GetValue<double>(), Is.EqualTo(256 * Dt).Within(1e-15));
        Assert.That(after["leakage_energy_J"]!.GetValue<double>(), Is.EqualTo(raw.Account.LeakagePj * 1e-12));
        Assert.That(after["energy_per_inference_real_time_J"]!.GetValue<double>(), Is.EqualTo(after["energy_per_inference_J"]!.GetValue<double>()).Within(1e-12).Percent);
        Assert.That(after["leakage_power_W"]!.GetValue<double>(), Is.GreaterThan(0));
    }

    [Test]
    public void Per_unit_on_a_replay_charges_the_neuron_unit_its_measured_core_cycles_and_the_drivers_their_drives()
    {
        // Cost-only, as `replay` runs it: the input population's activity recorded, no golden model.
        var input = SpikeRaster.Load(ChipTestData.BrailleInput);
        var network = NirReader.Read(Braille);
        var (program, raw, priced, _) = Run(PowerGating.PerUnit, new Dictionary<string, SpikeRaster> { [network.Inputs.First().Name] = input });
        var chip = program.Chip;
        var clock = chip.Spec.BaseClockHz;
        var busy = raw.TotalCycles / clock;
        var leakage = LeakageByComponent(priced.Account);

        // digital_neuron: one instance per tile, powered while its tile's neuron core works (the units' busy cycles).
        var coreCycles = raw.Units.Where(u => u.Kind == "neuron_core").Sum(u => u.BusyCycles);
        Assert.That(coreCycles, Is.GreaterThan(0));
        var neuronUw = chip.Costs.InstanceOf(DigitalNeuronUnit.Component)!.LeakageUw;
        var neurons = program.TilesUsed;
        var expectedNeuron = neurons * neuronUw * Math.Min(busy, coreCycles / clock / neurons) * 1e6;
        Assert.That(expectedNeuron, Is.GreaterThan(0));
        Assert.That(leakage[DigitalNeuronUnit.Component], Is.EqualTo(expectedNeuron).Within(1e-9).Percent);

        // word_line_driver: every row drive holds its driver for the read's drive + settle macro cycles.
        var drives = priced.Account.Lines.Where(l => l.Component == WordLineDriver.Component && l.Action == WordLineDriver.RowDriveAction).Sum(l => l.Count);
        var macro = chip.Spec.Macro;
        var drivers = program.MacrosUsed * macro.Crossbar.Rows;
        var perDrive = (macro.DriveCycles + macro.SettleCycles) / macro.ClockHz;
        var driverUw = chip.Costs.InstanceOf(WordLineDriver.Component)!.LeakageUw;
        var expectedDrivers = drivers * driverUw * Math.Min(busy, drives * perDrive / drivers) * 1e6;
        Assert.That(drives, Is.GreaterThan(0));
        Assert.That(leakage[WordLineDriver.Component], Is.EqualTo(expectedDrivers).Within(1e-9).Percent);
    }

    /// <summary>rram-40nm-256kb with <c>power: {gating: ...}</c> (null: the preset as it is, idle by default).</summary>
    private string Architecture(string? gating)
    {
        Assert.That(Presets.TryRead("rram-40nm-256kb", out var text, out _), Is.True);
        var path = Path.Combine(_dir, $"arch-{gating ?? "preset"}.yaml");
        File.WriteAllText(path, gating is null ? text : text + $"\npower:\n  gating: {gating}\n");
        return path;
    }

    private (JsonElement Summary, string Err, string Dir) Cli(params string[] args)
    {
        var outDir = Path.Combine(_dir, "out-" + Guid.NewGuid().ToString("N"));
        var (exit, output, err) = CliRunner.Run([.. args, "--out", outDir, "--json"]);
        Assert.That(exit, Is.EqualTo(0), err);
        return (JsonDocument.Parse(output).RootElement.Clone(), err, outDir);
    }

    [Test]
    public void Replay_and_run_with_arch_apply_and_record_the_files_policy()
    {
        var replays = new Dictionary<string, JsonElement>();
        foreach (var gating in new[] { "none", "idle", "per_unit" })
        {
            var (summary, err, dir) = Cli("replay", ChipTestData.BrailleInput, "--network", Braille, "--arch", Architecture(gating));
            Assert.That(summary.GetProperty("power_gating").GetString(), Is.EqualTo(gating));
            Assert.That(err, Does.Not.Contain("note"), "the policy is applied, so nothing to note");
            Assert.That(summary.TryGetProperty("powered_time_by_component_s", out _), Is.EqualTo(gating == "per_unit"));
            if (gating == "per_unit")
                foreach (var seconds in summary.GetProperty("powered_time_by_component_s").EnumerateObject())
                    Assert.That(seconds.Value.GetDouble(), Is.LessThanOrEqualTo(summary.GetProperty("busy_time_s").GetDouble()), seconds.Name);
            var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json"))).RootElement;
            Assert.That(written.GetProperty("energy_J").GetDouble(), Is.EqualTo(summary.GetProperty("energy_J").GetDouble()));
            replays[gating] = summary;
        }
        double Energy(string gating) => replays[gating].GetProperty("energy_J").GetDouble();
        double Dynamic(string gating) => replays[gating].GetProperty("dynamic_energy_J").GetDouble();
        Assert.That(Dynamic("per_unit"), Is.EqualTo(Dynamic("idle")).And.EqualTo(Dynamic("none")));
        Assert.That(Energy("per_unit"), Is.LessThan(Energy("idle")));
        Assert.That(Energy("idle"), Is.LessThan(Energy("none")));
        // The preset names no policy: idle, the figure replays have always given.
        var preset = Cli("replay", ChipTestData.BrailleInput, "--network", Braille).Summary;
        Assert.That(preset.GetProperty("energy_J").GetDouble(), Is.EqualTo(Energy("idle")));
        Assert.That(preset.GetProperty("power_gating").GetString(), Is.EqualTo("idle"));

        foreach (var gating in new[] { "idle", "per_unit" })
        {
            var (summary, err, dir) = Cli("run", Braille, "--input", ChipTestData.BrailleInput, "--dt", Dt.ToString("R", CultureInfo.InvariantCulture),
                "--arch", Architecture(gating));
            Assert.That(summary.GetProperty("power_gating").GetString(), Is.EqualTo(gating));
            Assert.That(err, Does.Not.Contain("note"));
            var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json"))).RootElement;
            Assert.That(written.GetProperty("power_gating").GetString(), Is.EqualTo(gating));
            Assert.That(written.TryGetProperty("powered_time_by_component_s", out _), Is.EqualTo(gating == "per_unit"));
            // energy_breakdown.csv is the priced account: its leakage rows sum to energy_J - dynamic_energy_J.
            var leakagePj = File.ReadLines(Path.Combine(dir, "energy_breakdown.csv")).Skip(1).Select(l => l.Split(','))
                .Where(f => f[3] == "leakage").Sum(f => double.Parse(f[7], CultureInfo.InvariantCulture));
            var energy = written.GetProperty("energy_J").GetDouble() - written.GetProperty("dynamic_energy_J").GetDouble();
            Assert.That(leakagePj * 1e-12, Is.EqualTo(energy).Within(1e-9).Percent);
        }
    }
}
