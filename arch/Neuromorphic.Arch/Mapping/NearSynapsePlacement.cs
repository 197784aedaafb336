using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Networks;

namespace Neuromorphic.Arch.Mapping;

/// <summary>One macro of a crossbar node as placed: its tile and the node outputs its columns produce.</summary>
/// <param name="Tile">The tile holding the macro.</param>
/// <param name="FirstOutput">First output of the node the macro's columns produce.</param>
/// <param name="Outputs">Outputs it produces (columns, times the output positions of a convolution).</param>
internal readonly record struct MacroSite(int Tile, int FirstOutput, int Outputs);

/// <summary>
/// The <c>near_synapses</c> placement (<see cref="NeuronPlacement.NearSynapses"/>): each population's neurons go,
/// run by run, onto the tile that minimises the mesh distance (XY hops) from all the macros feeding those neurons,
/// chosen among the tiles holding such macros; so a column block's partial sums stay on their tile or cross few
/// hops, and a recurrent population's neurons sit among the macros their own spikes drive. A run is a maximal
/// range of neurons fed by the same macros. A core takes at most a balance cap of the population's neurons
/// (<see cref="BalanceCap"/>: about what one macro feeds), since a step waits for its busiest core: a run goes whole
/// to the best feeding tile with room for it under the cap, else to the nearest core with that room; only when no
/// core has room for it whole is it split (feeding tiles in rank order, then the nearest cores, up to the cap, then up
/// to <c>chip.neurons_per_core</c>). A crossbar feeds a population when the population is its first element-wise
/// consumer (output j feeds neuron j mod size), as <see cref="NetworkMapper"/> routes its sums. Neurons fed by no
/// macro follow the neuron before them (for a population's first neurons, the nearest core to tile 0).
/// </summary>
internal static class NearSynapsePlacement
{
    /// <summary>A maximal range of a population's neurons fed by the same macros.</summary>
    /// <param name="Start">First neuron.</param>
    /// <param name="End">One past the last neuron.</param>
    /// <param name="Feeding">The tiles holding its feeding macros, each with how many (empty: no macro feeds it).</param>
    internal readonly record struct Run(int Start, int End, SortedDictionary<int, int> Feeding);

    /// <summary>Core slices of every population (null for other nodes), given each crossbar node's macros (null: none).</summary>
    /// <exception cref="MappingException">The neurons do not fit the cores.</exception>
    public static IReadOnlyList<CoreSlice>?[] Place(Network network, ExecutionPlan plan, ChipParameters chip, int lanes, int meshWidth,
        IReadOnlyList<MacroSite>?[] sites)
    {
        var slices = new IReadOnlyList<CoreSlice>?[network.Nodes.Count];
        var used = new int[chip.Tiles];
        var feeders = Feeders(network);
        foreach (var i in plan.Order)
        {
            if (network.Nodes[i] is not NeuronNode population) continue;
            var size = population.Model.Size;
            var intervals = new List<(int Start, int End, int Tile)>();
            foreach (var f in feeders[i])
                foreach (var site in sites[f] ?? [])
                    AddIntervals(intervals, site, size);
            slices[i] = PlacePopulation(network.Nodes[i].Name, size, intervals, chip, lanes, meshWidth, used);
        }
        return slices;
    }

    /// <summary>Per population: the crossbar nodes whose first element-wise consumer it is.</summary>
    private static List<int>[] Feeders(Network network)
    {
        var feeders = network.Nodes.Select(_ => new List<int>()).ToArray();
        for (var i = 0; i < network.Nodes.Count; i++)
        {
            if (network.Nodes[i] is not (DenseNode or SparseNode or ConvNode)) continue;
            var consumer = NetworkMapper.ElementwiseConsumer(network, i);
            if (consumer >= 0) feeders[consumer].Add(i);
        }
        return feeders;
    }

    /// <summary>The neurons (mod <paramref name="size"/>) a macro's outputs feed, as one or two intervals.</summary>
    private static void AddIntervals(List<(int, int, int)> intervals, MacroSite site, int size)
    {
        if (site.Outputs <= 0) return;
        if (site.Outputs >= size) { intervals.Add((0, size, site.Tile)); return; }
        var start = site.FirstOutput % size;
        var end = start + site.Outputs;
        if (end <= size) intervals.Add((start, end, site.Tile));
        else
        {
            intervals.Add((start, size, site.Tile));
            intervals.Add((0, end - size, site.Tile));
        }
    }

    /// <summary>
    /// One population's slices, run by run in neuron order (<see cref="NearSynapsePlacement"/>). <paramref name="used"/>
    /// holds every core's neurons so far (all populations) and is updated.
    /// </summary>
    /// <param name="name">The population's name, for the error.</param>
    /// <param name="size">Its neurons.</param>
    /// <param name="intervals">Per feeding macro, the neurons (as [Start, End)) it feeds and its tile.</param>
    /// <param name="chip">Tiles and core capacity.</param>
    /// <param name="lanes">The neuron core's lanes: the cap is a whole number of them.</param>
    /// <param name="width">Mesh width, for the hops.</param>
    /// <param name="used">Neurons on each core so far.</param>
    /// <exception cref="MappingException">The neurons do not fit the cores.</exception>
    internal static List<CoreSlice> PlacePopulation(string name, int size, List<(int Start, int End, int Tile)> intervals, ChipParameters chip, int lanes,
        int width, int[] used)
    {
        var runs = Runs(size, intervals);
        var cap = BalanceCap(size, runs, intervals, chip.NeuronsPerCore, lanes);
        // This population's neurons on each core: the cap bounds them, the core's capacity bounds every population's.
        var taken = new int[chip.Tiles];
        int Room(int tile, int limit) => Math.Min(limit - taken[tile], chip.NeuronsPerCore - used[tile]);
        var slices = new List<CoreSlice>();
        var previous = -1;
        foreach (var (start, end, active) in runs)
        {
            var ranked = Ranked(active, width, previous);
            var home = ranked.Count > 0 ? ranked[0] : Math.Max(previous, 0);
            var length = end - start;
            // The run whole: on the best feeding tile with room for it under the cap, else on the nearest core with that room.
            var best = ranked.FindIndex(t => Room(t, cap) >= length);
            var whole = best >= 0 ? ranked[best] : Nearest(home, t => Room(t, cap) >= length, chip.Tiles, width);
            if (whole is { } tile)
            {
                Put(slices, taken, used, tile, start, length);
                previous = tile;
                continue;
            }
            // No core takes it whole: split it over the feeding tiles in rank order, then the nearest cores, up to the cap,
            // then (only when every core is at the cap: other populations fill the chip) up to the cores' capacity.
            var neuron = start;
            foreach (var t in ranked)
            {
                var take = Math.Min(end - neuron, Room(t, cap));
                if (take <= 0) continue;
                Put(slices, taken, used, t, neuron, take);
                neuron += take;
                previous = t;
                if (neuron == end) break;
            }
            while (neuron < end)
            {
                var limit = cap;
                var near = Nearest(home, t => Room(t, cap) > 0, chip.Tiles, width);
                if (near is null)
                {
                    limit = chip.NeuronsPerCore;
                    near = Nearest(home, t => Room(t, limit) > 0, chip.Tiles, width)
                        ?? throw new MappingException($"placement near_synapses: population '{name}' ({size} neurons) finds no free core for neuron {neuron}: "
                            + $"the chip has {chip.Tiles} tiles of {chip.NeuronsPerCore} neurons; raise chip.tiles or chip.neurons_per_core");
                }
                var take = Math.Min(end - neuron, Room(near.Value, limit));
                Put(slices, taken, used, near.Value, neuron, take);
                neuron += take;
                previous = near.Value;
            }
        }
        return slices;
    }

    /// <summary>
    /// The population's runs in neuron order: maximal ranges of neurons fed by the same macros, each with its
    /// feeding tiles (tile -> macros on it; empty for neurons no macro feeds).
    /// </summary>
    internal static List<Run> Runs(int size, List<(int Start, int End, int Tile)> intervals)
    {
        // A sweep over the neurons: at every interval boundary the set of feeding macros changes.
        var bounds = new List<(int At, int Tile, int Delta)>(2 * intervals.Count);
        foreach (var (start, end, tile) in intervals)
        {
            bounds.Add((start, tile, +1));
            bounds.Add((end, tile, -1));
        }
        bounds.Sort();
        var active = new SortedDictionary<int, int>();
        var runs = new List<Run>();
        var next = 0;
        var neuron = 0;
        while (neuron < size)
        {
            while (next < bounds.Count && bounds[next].At <= neuron)
            {
                var (_, tile, delta) = bounds[next++];
                var count = active.GetValueOrDefault(tile) + delta;
                if (count == 0) active.Remove(tile);
                else active[tile] = count;
            }
            var end = next < bounds.Count ? Math.Min(size, bounds[next].At) : size;
            runs.Add(new Run(neuron, end, new SortedDictionary<int, int>(active)));
            neuron = end;
        }
        return runs;
    }

    /// <summary>
    /// The most neurons of the population one core takes while another core has room for them: as many as one macro
    /// feeds (a column block's outputs), or more if a run (neurons no macro feeds) is longer or an even share of the
    /// population over the tiles holding its feeding macros is larger; rounded up to whole batches of the core's
    /// lanes (a core updates its neurons lanes at a time, so a part batch costs a whole one); at most the core's capacity.
    /// </summary>
    internal static int BalanceCap(int size, List<Run> runs, List<(int Start, int End, int Tile)> intervals,
        int neuronsPerCore, int lanes)
    {
        var macro = intervals.Count == 0 ? 0 : intervals.Max(i => i.End - i.Start);
        var run = runs.Count == 0 ? 0 : runs.Max(r => r.End - r.Start);
        var tiles = Math.Max(1, intervals.Select(i => i.Tile).Distinct().Count());
        var share = (size + tiles - 1) / tiles;
        var cap = (long)Math.Max(macro, Math.Max(run, share));
        cap = (cap + lanes - 1) / lanes * lanes;
        return (int)Math.Min(neuronsPerCore, cap);
    }

    /// <summary>
    /// The feeding tiles, best first: by the hops from all the feeding macros (each tile's count weighs), then by
    /// index. With no feeding macro, the previous neuron's tile (none yet: no candidate).
    /// </summary>
    private static List<int> Ranked(SortedDictionary<int, int> active, int width, int previous)
    {
        if (active.Count == 0) return previous >= 0 ? [previous] : [];
        var ranked = new List<(long Cost, int Tile)>(active.Count);
        foreach (var candidate in active.Keys)
        {
            long cost = 0;
            foreach (var (tile, count) in active) cost += (long)count * MeshNoc.XyHops(tile, candidate, width);
            ranked.Add((cost, candidate));
        }
        ranked.Sort();
        return ranked.ConvertAll(r => r.Tile);
    }

    /// <summary>The tile that <paramref name="fits"/>, nearest to <paramref name="from"/> (by hops, then index); null when none does.</summary>
    private static int? Nearest(int from, Func<int, bool> fits, int tiles, int width)
    {
        int? best = null;
        var bestHops = int.MaxValue;
        for (var t = 0; t < tiles; t++)
        {
            if (!fits(t)) continue;
            var hops = MeshNoc.XyHops(from, t, width);
            if (hops < bestHops) (best, bestHops) = (t, hops);
        }
        return best;
    }

    private static void Put(List<CoreSlice> slices, int[] taken, int[] used, int tile, int first, int count)
    {
        taken[tile] += count;
        used[tile] += count;
        if (slices.Count > 0 && slices[^1].Tile == tile && slices[^1].First + slices[^1].Count == first)
            slices[^1] = slices[^1] with { Count = slices[^1].Count + count };
        else slices.Add(new CoreSlice(tile, first, count));
    }
}
