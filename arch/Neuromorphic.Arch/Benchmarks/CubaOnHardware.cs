using System.Diagnostics;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Arch.Benchmarks;

/// <summary>
/// The CUBA benchmark with its synapses on RRAM macros: the excitatory and inhibitory connection
/// matrices (binary: a synapse is a low-resistance cell) are mapped onto macros, spikes travel
/// over the mesh to the macros holding their rows, each macro reads the row groups hit, and the
/// partial sums travel back to the neuron tiles, where digital neuron units integrate ge, gi and v.
/// Each timestep is a kernel tick; the step ends when its last partial sum has arrived
/// (barrier mode), so the hardware latency per step comes out of the resource timelines. The
/// neuron dynamics stay the functional model's (the weights are exact on an ideal device).
/// </summary>
public sealed class CubaOnHardware : ITimestepListener, IComponent
{
    private readonly CubaSimulation _simulation;
    private readonly MacroProjection _excitatory, _inhibitory;
    private readonly ChipNoc _noc;
    private readonly double[] _ge, _gi;
    private readonly int[] _excSpikes, _inhSpikes;
    private readonly int _neurons, _excitatoryCount, _tiles;
    private readonly long _neuronCycles;
    private readonly int _hUpdate, _hSpike;
    private readonly float _we, _wi;
    private readonly int[] _excSource, _inhSource, _target; // tile of each input / output neuron
    private readonly DeterministicRandom _noise;
    private int _self = -1;

    private CubaOnHardware(ChipModel chip, CubaNetwork network, CubaSimulation simulation, Mapper mapper, Ledger ledger, ulong seed)
    {
        Chip = chip;
        Ledger = ledger;
        _simulation = simulation;
        var p = network.Parameters;
        _neurons = p.Neurons;
        _excitatoryCount = p.Excitatory;
        _tiles = chip.Spec.Chip.Tiles;
        _excitatory = new MacroProjection(mapper.Map("excitatory", Connectivity(network, 0, _excitatoryCount), _neurons, _excitatoryCount), chip, ledger);
        _inhibitory = new MacroProjection(mapper.Map("inhibitory", Connectivity(network, _excitatoryCount, _neurons), _neurons, _neurons - _excitatoryCount), chip, ledger);
        Macros = mapper.MacrosUsed;
        Utilisation = (_excitatory.Mapped.Utilisation * _excitatory.Mapped.Tiles.Count + _inhibitory.Mapped.Utilisation * _inhibitory.Mapped.Tiles.Count) / Macros;
        _noc = new ChipNoc(chip.CreateNoc(), chip.Spec.BaseClockHz);
        _ge = new double[_neurons];
        _gi = new double[_neurons];
        _excSpikes = new int[_neurons];
        _inhSpikes = new int[_neurons];
        _we = (float)p.WeightExcitatory;
        _wi = (float)p.WeightInhibitory;
        // Neurons are spread evenly over the tiles; each tile's neuron unit updates its share in parallel.
        _target = Enumerable.Range(0, _neurons).Select(j => (int)((long)j * _tiles / _neurons)).ToArray();
        _excSource = _target[.._excitatoryCount];
        _inhSource = _target[_excitatoryCount..];
        var unit = chip.NeuronUnit;
        var perTile = (_neurons + _tiles - 1) / _tiles;
        _neuronCycles = (long)Math.Ceiling(unit.CyclesFor(perTile) * unit.CycleNs * chip.Spec.BaseClockHz * 1e-9);
        _hUpdate = ledger.Register(DigitalNeuronUnit.Component, "neurons", DigitalNeuronUnit.CubaLifUpdateAction);
        _hSpike = ledger.Register(DigitalNeuronUnit.Component, "neurons", DigitalNeuronUnit.SpikeAction);
        _noise = DeterministicRandom.ForComponent(seed, "cuba.read_noise");
    }

    /// <summary>The architecture's models.</summary>
    public ChipModel Chip { get; }

    /// <summary>Action counts.</summary>
    public Ledger Ledger { get; }

    /// <summary>Macros holding synapses.</summary>
    public int Macros { get; }

    /// <summary>Share of the used macros' cells holding synapses.</summary>
    public double Utilisation { get; }

    /// <summary>
    /// Maps, programs and runs the benchmark. The chip is sized to the network: if the architecture's
    /// tiles hold too few macros, tiles are added (and the mesh grown) — reported in the result.
    /// </summary>
    public static CubaHardwareReport Run(ArchitectureSpec spec, CubaParameters parameters, double durationSeconds, ulong seed)
    {
        var setup = Stopwatch.StartNew();
        var sized = SizeChip(spec, parameters);
        var chip = new ChipModel(sized);
        var network = CubaNetwork.Build(parameters, seed);
        var simulation = new CubaSimulation(network, seed);
        var ledger = new Ledger();
        var mapper = new Mapper(chip, seed);
        var run = new CubaOnHardware(chip, network, simulation, mapper, ledger, seed);
        setup.Stop();

        var steps = checked((int)Math.Round(durationSeconds * 1000 / parameters.Dt));
        var scheduler = new Scheduler();
        run._self = scheduler.Register(run);
        var driver = new TimestepDriver(scheduler, run, cyclesPerStep: 0);
        var loop = Stopwatch.StartNew();
        driver.Run(steps);
        loop.Stop();

        var noc = run._noc.Noc;
        ledger.Add(ledger.Register(MeshNoc.Component, "", MeshNoc.RouterFlitAction), noc.RouterFlits);
        ledger.Add(ledger.Register(MeshNoc.Component, "", MeshNoc.LinkFlitAction), noc.LinkFlits);
        var simulated = steps * parameters.Dt / 1000;
        var adcs = chip.Mux.AdcsFor(run._excitatory.Macros[0].Array.PhysicalColumns);
        var latencies = driver.StepStartCycles.Zip(driver.StepEndCycles, (s, e) => e - s).ToArray();
        // Leakage by the architecture's power policy: the real-time period is the simulated model time, the busy time the chip's.
        var power = PowerAccounting.Price(chip, ledger, chip.Instances(run.Macros, mapper.TilesUsed, adcs),
            new PowerWindow(simulated, latencies.Sum() / sized.BaseClockHz));
        var account = power.Account;

        var stats = run._excitatory.Mapped.Tiles.Concat(run._inhibitory.Mapped.Tiles).Select(t => t.Array.Stats).Aggregate(ProgrammingStats.Empty, (a, b) => a + b);
        var programmingPj = stats.Pulses * chip.Costs.Get(MacroCosts.ArrayComponent, MacroCosts.ProgramPulseAction).EnergyPj
            + stats.VerifyReads * chip.Costs.Get(MacroCosts.ArrayComponent, MacroCosts.VerifyReadAction).EnergyPj;
        var ns = 1e9 / sized.BaseClockHz;
        var events = CountEvents(network, simulation);
        var functional = new CubaReport(parameters.Neurons, network.Synapses, simulation.Spikes, simulation.Spikes / (parameters.Neurons * simulated),
            loop.Elapsed.TotalSeconds, setup.Elapsed.TotalSeconds, simulated, loop.Elapsed.TotalSeconds / simulated, events,
            events / loop.Elapsed.TotalSeconds, 0, seed, []);
        return new CubaHardwareReport(functional, sized.Origin, run.Macros, mapper.TilesUsed, run.Utilisation, setup.Elapsed.TotalSeconds,
            run._excitatory.Operations + run._inhibitory.Operations, latencies.Sum(), latencies.Average() * ns, latencies.Max() * ns,
            latencies.Average() * ns * 1e-9 / (parameters.Dt * 1e-3), account.TotalPj * 1e-12, account.DynamicPj * 1e-12,
            events == 0 ? 0 : account.TotalPj / events, programmingPj * 1e-12, stats.Pulses, stats.VerifyReads, account, chip.Costs) { Power = power };
    }

    /// <inheritdoc />
    public void OnTimestep(int step, Scheduler scheduler)
    {
        var start = scheduler.Now;
        _simulation.Integrate();
        var spiking = _simulation.Spiking;
        var fired = spiking.Length;
        Ledger.Add(_hUpdate, _neurons);
        Ledger.Add(_hSpike, fired);
        var ready = start + _neuronCycles;
        var end = ready;
        int excCount = 0, inhCount = 0;
        foreach (var i in spiking)
        {
            if (i < _excitatoryCount) _excSpikes[excCount++] = i;
            else _inhSpikes[inhCount++] = i - _excitatoryCount;
        }
        if (excCount > 0) end = Math.Max(end, Deliver(_excitatory, _excSpikes.AsSpan(0, excCount), ready, _excSource, _ge, excitatory: true));
        if (inhCount > 0) end = Math.Max(end, Deliver(_inhibitory, _inhSpikes.AsSpan(0, inhCount), ready, _inhSource, _gi, excitatory: false));
        _simulation.FinishStep();
        // The step ends when its last partial sum has arrived: a kernel event there closes the step.
        scheduler.ScheduleAt(_self, end);
    }

    /// <inheritdoc />
    public void OnEvent(in SimEvent ev, Scheduler scheduler)
    {
        // End-of-step marker: nothing to do, its time is the step's end.
    }

    private long Deliver(MacroProjection projection, ReadOnlySpan<int> spikes, long ready, int[] source, double[] accumulated, bool excitatory)
    {
        var end = projection.Execute(spikes, ready, source, _target, _noc, accumulated, _noise);
        foreach (var j in projection.Touched)
        {
            var value = accumulated[j];
            if (value == 0) continue;
            accumulated[j] = 0;
            if (excitatory) _simulation.AddSynapticInput(j, (float)(value * _we), 0);
            else _simulation.AddSynapticInput(j, 0, (float)(value * _wi));
        }
        return end;
    }

    private static long CountEvents(CubaNetwork network, CubaSimulation simulation)
    {
        // Synaptic events of the hardware run: each spike reaches its out-degree of synapses.
        long events = 0;
        var counts = simulation.SpikeCounts;
        for (var i = 0; i < counts.Length; i++) events += (long)counts[i] * (network.FanOutStart[i + 1] - network.FanOutStart[i]);
        return events;
    }

    /// <summary>Dense [post x pre] 0/1 matrix of the presynaptic neurons [from, to).</summary>
    private static float[] Connectivity(CubaNetwork network, int from, int to)
    {
        var n = network.Parameters.Neurons;
        var inputs = to - from;
        var matrix = new float[(long)n * inputs];
        var targets = new int[n];
        for (var pre = from; pre < to; pre++)
        {
            var degree = network.OutDegree(pre);
            network.CopyTargets(pre, targets);
            foreach (var post in targets.AsSpan(0, degree)) matrix[(long)post * inputs + pre - from] += 1;
        }
        return matrix;
    }

    private static ArchitectureSpec SizeChip(ArchitectureSpec spec, CubaParameters p)
    {
        var chip = new ChipModel(spec);
        var rows = spec.Macro.Crossbar.Rows;
        var columns = chip.LogicalColumnsPerMacro;
        int Blocks(int inputs) => (inputs + rows - 1) / rows * ((p.Neurons + columns - 1) / columns);
        var macros = Blocks(p.Excitatory) + Blocks(p.Neurons - p.Excitatory);
        var tiles = Math.Max(spec.Chip.Tiles, (macros + spec.Chip.MacrosPerTile - 1) / spec.Chip.MacrosPerTile);
        if (tiles == spec.Chip.Tiles) return spec;
        var width = (int)Math.Ceiling(Math.Sqrt(tiles));
        var height = (tiles + width - 1) / width;
        return spec with
        {
            Chip = spec.Chip with { Tiles = width * height },
            Noc = spec.Noc with { Width = width, Height = height },
            Description = spec.Description + $" (sized to {width * height} tiles for the network)",
        };
    }
}
