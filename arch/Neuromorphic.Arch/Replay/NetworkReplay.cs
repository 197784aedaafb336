using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Replay;

/// <summary>What replaying external activity through a network on a chip cost.</summary>
/// <param name="Samples">Samples replayed.</param>
/// <param name="Timesteps">Timesteps per sample.</param>
/// <param name="Account">The priced ledger.</param>
/// <param name="Costs">The cost table.</param>
/// <param name="LatencyCycles">Hardware latency of every timestep, base cycles, samples one after another.</param>
/// <param name="Rates">Mean firing rate of each population with activity.</param>
/// <param name="Macros">Macros the projections occupy.</param>
/// <param name="Priced">Projections priced (their source had activity).</param>
/// <param name="Skipped">Projections not priced (no activity for their source).</param>
public sealed record NetworkReplayResult(int Samples, int Timesteps, EnergyAccount Account, CostTable Costs, long[] LatencyCycles,
    IReadOnlyDictionary<string, double> Rates, int Macros, IReadOnlyList<string> Priced, IReadOnlyList<string> Skipped);

/// <summary>
/// Replays activity recorded elsewhere (a PyTorch model's spikes, an event camera) through a NIR
/// network on a chip: each dense or sparse projection whose source population has activity is
/// placed on RRAM macros and driven by that population's spikes, one macro operation per
/// timestep; each neuron population's updates are counted on the neuron core. No neuron
/// dynamics are computed: the activity is taken as it is.
/// </summary>
public static class NetworkReplay
{
    /// <summary>Replays <paramref name="samples"/> (each: population name -> [timesteps x size] raster).</summary>
    public static NetworkReplayResult Run(Network network, IReadOnlyList<IReadOnlyDictionary<string, SpikeRaster>> samples, ArchitectureSpec architecture, ulong seed)
    {
        if (samples.Count == 0) throw new ArgumentException("no activity to replay");
        var populations = samples[0];
        foreach (var (name, raster) in populations)
        {
            if (!network.Contains(name)) throw new ArgumentException($"population '{name}' is not a node of the network (nodes: {string.Join(", ", network.Nodes.Select(n => n.Name))})");
            var size = Shape.Size(network[name].OutputShape!);
            if (raster.Channels != size) throw new ArgumentException($"population '{name}' has {raster.Channels} neurons in the activity but {size} in the network");
        }
        var chip = new ChipModel(architecture);
        var ledger = new Ledger();
        var mapper = new Mapper(chip, seed);
        var noc = new ChipNoc(chip.CreateNoc(), architecture.BaseClockHz);
        var noise = DeterministicRandom.ForComponent(seed, "replay.read_noise");
        var projections = new List<(string Source, MacroProjection Projection, int[] SourceTiles, int[] TargetTiles)>();
        var priced = new List<string>();
        var skipped = new List<string>();
        foreach (var node in network.Nodes)
        {
            var sources = network.SourcesOf(node.Name).ToList();
            MappedMatrix? mapped = node switch
            {
                DenseNode d when sources.Count == 1 && populations.ContainsKey(sources[0]) => mapper.Map(node.Name, d.Weight, d.Outputs, d.Inputs),
                SparseNode s when sources.Count == 1 && populations.ContainsKey(sources[0]) => mapper.Map(node.Name, s.Weights),
                _ => null,
            };
            if (mapped is null)
            {
                if (node is DenseNode or SparseNode or ConvNode) skipped.Add(node.Name);
                continue;
            }
            priced.Add(node.Name);
            projections.Add((sources[0], new MacroProjection(mapped, chip, ledger), new int[mapped.Inputs], new int[mapped.Outputs]));
        }
        var neurons = network.Nodes.OfType<NeuronNode>().Select(n => (n.Name, n.Model.Size,
            Handle: ledger.Register(DigitalNeuronUnit.Component, n.Name, n.Model is CubaLifModel ? DigitalNeuronUnit.CubaLifUpdateAction : DigitalNeuronUnit.LifUpdateAction),
            Spikes: ledger.Register(DigitalNeuronUnit.Component, n.Name, DigitalNeuronUnit.SpikeAction))).ToList();
        var unit = chip.NeuronUnit;
        var neuronCycles = (long)Math.Ceiling(unit.CyclesFor(Math.Max(1, neurons.Sum(n => n.Size))) * unit.CycleNs * architecture.BaseClockHz * 1e-9);
        var steps = populations.Values.Max(r => r.Timesteps);
        var latencies = new List<long>();
        var active = new int[Math.Max(1, populations.Values.Max(r => r.Channels))];
        var scratch = new double[Math.Max(1, projections.Select(p => p.Projection.Mapped.Outputs).DefaultIfEmpty(1).Max())];
        long clock = 0;
        var spikesSeen = populations.Keys.ToDictionary(k => k, _ => 0L);
        foreach (var sample in samples)
        {
            for (var t = 0; t < steps; t++)
            {
                var start = clock;
                var end = start;
                foreach (var (source, projection, sourceTiles, targetTiles) in projections)
                {
                    var raster = sample[source];
                    if (t >= raster.Timesteps) continue;
                    var row = raster.Row(t);
                    var count = 0;
                    for (var i = 0; i < row.Length; i++) if (row[i] != 0) active[count++] = i;
                    end = Math.Max(end, projection.Execute(active.AsSpan(0, count), start, sourceTiles, targetTiles, noc,
                        scratch.AsSpan(0, projection.Mapped.Outputs), noise, costOnly: true));
                }
                foreach (var (name, size, handle, spikeHandle) in neurons)
                {
                    ledger.Add(handle, size);
                    if (sample.TryGetValue(name, out var raster) && t < raster.Timesteps)
                    {
                        long fired = 0;
                        foreach (var v in raster.Row(t)) if (v != 0) fired++;
                        ledger.Add(spikeHandle, fired);
                    }
                }
                foreach (var (name, raster) in sample)
                    if (t < raster.Timesteps) foreach (var v in raster.Row(t)) if (v != 0) spikesSeen[name]++;
                clock = end + neuronCycles;
                latencies.Add(clock - start);
            }
        }
        ledger.Add(ledger.Register(MeshNoc.Component, "", MeshNoc.RouterFlitAction), noc.Noc.RouterFlits);
        ledger.Add(ledger.Register(MeshNoc.Component, "", MeshNoc.LinkFlitAction), noc.Noc.LinkFlits);
        var macros = mapper.MacrosUsed;
        var adcs = chip.Mux.AdcsFor(architecture.Macro.Crossbar.Columns);
        // A recorded trace carries no timestep duration here: the window is the busy time (the power policy decides
        // per_unit against idle; an always-on real-time figure needs the recording's duration).
        var busy = clock / architecture.BaseClockHz;
        var account = PowerAccounting.Price(chip, ledger, chip.Instances(macros, Math.Max(1, mapper.TilesUsed), adcs), new PowerWindow(busy, busy)).Account;
        var rates = populations.ToDictionary(p => p.Key, p => spikesSeen[p.Key] / ((double)samples.Count * steps * p.Value.Channels));
        return new NetworkReplayResult(samples.Count, steps, account, chip.Costs, latencies.ToArray(), rates, macros, priced, skipped);
    }
}
