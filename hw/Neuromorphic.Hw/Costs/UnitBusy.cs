using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Hw.Costs;

/// <summary>
/// How long an instance of each component class works, the time <see cref="PowerGating.PerUnit"/> charges its leakage
/// over. A class's busy time per instance is measured where the run measures it (<see cref="MeasuredSeconds"/>: the
/// chip executor's unit busy cycles, handed in as plain seconds so this layer needs nothing of the executor), and
/// otherwise follows from its counted actions: count x each action's occupancy over the class's instances. An action's
/// occupancy is the time it holds one instance, its initiation interval (a lane-parallel or pipelined unit takes a new
/// item every cycle / lanes), not its pipeline latency; an action with no occupancy given holds its unit for its
/// cost-table <c>latency_ns</c> (a unit that takes one action at a time and is not pipelined).
/// </summary>
public sealed class UnitBusy
{
    private readonly Dictionary<(string Component, string Action), double> _occupancyNs;
    private readonly Dictionary<string, double> _measured;

    /// <summary>Busy-time rules.</summary>
    /// <param name="occupancyNs">Per (component class, action): ns one action holds one instance; actions not listed take their latency.</param>
    /// <param name="measuredSeconds">Per component class: measured busy seconds per instance (mean over the class's instances); these classes ignore their actions.</param>
    /// <exception cref="ArgumentException">A time is negative, NaN or infinite.</exception>
    public UnitBusy(IReadOnlyDictionary<(string Component, string Action), double> occupancyNs, IReadOnlyDictionary<string, double>? measuredSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(occupancyNs);
        _occupancyNs = new Dictionary<(string, string), double>(occupancyNs);
        _measured = new Dictionary<string, double>(measuredSeconds ?? new Dictionary<string, double>(), StringComparer.Ordinal);
        foreach (var (key, ns) in _occupancyNs)
            if (!(ns >= 0) || double.IsInfinity(ns)) throw new ArgumentException($"occupancy of {key.Item1}.{key.Item2} must be >= 0 and finite, found {ns} ns", nameof(occupancyNs));
        foreach (var (component, seconds) in _measured)
            if (!(seconds >= 0) || double.IsInfinity(seconds)) throw new ArgumentException($"measured busy time of {component} must be >= 0 and finite, found {seconds} s", nameof(measuredSeconds));
    }

    /// <summary>No occupancy and no measurement: every action holds its unit for its cost-table latency.</summary>
    public static UnitBusy FromLatencies { get; } = new(new Dictionary<(string, string), double>());

    /// <summary>Measured busy seconds per instance, by component class.</summary>
    public IReadOnlyDictionary<string, double> MeasuredSeconds => _measured;

    /// <summary>The occupancies given, by (component class, action).</summary>
    public IReadOnlyDictionary<(string Component, string Action), double> OccupancyNsByAction => _occupancyNs;

    /// <summary>These rules with the classes of <paramref name="measuredSeconds"/> measured (replacing any measured before).</summary>
    /// <param name="measuredSeconds">Busy seconds per instance by component class.</param>
    /// <returns>New rules.</returns>
    public UnitBusy WithMeasured(IReadOnlyDictionary<string, double> measuredSeconds)
    {
        ArgumentNullException.ThrowIfNull(measuredSeconds);
        var merged = new Dictionary<string, double>(_measured, StringComparer.Ordinal);
        foreach (var (component, seconds) in measuredSeconds) merged[component] = seconds;
        return new UnitBusy(_occupancyNs, merged);
    }

    /// <summary>Ns one <paramref name="action"/> holds an instance of <paramref name="component"/>: its occupancy, else <paramref name="latencyNs"/>.</summary>
    public double OccupancyNs(string component, string action, double latencyNs) =>
        _occupancyNs.TryGetValue((component, action), out var ns) ? ns : latencyNs;

    /// <summary>
    /// Busy seconds per instance of every class in <paramref name="instances"/> (with at least one instance): measured,
    /// or the sum over its counted actions of count x occupancy, over its instances. Counted actions the table lacks are
    /// skipped (the pricing refuses them anyway).
    /// </summary>
    /// <param name="ledger">The run's action counts.</param>
    /// <param name="table">The cost table (latencies of the actions without an occupancy).</param>
    /// <param name="instances">Instances of each class.</param>
    /// <returns>Seconds per instance by class.</returns>
    public IReadOnlyDictionary<string, double> SecondsPerInstance(Ledger ledger, CostTable table, IReadOnlyDictionary<string, long> instances)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(instances);
        var busyNs = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var entry in ledger.Entries())
        {
            var (unit, action) = (entry.Key.Unit, entry.Key.Action);
            if (entry.Count == 0 || _measured.ContainsKey(unit) || !table.TryGet(unit, action, out var cost)) continue;
            busyNs[unit] = busyNs.GetValueOrDefault(unit) + entry.Count * OccupancyNs(unit, action, cost.LatencyNs);
        }
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (component, count) in instances)
        {
            if (count <= 0) continue;
            seconds[component] = _measured.TryGetValue(component, out var measured) ? measured : busyNs.GetValueOrDefault(component) * 1e-9 / count;
        }
        return seconds;
    }
}
