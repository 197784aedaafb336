using CsCheck;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Review;

/// <summary>
/// Design-review invariants of the energy account (<see cref="EnergyAccount"/>) on random ledgers priced with a
/// preset's cost table: energy is additive over components and actions, dynamic energy does not depend on time,
/// and leakage is power times the powered window the policy gives (linear in it, ordered by the policies).
/// </summary>
public sealed class EnergyAccountPropertyTests
{
    private static readonly CostTable Costs = new ChipModel(ArchitectureLoader.Load("rram-40nm-256kb")).Costs;

    /// <summary>A ledger of random counts on random actions of the table, and random instance counts of its components.</summary>
    private static readonly Gen<(Ledger Ledger, Dictionary<string, long> Instances)> Accounts =
        from counts in Gen.Select(Gen.Int[0, Costs.Actions.Count - 1], Gen.Int[0, 2], Gen.Long[0, 10_000_000]).Array[1, 40]
        from instances in Gen.Select(Gen.Int[0, Costs.Components.Count - 1], Gen.Long[0, 100_000]).Array[0, 20]
        select Build(counts, instances);

    private static (Ledger, Dictionary<string, long>) Build((int Action, int Layer, long Count)[] counts, (int Component, long Count)[] instances)
    {
        var ledger = new Ledger();
        foreach (var (action, layer, count) in counts)
        {
            var a = Costs.Actions[action];
            ledger.Add(ledger.Register(a.Component, $"layer{layer}", a.Action), count);
        }
        var byComponent = new Dictionary<string, long>();
        foreach (var (component, count) in instances) byComponent[Costs.Components[component].Component] = count;
        return (ledger, byComponent);
    }

    private static readonly Gen<PowerWindow> Windows = Gen.Select(Gen.Double[0, 10], Gen.Double[0, 10]).Select(w => new PowerWindow(w.Item1, w.Item2));

    private static bool Close(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(Math.Abs(a), Math.Abs(b)) + 1e-9;

    [Test]
    public void Energy_is_the_sum_over_components_of_count_times_energy_plus_instances_times_leakage_times_time()
    {
        (from account in Accounts from seconds in Gen.Double[0, 5] select (account, seconds)).Sample(c =>
        {
            var (ledger, instances) = c.account;
            var a = EnergyAccount.Compute(ledger, Costs, instances, c.seconds);
            double dynamic = 0, leakage = 0;
            foreach (var e in ledger.Entries()) dynamic += e.Count * Costs.Get(e.Key.Unit, e.Key.Action).EnergyPj;
            foreach (var (component, n) in instances) leakage += n * Costs.InstanceOf(component)!.LeakageUw * c.seconds * 1e6;
            // By component: the lines of each component add up to what its counts and instances give.
            var byComponent = a.Lines.GroupBy(l => l.Component).All(g =>
                Close(g.Sum(l => l.DynamicPj + l.LeakagePj),
                    ledger.Entries().Where(e => e.Key.Unit == g.Key).Sum(e => e.Count * Costs.Get(e.Key.Unit, e.Key.Action).EnergyPj)
                    + instances.GetValueOrDefault(g.Key) * (Costs.InstanceOf(g.Key)?.LeakageUw ?? 0) * c.seconds * 1e6));
            return Close(a.DynamicPj, dynamic) && Close(a.LeakagePj, leakage) && Close(a.TotalPj, dynamic + leakage) && byComponent;
        }, iter: 300);
    }

    [Test]
    public void Leakage_scales_with_the_window_and_dynamic_energy_does_not_move_with_it()
    {
        (from account in Accounts from window in Windows from k in Gen.Double[0, 8] select (account, window, k)).Sample(c =>
        {
            var (ledger, instances) = c.account;
            var scaled = new PowerWindow(c.window.RealTimeSeconds * c.k, c.window.BusySeconds * c.k);
            foreach (var gating in new[] { PowerGating.None, PowerGating.Idle })
            {
                var (a, b) = (EnergyAccount.Compute(ledger, Costs, instances, gating, c.window), EnergyAccount.Compute(ledger, Costs, instances, gating, scaled));
                if (!Close(b.LeakagePj, c.k * a.LeakagePj) || !Close(b.DynamicPj, a.DynamicPj)) return false;
            }
            // Per unit: each class leaks over its own busy time, capped by the chip's: a longer busy window never lowers it.
            var longer = new PowerWindow(c.window.RealTimeSeconds, c.window.BusySeconds * (1 + c.k));
            return EnergyAccount.Compute(ledger, Costs, instances, PowerGating.PerUnit, longer).LeakagePj
                >= EnergyAccount.Compute(ledger, Costs, instances, PowerGating.PerUnit, c.window).LeakagePj * (1 - 1e-12);
        }, iter: 300);
    }

    [Test]
    public void The_policies_order_the_leakage_and_the_full_throughput_energy_never_exceeds_the_real_time_one()
    {
        (from account in Accounts from window in Windows select (account, window)).Sample(c =>
        {
            var (ledger, instances) = c.account;
            double Leakage(PowerGating g, PowerWindow w) => EnergyAccount.Compute(ledger, Costs, instances, g, w).LeakagePj;
            var (none, idle, perUnit) = (Leakage(PowerGating.None, c.window), Leakage(PowerGating.Idle, c.window), Leakage(PowerGating.PerUnit, c.window));
            var eps = 1e-9 * (none + 1);
            return none >= idle - eps && idle >= perUnit - eps
                && Leakage(PowerGating.None, c.window.FullThroughput) <= none + eps
                && Close(idle, instances.Sum(p => p.Value * Costs.InstanceOf(p.Key)!.LeakageUw) * c.window.BusySeconds * 1e6);
        }, iter: 300);
    }

    /// <summary>Random busy-time rules: occupancies for some actions, measured seconds for some classes.</summary>
    private static readonly Gen<UnitBusy> Busy =
        from occupancies in Gen.Select(Gen.Int[0, Costs.Actions.Count - 1], Gen.Double[0, 100]).Array[0, 12]
        from measured in Gen.Select(Gen.Int[0, Costs.Components.Count - 1], Gen.Double[0, 20]).Array[0, 6]
        select new UnitBusy(
            occupancies.GroupBy(o => o.Item1).ToDictionary(g => (Costs.Actions[g.Key].Component, Costs.Actions[g.Key].Action), g => g.First().Item2),
            measured.GroupBy(m => m.Item1).ToDictionary(g => Costs.Components[g.Key].Component, g => g.First().Item2));

    [Test]
    public void Per_unit_with_any_busy_times_stays_within_idle_and_the_busy_time_and_leaves_dynamic_energy_alone()
    {
        (from account in Accounts from window in Windows from busy in Busy select (account, window, busy)).Sample(c =>
        {
            var (ledger, instances) = c.account;
            EnergyAccount At(PowerGating g) => EnergyAccount.Compute(ledger, Costs, instances, g, c.window, c.busy);
            var (none, idle, perUnit) = (At(PowerGating.None), At(PowerGating.Idle), At(PowerGating.PerUnit));
            var eps = 1e-9 * (none.LeakagePj + 1);
            // Each class: its own busy seconds (measured, else counts x occupancy over instances), capped at the busy time.
            var seconds = c.busy.SecondsPerInstance(ledger, Costs, instances);
            var classes = perUnit.PoweredSeconds.All(p =>
                p.Value <= c.window.BusySeconds && Close(p.Value, Math.Min(c.window.BusySeconds, seconds[p.Key]))
                && (!c.busy.MeasuredSeconds.TryGetValue(p.Key, out var m) || Close(p.Value, Math.Min(c.window.BusySeconds, m))));
            return none.LeakagePj >= idle.LeakagePj - eps && idle.LeakagePj >= perUnit.LeakagePj - eps && classes
                && none.DynamicPj == idle.DynamicPj && idle.DynamicPj == perUnit.DynamicPj
                && Close(idle.LeakagePj, EnergyAccount.Compute(ledger, Costs, instances, PowerGating.Idle, c.window).LeakagePj);
        }, iter: 300);
    }
}
