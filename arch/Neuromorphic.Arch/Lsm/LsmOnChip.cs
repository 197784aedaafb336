using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Lsm;

/// <summary>
/// The liquid state machine executed on the chip: the reservoir's input and recurrent conductance
/// matrices sit in RRAM macros (input and recurrent each split into a positive and a negative line:
/// excitatory/inhibitory sources, random signs, or the two cells of differential pairs),
/// the LIF neurons and the readout features on a tile's digital neuron core. Each timestep is a
/// kernel tick: the input spikes of the step and the reservoir spikes of the previous step drive
/// the macros (one row-group read per group with an active row), the partial sums reach the neuron
/// core, the neurons update, and the step ends when they have.
/// </summary>
/// <remarks>
/// Co-simulation check: in lock-step, each timestep a golden model with exact weights and ideal
/// arithmetic starts from the chip's membrane state and the same input and previous spikes, and
/// its spikes are compared with the chip's (ADC quantisation and device noise make them differ).
/// </remarks>
public sealed class LsmOnChip : ITimestepListener, IComponent
{
    private readonly LsmReservoir _reservoir;
    private readonly MacroProjection _inputPositive, _recurrentPositive, _recurrentNegative;
    private readonly RecurrentLine _positiveLine, _negativeLine;
    private readonly MacroProjection? _inputNegative;
    private readonly ChipNoc _noc;
    private readonly INeuronDynamics<double> _neurons, _golden;
    private readonly double[] _current, _goldenCurrent, _membraneBefore, _spikes, _goldenSpikes;
    private readonly int[] _active, _fired, _positiveSpikes, _negativeSpikes, _inputTile, _neuronTile, _positiveTile, _negativeTile;
    private readonly float[] _inputWeights, _recurrentWeights; // exact weights for the golden model
    private readonly long _neuronCycles;
    private readonly int _hUpdate, _hSpike;
    private readonly DeterministicRandom _noise;
    private readonly Scheduler _scheduler = new();
    private readonly TimestepDriver _driver;
    private readonly int _self;
    private int _firedCount, _positiveCount, _negativeCount, _firstStep;
    private SpikeRaster? _input, _output, _recorded;
    private long _agree, _chipOnly, _goldenOnly;
    private bool _lockStep;

    /// <summary>Maps the reservoir onto <paramref name="chip"/>, counting into <paramref name="ledger"/>.</summary>
    public LsmOnChip(ChipModel chip, LsmReservoir reservoir, Ledger ledger, ulong seed)
    {
        Chip = chip;
        Ledger = ledger;
        _reservoir = reservoir;
        var p = reservoir.Parameters;
        int n = p.Neurons, inputs = reservoir.Inputs;
        (_positiveLine, _negativeLine) = (reservoir.RecurrentPositive, reservoir.RecurrentNegative);
        var mapper = new Mapper(chip, seed);
        _inputPositive = new MacroProjection(mapper.MapCells("input", new ProgrammedCells(reservoir.InputPositive, null, p.InputGain), n, inputs), chip, ledger);
        if (reservoir.HasNegativeInput)
            _inputNegative = new MacroProjection(mapper.MapCells("input_inhibitory", new ProgrammedCells(reservoir.InputNegative, null, -p.InputGain), n, inputs), chip, ledger);
        var differential = p.RecurrentSigns == RecurrentSigns.Differential;
        _recurrentPositive = new MacroProjection(mapper.MapCells(differential ? "recurrent_positive" : "recurrent_excitatory",
            new ProgrammedCells(_positiveLine.Conductances, null, _positiveLine.Gain), n, _positiveLine.Sources), chip, ledger);
        _recurrentNegative = new MacroProjection(mapper.MapCells(differential ? "recurrent_negative" : "recurrent_inhibitory",
            new ProgrammedCells(_negativeLine.Conductances, null, _negativeLine.Gain), n, _negativeLine.Sources), chip, ledger);
        Macros = mapper.MacrosUsed;
        Tiles = mapper.TilesUsed;
        _noc = new ChipNoc(chip.CreateNoc(), chip.Spec.BaseClockHz);

        // The reservoir lives on tile 0's neuron core, where the input events also arrive.
        _inputTile = new int[inputs];
        _neuronTile = new int[n];
        _positiveTile = new int[_positiveLine.Sources];
        _negativeTile = new int[_negativeLine.Sources];
        var lif = new SnnTorchLeakyModel(NeuronModel.Fill(n, p.Decay), NeuronModel.Fill(n, p.Threshold), SnnTorchResetMechanism.Zero, resetDelay: false);
        _neurons = lif.CreateDynamics<double>(1);
        _golden = lif.CreateDynamics<double>(1);
        _current = new double[n];
        _goldenCurrent = new double[n];
        _membraneBefore = new double[n];
        _spikes = new double[n];
        _goldenSpikes = new double[n];
        _active = new int[inputs];
        _fired = new int[n];
        _positiveSpikes = new int[_positiveLine.Sources];
        _negativeSpikes = new int[_negativeLine.Sources];
        _inputWeights = reservoir.InputWeights();
        _recurrentWeights = reservoir.RecurrentWeights();

        var unit = chip.NeuronUnit;
        _neuronCycles = (long)Math.Ceiling(unit.CyclesFor(n) * unit.CycleNs * chip.Spec.BaseClockHz * 1e-9);
        _hUpdate = ledger.Register(DigitalNeuronUnit.Component, "reservoir", DigitalNeuronUnit.LifUpdateAction);
        _hSpike = ledger.Register(DigitalNeuronUnit.Component, "reservoir", DigitalNeuronUnit.SpikeAction);
        _noise = DeterministicRandom.ForComponent(seed, "lsm.read_noise");
        _self = _scheduler.Register(this);
        _driver = new TimestepDriver(_scheduler, this, cyclesPerStep: 0);
    }

    /// <summary>The architecture's models.</summary>
    public ChipModel Chip { get; }

    /// <summary>Action counts.</summary>
    public Ledger Ledger { get; }

    /// <summary>Macros used.</summary>
    public int Macros { get; }

    /// <summary>Tiles used.</summary>
    public int Tiles { get; }

    /// <summary>The network on chip (its counters go to the ledger at the end).</summary>
    public MeshNoc Noc => _noc.Noc;

    /// <summary>Every macro projection, for utilisation and programming statistics.</summary>
    public IEnumerable<MacroProjection> Projections =>
        new[] { _inputPositive, _inputNegative, _recurrentPositive, _recurrentNegative }.Where(x => x is not null)!;

    /// <summary>Observer of the chip's steps, spikes and macro operations (null: none).</summary>
    public ILsmChipProbe? Probe
    {
        get => _probe;
        set
        {
            _probe = value;
            var owners = new List<string>();
            foreach (var projection in Projections)
            {
                projection.Probe = value;
                projection.FirstMacroIndex = owners.Count;
                owners.AddRange(Enumerable.Repeat(projection.Mapped.Layer, projection.Macros.Count));
            }
            value?.Describe(owners, _reservoir.Inputs, _reservoir.Parameters.Neurons);
        }
    }

    private ILsmChipProbe? _probe;

    /// <summary>
    /// Runs one sample (the reservoir starts at rest), with the lock-step golden check if asked.
    /// The chip's timeline continues from the previous sample (samples run back to back).
    /// </summary>
    public LsmSampleRun Run(SpikeRaster input, bool lockStep) => Drive(input, null, lockStep);

    /// <summary>
    /// Replays a recorded sample: the same chip activity as <see cref="Run"/> (macro reads, neuron
    /// updates, spikes, NoC traffic, in the same order), but the reservoir's spikes are taken from
    /// <paramref name="spikes"/> instead of being computed: no neuron dynamics, no golden model.
    /// </summary>
    public LsmSampleRun Replay(SpikeRaster input, SpikeRaster spikes)
    {
        if (spikes.Timesteps != input.Timesteps || spikes.Channels != _reservoir.Parameters.Neurons)
            throw new ArgumentException($"the recorded reservoir is {spikes.Timesteps} x {spikes.Channels}, expected {input.Timesteps} x {_reservoir.Parameters.Neurons}");
        return Drive(input, spikes, lockStep: false);
    }

    private LsmSampleRun Drive(SpikeRaster input, SpikeRaster? recorded, bool lockStep)
    {
        if (input.Channels != _reservoir.Inputs) throw new ArgumentException($"the input has {input.Channels} channels, the reservoir takes {_reservoir.Inputs}");
        _recorded = recorded;
        _neurons.Reset();
        (_firedCount, _positiveCount, _negativeCount) = (0, 0, 0);
        (_agree, _chipOnly, _goldenOnly) = (0, 0, 0);
        _input = input;
        _output = new SpikeRaster(input.Timesteps, _reservoir.Parameters.Neurons);
        _lockStep = lockStep;
        _firstStep = _driver.StepStartCycles.Count;
        _driver.Run(input.Timesteps);
        var latencies = new long[input.Timesteps];
        for (var t = 0; t < latencies.Length; t++) latencies[t] = _driver.StepEndCycles[_firstStep + t] - _driver.StepStartCycles[_firstStep + t];
        return new LsmSampleRun(_output, latencies, _agree, _chipOnly, _goldenOnly);
    }

    /// <inheritdoc />
    public void OnTimestep(int step, Scheduler scheduler)
    {
        var t = step - _firstStep;
        var start = scheduler.Now;
        var row = _input!.Row(t);
        var active = 0;
        for (var i = 0; i < row.Length; i++) if (row[i] != 0) _active[active++] = i;
        var inputs = _active.AsSpan(0, active);
        if (_lockStep) _neurons.Membrane.CopyTo(_membraneBefore);

        // Input spikes and last step's reservoir spikes drive their macros in parallel.
        Array.Clear(_current);
        _probe?.StepStarted(t, start, inputs, _firedCount);
        var end = start;
        var costOnly = _recorded is not null; // replay: the spikes are known, only the chip's work is counted
        end = Math.Max(end, _inputPositive.Execute(inputs, start, _inputTile, _neuronTile, _noc, _current, _noise, costOnly));
        if (_inputNegative is not null) end = Math.Max(end, _inputNegative.Execute(inputs, start, _inputTile, _neuronTile, _noc, _current, _noise, costOnly));
        end = Math.Max(end, _recurrentPositive.Execute(_positiveSpikes.AsSpan(0, _positiveCount), start, _positiveTile, _neuronTile, _noc, _current, _noise, costOnly));
        end = Math.Max(end, _recurrentNegative.Execute(_negativeSpikes.AsSpan(0, _negativeCount), start, _negativeTile, _neuronTile, _noc, _current, _noise, costOnly));

        if (_recorded is not null)
        {
            // Replay: the recorded spikes stand in for the neuron dynamics.
            var recordedRow = _recorded.Row(t);
            for (var i = 0; i < _spikes.Length; i++) _spikes[i] = recordedRow[i] != 0 ? 1 : 0;
        }
        else
        {
            if (_lockStep) Golden(inputs);
            _neurons.Step(_current, _spikes);
        }
        var n = _spikes.Length;
        Ledger.Add(_hUpdate, n);
        (_firedCount, _positiveCount, _negativeCount) = (0, 0, 0);
        var output = _output!.MutableRow(t);
        for (var i = 0; i < n; i++)
        {
            if (_spikes[i] == 0) continue;
            output[i] = 1;
            _fired[_firedCount++] = i;
            // A spike drives every line its neuron has cells on (both, for differential pairs).
            if ((uint)(i - _positiveLine.FirstSource) < (uint)_positiveLine.Sources) _positiveSpikes[_positiveCount++] = i - _positiveLine.FirstSource;
            if ((uint)(i - _negativeLine.FirstSource) < (uint)_negativeLine.Sources) _negativeSpikes[_negativeCount++] = i - _negativeLine.FirstSource;
        }
        Ledger.Add(_hSpike, _firedCount);
        if (_lockStep) Compare();
        _probe?.StepEnded(end + _neuronCycles, output);
        scheduler.ScheduleAt(_self, end + _neuronCycles);
    }

    /// <inheritdoc />
    public void OnEvent(in SimEvent ev, Scheduler scheduler)
    {
        // End-of-step marker: its time is the step's end.
    }

    /// <summary>The golden step: exact weights, ideal arithmetic, from the chip's state before this step.</summary>
    private void Golden(ReadOnlySpan<int> inputs)
    {
        var n = _goldenCurrent.Length;
        var fanIn = _reservoir.Inputs;
        for (var i = 0; i < n; i++)
        {
            double sum = 0;
            foreach (var j in inputs) sum += _inputWeights[i * fanIn + j];
            for (var k = 0; k < _firedCount; k++) sum += _recurrentWeights[i * n + _fired[k]];
            _goldenCurrent[i] = sum;
        }
        _golden.SetMembrane(_membraneBefore);
        _golden.Step(_goldenCurrent, _goldenSpikes);
    }

    private void Compare()
    {
        for (var i = 0; i < _spikes.Length; i++)
        {
            var chip = _spikes[i] != 0;
            var golden = _goldenSpikes[i] != 0;
            if (chip && golden) _agree++;
            else if (chip) _chipOnly++;
            else if (golden) _goldenOnly++;
        }
    }
}
