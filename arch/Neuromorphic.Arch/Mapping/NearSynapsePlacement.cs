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
/// range of neurons fed by the same macros. When the chosen tile's core is full, the next best feeding tile takes
/// the rest, then the free core nearest to the best tile. A crossbar feeds a population when the population is its
/// first element-wise consumer (output j feeds neuron j mod size), as <see cref="NetworkMapper"/> routes its sums.
/// Neurons fed by no macro follow the neuron before them (for a population's first neurons, the free core nearest tile 0).
/// </summary>
internal static class NearSynapsePlacement
{
    /// <summary>Core slices of every population (null for other nodes), given each crossbar node's macros (null: none).</summary>
    /// <exception cref="MappingException">The neurons do not fit the cores.</exception>
    public static IReadOnlyList<CoreSlice>?[] Place(Network network, ExecutionPlan plan, ChipParameters chip, int meshWidth, IReadOnlyList<MacroSite>?[] sites)
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
            slices[i] = PlacePopulation(network.Nodes[i].Name, size, intervals, chip, meshWidth, used);
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

    private static List<CoreSlice> PlacePopulation(string name, int size, List<(int Start, int End, int Tile)> intervals, ChipParameters chip, int width,
        int[] used)
    {
        // A sweep over the neurons: at every interval boundary the set of feeding tiles (with macro counts) changes.
        var bounds = new List<(int At, int Tile, int Delta)>(2 * intervals.Count);
        foreach (var (start, end, tile) in intervals)
        {
            bounds.Add((start, tile, +1));
            bounds.Add((end, tile, -1));
        }
        bounds.Sort();
        var active = new SortedDictionary<int, int>();
        var slices = new List<CoreSlice>();
        var previous = -1;
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
            foreach (var tile in Ranked(active, width, previous))
            {
                if (neuron == end) break;
                var take = Math.Min(end - neuron, chip.NeuronsPerCore - used[tile]);
                if (take <= 0) continue;
                Add(slices, tile, neuron, take);
                used[tile] += take;
                neuron += take;
                previous = tile;
            }
            while (neuron < end)
            {
                // No feeding tile (or previous one) has room: the free core nearest to the best of them.
                var near = Nearest(active.Count > 0 ? Ranked(active, width, previous).First() : Math.Max(previous, 0), used, chip, width)
                    ?? throw new MappingException($"placement near_synapses: population '{name}' ({size} neurons) finds no free core for neuron {neuron}: "
                        + $"the chip has {chip.Tiles} tiles of {chip.NeuronsPerCore} neurons; raise chip.tiles or chip.neurons_per_core");
                var take = Math.Min(end - neuron, chip.NeuronsPerCore - used[near]);
                Add(slices, near, neuron, take);
                used[near] += take;
                neuron += take;
                previous = near;
            }
        }
        return slices;
    }

    /// <summary>
    /// The feeding tiles, best first: by the hops from all the feeding macros (each tile's count weighs), then by
    /// index. With no feeding macro, the previous neuron's tile (none yet: no candidate).
    /// </summary>
    private static IEnumerable<int> Ranked(SortedDictionary<int, int> active, int width, int previous)
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
        return ranked.Select(r => r.Tile);
    }

    /// <summary>The tile with room nearest to <paramref name="from"/> (by hops, then index); null when every core is full.</summary>
    private static int? Nearest(int from, int[] used, ChipParameters chip, int width)
    {
        int? best = null;
        var bestHops = int.MaxValue;
        for (var t = 0; t < chip.Tiles; t++)
        {
            if (used[t] >= chip.NeuronsPerCore) continue;
            var hops = MeshNoc.XyHops(from, t, width);
            if (hops < bestHops) (best, bestHops) = (t, hops);
        }
        return best;
    }

    private static void Add(List<CoreSlice> slices, int tile, int first, int count)
    {
        if (slices.Count > 0 && slices[^1].Tile == tile && slices[^1].First + slices[^1].Count == first)
            slices[^1] = slices[^1] with { Count = slices[^1].Count + count };
        else slices.Add(new CoreSlice(tile, first, count));
    }
}
