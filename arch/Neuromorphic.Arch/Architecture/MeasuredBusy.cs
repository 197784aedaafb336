using System.Globalization;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Hw.Macro;

namespace Neuromorphic.Arch.Architecture;

/// <summary>
/// The component classes whose busy time the chip executor measures, for <see cref="Hw.Costs.PowerGating.PerUnit"/>:
/// each class is mapped to the timed units it works in, and its busy seconds per instance are those units' busy cycles
/// (base cycles: every unit's clock edges and cycles are counted in the kernel's base clock) over the base clock and the
/// class's instances. Read once after the run from <see cref="ChipRunResult.Units"/>.
/// <list type="bullet">
/// <item>A macro's array (<c>rram_array</c>) is powered while its macro is busy (<c>macro</c> units): from a read's start
/// through drive and settle until the ADC bank takes its sample (<see cref="MacroUnit"/>). Its periphery is not timed by
/// that measure (the ADC bank converts after the sample) and keeps its occupancy rules, which are its own timing: a
/// conversion holds its ADC and mux for the conversion time, a shift-add its adder one cycle, a word-line driver its row
/// for the drive and settle (<see cref="UnitOccupancy"/>).</item>
/// <item>A tile's neuron unit (<c>digital_neuron</c>) is powered while its core (<c>neuron_core</c> unit) works its batches:
/// neuron updates, the partial sums of row blocks its lanes add (<c>digital_neuron.add</c>), and the digital layers the
/// executor times on the same core, ceil(n / lanes) + pipeline fill core cycles each (<see cref="NeuronCoreUnit"/>).</item>
/// <item>A tile's router (<c>mesh_noc</c>) is powered while any of its four output links carries flits (<c>noc_link</c>
/// units): the executor measures each link, not their union, so a router's time is its links' summed busy time, capped
/// at the chip's busy time (an upper bound; exact when its links never carry flits at once).</item>
/// <item>A tile's I/O buffer (<c>io_buffer</c>) holds the spikes its macros read and the partial sums its core adds, so
/// it is powered while its tile's macros or core work: bounded above the same way, by their summed busy time capped at
/// the chip's busy time.</item>
/// </list>
/// The executor times no accumulate core of its own (it runs a digital layer's work as the neuron core's batches), nor the
/// row-address table: they keep the occupancy rules (<see cref="UnitOccupancy"/>). An LSM run times its
/// readout on the accumulate core itself, after the steps (<see cref="Lsm.ReadoutTiming"/>), and hands that class's busy
/// time in with the steps' own busy time, which caps the per-tile sums here (<see cref="WorkAfterSteps"/>,
/// <see cref="PowerAccounting.Price"/>).
/// </summary>
public static class MeasuredBusy
{
    // Unit kinds as the executor names them (TimingEngine, NocUnit).
    private const string MacroKind = "macro", CoreKind = "neuron_core", LinkKind = "noc_link";

    /// <summary>Busy seconds per instance of the measured classes that <paramref name="instances"/> powers.</summary>
    /// <param name="chip">The chip (its base clock).</param>
    /// <param name="units">The run's units (<see cref="ChipRunResult.Units"/>).</param>
    /// <param name="instances">Powered instances by class.</param>
    /// <param name="chipBusySeconds">The chip's busy time (caps the per-tile sums).</param>
    /// <returns>Seconds per instance by class.</returns>
    /// <exception cref="ArgumentException">A unit's name does not start with its tile (<c>tile{t}.</c>).</exception>
    public static IReadOnlyDictionary<string, double> PerInstanceSeconds(ChipModel chip, IEnumerable<UnitStatistics> units,
        IReadOnlyDictionary<string, long> instances, double chipBusySeconds)
    {
        ArgumentNullException.ThrowIfNull(chip);
        ArgumentNullException.ThrowIfNull(instances);
        var clock = chip.Spec.BaseClockHz;
        var (macros, cores, links) = ByTile(units);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        void Set(string component, double instanceSeconds)
        {
            if (instances.TryGetValue(component, out var count) && count > 0) result[component] = instanceSeconds / count;
        }

        Set(MacroCosts.ArrayComponent, macros.Values.Sum(t => t.Sum) / clock);
        Set(DigitalNeuronUnit.Component, cores.Values.Sum(t => t.Sum) / clock);
        Set(MeshNoc.Component, links.Values.Sum(t => Math.Min(chipBusySeconds, t.Sum / clock)));
        var tiles = macros.Keys.Union(cores.Keys);
        Set(TileIoBuffer.Component, tiles.Sum(t => Math.Min(chipBusySeconds, (macros.GetValueOrDefault(t).Sum + cores.GetValueOrDefault(t).Sum) / clock)));
        return result;
    }

    /// <summary>
    /// The other end for the classes <see cref="PerInstanceSeconds"/> bounds from above (a router: its links; an I/O
    /// buffer: its tile's macros and core): the union of a tile's busy periods is at least its busiest unit's, so the
    /// busiest unit per tile, over the class's instances, is a lower bound of the seconds per instance.
    /// </summary>
    /// <param name="chip">The chip (its base clock).</param>
    /// <param name="units">The run's units (<see cref="ChipRunResult.Units"/>).</param>
    /// <param name="instances">Powered instances by class.</param>
    /// <returns>Seconds per instance of <c>mesh_noc</c> and <c>io_buffer</c> (those with instances).</returns>
    public static IReadOnlyDictionary<string, double> LowerBoundSeconds(ChipModel chip, IEnumerable<UnitStatistics> units,
        IReadOnlyDictionary<string, long> instances)
    {
        ArgumentNullException.ThrowIfNull(chip);
        ArgumentNullException.ThrowIfNull(instances);
        var clock = chip.Spec.BaseClockHz;
        var (macros, cores, links) = ByTile(units);
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        if (instances.TryGetValue(MeshNoc.Component, out var routers) && routers > 0)
            result[MeshNoc.Component] = links.Values.Sum(t => t.Max / clock) / routers;
        if (instances.TryGetValue(TileIoBuffer.Component, out var buffers) && buffers > 0)
            result[TileIoBuffer.Component] = macros.Keys.Union(cores.Keys)
                .Sum(t => Math.Max(macros.GetValueOrDefault(t).Max, cores.GetValueOrDefault(t).Max) / clock) / buffers;
        return result;
    }

    /// <summary>Per tile, the summed and the largest busy cycles of its macros, its core and its output links.</summary>
    private static (Dictionary<int, (long Sum, long Max)> Macros, Dictionary<int, (long Sum, long Max)> Cores, Dictionary<int, (long Sum, long Max)> Links)
        ByTile(IEnumerable<UnitStatistics> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        var macros = new Dictionary<int, (long Sum, long Max)>();
        var cores = new Dictionary<int, (long Sum, long Max)>();
        var links = new Dictionary<int, (long Sum, long Max)>();
        foreach (var unit in units)
        {
            var into = unit.Kind switch { MacroKind => macros, CoreKind => cores, LinkKind => links, _ => null };
            if (into is null) continue;
            var tile = TileOf(unit.Name);
            var (sum, max) = into.GetValueOrDefault(tile);
            into[tile] = (sum + unit.BusyCycles, Math.Max(max, unit.BusyCycles));
        }
        return (macros, cores, links);
    }

    /// <summary>The tile of a unit named <c>tile{t}.…</c>.</summary>
    private static int TileOf(string name)
    {
        var dot = name.IndexOf('.');
        if (!name.StartsWith("tile", StringComparison.Ordinal) || dot < 5
            || !int.TryParse(name.AsSpan(4, dot - 4), NumberStyles.None, CultureInfo.InvariantCulture, out var tile))
            throw new ArgumentException($"unit '{name}' does not name its tile (tile<t>.<unit>)", nameof(name));
        return tile;
    }
}
