using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Hw.Costs;

/// <summary>
/// Energy of a run, and nothing else: the ledger's action counts times the cost table's energy
/// per action, plus every instantiated component's leakage power times the active time. The
/// ledger's unit is the component class, so every count joins the table directly.
/// </summary>
public sealed class EnergyAccount
{
    private EnergyAccount(IReadOnlyList<EnergyLine> lines, IReadOnlyDictionary<string, double>? poweredSeconds = null,
        IReadOnlyDictionary<string, double>? leakagePowerUw = null)
    {
        Lines = lines;
        PoweredSeconds = poweredSeconds ?? new Dictionary<string, double>();
        LeakagePowerUwByComponent = leakagePowerUw ?? new Dictionary<string, double>();
        LeakagePowerW = LeakagePowerUwByComponent.Values.Sum() * 1e-6;
        DynamicPj = lines.Sum(l => l.DynamicPj);
        LeakagePj = lines.Sum(l => l.LeakagePj);
    }

    /// <summary>Every row, dynamic rows ordered by layer, component, action, then leakage rows.</summary>
    public IReadOnlyList<EnergyLine> Lines { get; }

    /// <summary>Sum of the dynamic energy.</summary>
    public double DynamicPj { get; }

    /// <summary>Sum of the leakage energy.</summary>
    public double LeakagePj { get; }

    /// <summary>Seconds each component class was powered (leaking), by class; empty for the plain overload.</summary>
    public IReadOnlyDictionary<string, double> PoweredSeconds { get; }

    /// <summary>Leakage power of all powered instances of each class, uW; empty for the plain overload.</summary>
    public IReadOnlyDictionary<string, double> LeakagePowerUwByComponent { get; }

    /// <summary>Leakage power of the whole chip (all instances powered), W.</summary>
    public double LeakagePowerW { get; }

    /// <summary>Total energy in picojoules.</summary>
    public double TotalPj => DynamicPj + LeakagePj;

    /// <summary>Prices a ledger.</summary>
    /// <param name="ledger">Action counts keyed (component class, layer, action).</param>
    /// <param name="table">The cost table; every counted action must be in it.</param>
    /// <param name="instances">How many instances of each component class the chip powers (for leakage).</param>
    /// <param name="activeSeconds">How long the chip was powered.</param>
    /// <param name="blockOf">The hardware block of a component class, for the breakdown's unit column (default: the class itself).</param>
    /// <exception cref="KeyNotFoundException">If a counted action has no cost.</exception>
    public static EnergyAccount Compute(Ledger ledger, CostTable table, IReadOnlyDictionary<string, long> instances,
        double activeSeconds, Func<string, string>? blockOf = null)
    {
        blockOf ??= c => c;
        var lines = new List<EnergyLine>();
        foreach (var entry in ledger.Entries())
        {
            if (entry.Count == 0) continue;
            var key = entry.Key;
            var cost = table.Get(key.Unit, key.Action);
            lines.Add(new EnergyLine(key.Layer, blockOf(key.Unit), key.Unit, key.Action, entry.Count, cost.EnergyPj, entry.Count * cost.EnergyPj, 0));
        }
        foreach (var (component, count) in instances.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var instance = table.InstanceOf(component);
            if (instance is null || count == 0) continue;
            // 1 uW for 1 s is 1e6 pJ.
            lines.Add(new EnergyLine("", blockOf(component), component, "leakage", count, 0, 0, count * instance.LeakageUw * activeSeconds * 1e6));
        }
        return new EnergyAccount(lines);
    }

    /// <summary>
    /// Prices a ledger with leakage charged by a power policy, each action holding its unit for its cost-table latency
    /// under <see cref="PowerGating.PerUnit"/> (<see cref="UnitBusy.FromLatencies"/>): for tables whose units are not
    /// pipelined. A chip's runs give their own busy times (the overload with <see cref="UnitBusy"/>).
    /// </summary>
    /// <param name="ledger">Action counts.</param>
    /// <param name="table">The cost table.</param>
    /// <param name="instances">Powered instances of each component class.</param>
    /// <param name="gating">The power policy.</param>
    /// <param name="window">The workload's real-time period and busy time.</param>
    /// <param name="blockOf">The hardware block of a component class.</param>
    public static EnergyAccount Compute(Ledger ledger, CostTable table, IReadOnlyDictionary<string, long> instances,
        PowerGating gating, PowerWindow window, Func<string, string>? blockOf = null) =>
        Compute(ledger, table, instances, gating, window, UnitBusy.FromLatencies, blockOf);

    /// <summary>
    /// Prices a ledger with leakage charged by a power policy: each class leaks for the seconds
    /// <see cref="PowerWindow.PoweredSeconds"/> gives it (for <see cref="PowerGating.PerUnit"/>, its own busy time per
    /// instance from <paramref name="busy"/>: measured, or its actions' count x occupancy over its instances). The same
    /// rule for every workload; dynamic energy does not depend on the policy.
    /// </summary>
    /// <param name="ledger">Action counts.</param>
    /// <param name="table">The cost table.</param>
    /// <param name="instances">Powered instances of each component class.</param>
    /// <param name="gating">The power policy.</param>
    /// <param name="window">The workload's real-time period and busy time.</param>
    /// <param name="busy">Each class's busy time per instance (read under <see cref="PowerGating.PerUnit"/> only).</param>
    /// <param name="blockOf">The hardware block of a component class.</param>
    public static EnergyAccount Compute(Ledger ledger, CostTable table, IReadOnlyDictionary<string, long> instances,
        PowerGating gating, PowerWindow window, UnitBusy busy, Func<string, string>? blockOf = null)
    {
        ArgumentNullException.ThrowIfNull(busy);
        var plain = Compute(ledger, table, new Dictionary<string, long>(), 0, blockOf);
        blockOf ??= c => c;
        var busySeconds = busy.SecondsPerInstance(ledger, table, instances);
        var lines = plain.Lines.ToList();
        var powered = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var power = new SortedDictionary<string, double>(StringComparer.Ordinal);
        foreach (var (component, count) in instances.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var instance = table.InstanceOf(component);
            if (instance is null || count == 0) continue;
            var seconds = window.PoweredSeconds(gating, busySeconds.GetValueOrDefault(component));
            powered[component] = seconds;
            power[component] = count * instance.LeakageUw;
            lines.Add(new EnergyLine("", blockOf(component), component, "leakage", count, 0, 0, count * instance.LeakageUw * seconds * 1e6));
        }
        return new EnergyAccount(lines, powered, power);
    }
}
