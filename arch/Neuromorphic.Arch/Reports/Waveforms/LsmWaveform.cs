using System.Globalization;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Traces.Vcd;

namespace Neuromorphic.Arch.Reports.Waveforms;

/// <summary>
/// Dumps an LSM chip's activity as a VCD waveform, one VCD tick per clock period unit
/// (see <see cref="Timescale"/>). Signals:
/// <list type="bullet">
/// <item><c>chip.sample</c>, <c>chip.timestep</c>: the sample and timestep running.</item>
/// <item><c>chip.step_start</c>: a one-tick pulse where a timestep's spikes are released to the macros;
/// <c>chip.neuron_update</c>: a pulse where the neuron unit finished updating (the step's end).</item>
/// <item><c>chip.spikes_queued</c>: spikes (input and last step's reservoir) waiting for delivery in the
/// step, from its start until the neuron update; <c>chip.macro_queue</c>: macro operations of the step
/// not yet started (each starts when its spikes arrived and its array is free).</item>
/// <item><c>chip.adc_conversions</c>: column conversions finished so far in the written samples (cumulative, so
/// its slope is the conversion rate).</item>
/// <item><c>macros.mNNN_PROJECTION.busy</c> (from the operation's first row-group drive to its last
/// shift-add) and <c>.conversions</c> (the operation's column conversions, while busy).</item>
/// <item><c>input.nI</c>, <c>reservoir.nI</c>: a pulse per spike of the selected neurons, inputs at
/// the step start, reservoir neurons at the update.</item>
/// <item><c>readout.busy</c>: the accumulate core runs a batch of the readout, from taking it to its end (the wait for
/// the core's edge included), as <see cref="ReadoutTiming"/> times them; <c>readout.counter_increments</c> and
/// <c>readout.macs</c>: the operations of the batches running (a step's spikes, an inference's multiply-accumulates);
/// <c>readout.class</c>: the class decided, set when the inference's multiply-accumulates end (at its last step's end when
/// it has none), which is the inference's latency after its first step's start; <c>readout.classified</c>: the inferences
/// classified so far in the dump (it counts up there, so a decision shows even when the class repeats).</item>
/// </list>
/// Only samples in [<see cref="FirstSample"/>, <see cref="LastSample"/>] are written, and within
/// them only times in the window given to the writer. The class is decided after the run (the readout is trained on
/// every sample's features), so the changes are held (<see cref="VcdChangeLog"/>) until <see cref="Classified"/>
/// merges the readout's into them and writes the file's values.
/// </summary>
public sealed class LsmWaveform : ILsmChipProbe
{
    private readonly VcdWriter _vcd;
    private readonly SpikeSelection? _selection;
    private readonly long _ticksPerCycle;
    private readonly List<Change> _changes = [];
    private readonly VcdChangeLog _log;
    private readonly List<long> _lastStepEnds = [];
    private VcdSignal _sample = null!, _step = null!, _stepStart = null!, _update = null!, _queued = null!, _macroQueue = null!, _conversions = null!;
    private VcdSignal _readoutBusy = null!, _increments = null!, _macs = null!, _class = null!, _classified = null!;
    private VcdSignal[] _busy = [], _macroConversions = [];
    private VcdSignal?[] _inputs = [], _neurons = [];
    private int _currentSample = -1;
    private long _stepStartCycle;
    private long _conversionsSoFar;
    private int _order;

    /// <summary>A recorder writing to <paramref name="vcd"/> (still in its declaration phase).</summary>
    /// <param name="vcd">The writer; its timescale must be <see cref="Timescale"/> of the clock.</param>
    /// <param name="baseClockHz">The chip's base clock (cycle times are converted to VCD ticks).</param>
    /// <param name="selection">Neurons whose spikes are dumped (populations <c>input</c>, <c>reservoir</c>); null for none.</param>
    /// <param name="firstSample">First sample written.</param>
    /// <param name="lastSample">Last sample written.</param>
    public LsmWaveform(VcdWriter vcd, double baseClockHz, SpikeSelection? selection, int firstSample, int lastSample)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(firstSample);
        ArgumentOutOfRangeException.ThrowIfLessThan(lastSample, firstSample);
        _vcd = vcd;
        _log = new VcdChangeLog(vcd);
        _selection = selection;
        _ticksPerCycle = TicksPerCycle(baseClockHz);
        (FirstSample, LastSample) = (firstSample, lastSample);
    }

    /// <summary>The populations whose spikes a waveform can hold (the names a selection may use).</summary>
    public static IReadOnlyList<string> Populations { get; } = [InputPopulation, ReservoirPopulation];

    private const string InputPopulation = "input", ReservoirPopulation = "reservoir";

    /// <summary>First sample written.</summary>
    public int FirstSample { get; }

    /// <summary>Last sample written.</summary>
    public int LastSample { get; }

    /// <summary>Whether the readout was drawn and the values written (<see cref="Classified"/>).</summary>
    public bool Complete { get; private set; }

    /// <summary>The VCD timescale for a clock: 1 ns when the period is whole nanoseconds, else 1 ps.</summary>
    public static string Timescale(double baseClockHz) => IsWholeNs(baseClockHz) ? "1 ns" : "1 ps";

    private static bool IsWholeNs(double hz) => Math.Abs(1e9 / hz - Math.Round(1e9 / hz)) < 1e-9 && Math.Round(1e9 / hz) >= 1;

    private static long TicksPerCycle(double hz) => IsWholeNs(hz) ? (long)Math.Round(1e9 / hz) : Math.Max(1, (long)Math.Round(1e12 / hz));

    /// <summary>Converts a time with a unit (<c>12us</c>, <c>3.5 ms</c>, <c>800ns</c>, <c>40 cycles</c>) to VCD ticks.</summary>
    /// <exception cref="FormatException">Not a number with one of the units s, ms, us, ns, ps, cycles.</exception>
    public static long ParseTime(string text, double baseClockHz)
    {
        var t = text.Trim();
        var units = new (string Suffix, double Seconds)[] { ("cycles", -1), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9), ("ps", 1e-12), ("s", 1) };
        foreach (var (suffix, seconds) in units)
        {
            if (!t.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)) continue;
            if (!double.TryParse(t[..^suffix.Length].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var x) || x < 0 || !double.IsFinite(x))
                break;
            if (seconds < 0) return (long)Math.Round(x * TicksPerCycle(baseClockHz));
            var tickSeconds = IsWholeNs(baseClockHz) ? 1e-9 : 1e-12;
            return (long)Math.Round(x * seconds / tickSeconds);
        }
        throw new FormatException($"'{text}' is not a time (a non-negative number with a unit: s, ms, us, ns, ps or cycles)");
    }

    /// <inheritdoc />
    public void Describe(IReadOnlyList<string> macroProjection, int inputs, int neurons)
    {
        _sample = _vcd.Integer("chip", "sample");
        _step = _vcd.Integer("chip", "timestep");
        _stepStart = _vcd.Wire("chip", "step_start");
        _update = _vcd.Wire("chip", "neuron_update");
        _queued = _vcd.Integer("chip", "spikes_queued");
        _macroQueue = _vcd.Integer("chip", "macro_queue");
        _conversions = _vcd.Integer("chip", "adc_conversions", 64);
        _busy = new VcdSignal[macroProjection.Count];
        _macroConversions = new VcdSignal[macroProjection.Count];
        for (var m = 0; m < macroProjection.Count; m++)
        {
            var scope = string.Create(CultureInfo.InvariantCulture, $"macros.m{m:D3}_{macroProjection[m]}");
            _busy[m] = _vcd.Wire(scope, "busy");
            _macroConversions[m] = _vcd.Integer(scope, "conversions");
        }
        _readoutBusy = _vcd.Wire(ReadoutScope, "busy");
        _increments = _vcd.Integer(ReadoutScope, "counter_increments", 64);
        _macs = _vcd.Integer(ReadoutScope, "macs", 64);
        _class = _vcd.Integer(ReadoutScope, "class");
        _classified = _vcd.Integer(ReadoutScope, "classified");
        _inputs = Declare(InputPopulation, inputs);
        _neurons = Declare(ReservoirPopulation, neurons);
        _vcd.EndDefinitions();
    }

    private VcdSignal?[] Declare(string population, int count)
    {
        var signals = new VcdSignal?[count];
        if (_selection is null || !_selection.IncludesAny(population)) return signals;
        for (var i = 0; i < count; i++)
            if (_selection.Includes(population, i)) signals[i] = _vcd.Wire(population, string.Create(CultureInfo.InvariantCulture, $"n{i}"));
        return signals;
    }

    private const string ReadoutScope = "readout";

    private bool Recording => _currentSample >= FirstSample && _currentSample <= LastSample;

    /// <inheritdoc />
    public void SampleStarted(int sample)
    {
        _currentSample = sample;
        // Samples run in order: recorded sample s has its last step's end at s - FirstSample.
        if (Recording) _lastStepEnds.Add(0);
    }

    /// <inheritdoc />
    public void StepStarted(int step, long cycle, ReadOnlySpan<int> inputSpikes, int recurrentSpikes)
    {
        _stepStartCycle = cycle;
        _changes.Clear();
        if (!Recording) return;
        var t = cycle * _ticksPerCycle;
        Add(t, _sample, ChangeKind.Level, _currentSample);
        Add(t, _step, ChangeKind.Level, step);
        Add(t, _stepStart, ChangeKind.Pulse);
        Add(t, _queued, ChangeKind.Level, inputSpikes.Length + recurrentSpikes);
        foreach (var i in inputSpikes)
            if (_inputs[i] is { } s) Add(t, s, ChangeKind.Pulse);
    }

    /// <inheritdoc />
    public void MacroOperated(int macro, in MacroOperation operation)
    {
        if (!Recording || operation.ActiveGroups == 0) return;
        Add(operation.Start * _ticksPerCycle, _busy[macro], ChangeKind.BusyRise, 1);
        Add(operation.Start * _ticksPerCycle, _macroConversions[macro], ChangeKind.Level, operation.Conversions);
        Add(operation.End * _ticksPerCycle, _busy[macro], ChangeKind.Level, 0);
        Add(operation.End * _ticksPerCycle, _macroConversions[macro], ChangeKind.Level, 0);
        Add(operation.End * _ticksPerCycle, _conversions, ChangeKind.ConversionsDone, operation.Conversions);
    }

    /// <inheritdoc />
    public void StepEnded(long cycle, ReadOnlySpan<float> spikes)
    {
        if (!Recording) return;
        _lastStepEnds[^1] = cycle;
        var t = cycle * _ticksPerCycle;
        Add(t, _update, ChangeKind.Pulse);
        Add(t, _queued, ChangeKind.Level, 0);
        for (var i = 0; i < spikes.Length; i++)
            if (spikes[i] != 0 && _neurons[i] is { } s) Add(t, s, ChangeKind.Pulse);
        Flush();
    }

    private void Add(long time, VcdSignal signal, ChangeKind kind, long value = 0) =>
        _changes.Add(new Change(time, _order++, signal, kind, value));

    /// <summary>Writes one step's changes in time order (macros finish out of program order).</summary>
    private void Flush()
    {
        _changes.Sort(static (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Order.CompareTo(b.Order));
        // Macro operations of the step waiting to start: all at the step start, one fewer at each start.
        var pending = 0;
        foreach (var c in _changes) if (c.Kind == ChangeKind.BusyRise) pending++;
        _log.Change(_macroQueue, _stepStartCycle * _ticksPerCycle, pending);
        foreach (var c in _changes)
        {
            switch (c.Kind)
            {
                case ChangeKind.Pulse:
                    _log.Pulse(c.Signal, c.Time);
                    break;
                case ChangeKind.ConversionsDone:
                    _conversionsSoFar += c.Value;
                    _log.Change(c.Signal, c.Time, _conversionsSoFar);
                    break;
                case ChangeKind.BusyRise:
                    _log.Change(c.Signal, c.Time, c.Value);
                    _log.Change(_macroQueue, c.Time, --pending);
                    break;
                default:
                    _log.Change(c.Signal, c.Time, c.Value);
                    break;
            }
        }
        _changes.Clear();
    }

    /// <inheritdoc />
    public void Classified(ReadoutTiming readout, IReadOnlyList<int> classes)
    {
        ArgumentNullException.ThrowIfNull(readout);
        ArgumentNullException.ThrowIfNull(classes);
        if (Complete) throw new InvalidOperationException("the readout was already drawn");
        if (classes.Count != readout.CyclesAfterSteps.Length)
            throw new ArgumentException($"{classes.Count} classes for {readout.CyclesAfterSteps.Length} inferences", nameof(classes));
        _log.WriteTo(ReadoutChanges(readout, classes));
        Complete = true;
    }

    /// <summary>The readout's changes of the recorded samples, in time order.</summary>
    private List<VcdChange> ReadoutChanges(ReadoutTiming readout, IReadOnlyList<int> classes)
    {
        // Each batch adds its operations to its kind's level from its take to its end; each class is set at its time.
        // The timing gives every inference an idle core, so one's multiply-accumulates may overlap the next one's first
        // counter increments: the levels add up and busy stays high.
        var events = new List<(long Time, ReadoutWork Work, long Operations, int Sample)>();
        foreach (var b in readout.Batches)
        {
            if (b.Inference < FirstSample || b.Inference > LastSample) continue;
            events.Add((b.Taken * _ticksPerCycle, b.Work, b.Operations, -1));
            events.Add((b.End * _ticksPerCycle, b.Work, -b.Operations, -1));
        }
        for (var k = 0; k < _lastStepEnds.Count; k++)
        {
            var s = FirstSample + k;
            events.Add(((_lastStepEnds[k] + readout.CyclesAfterSteps[s]) * _ticksPerCycle, default, 0, s));
        }
        // Within a time only the sums and the classes' order (by sample) matter.
        events.Sort(static (a, b) => a.Time != b.Time ? a.Time.CompareTo(b.Time) : a.Sample.CompareTo(b.Sample));
        var changes = new List<VcdChange>(events.Count * 2);
        long running = 0, increments = 0, macs = 0, classified = 0;
        for (var i = 0; i < events.Count;)
        {
            var time = events[i].Time;
            for (; i < events.Count && events[i].Time == time; i++)
            {
                var e = events[i];
                if (e.Sample >= 0)
                {
                    changes.Add(new VcdChange(time, _class, classes[e.Sample]));
                    changes.Add(new VcdChange(time, _classified, ++classified));
                    continue;
                }
                running += Math.Sign(e.Operations);
                if (e.Work == ReadoutWork.CounterIncrements) increments += e.Operations;
                else macs += e.Operations;
            }
            changes.Add(new VcdChange(time, _readoutBusy, running > 0 ? 1 : 0));
            changes.Add(new VcdChange(time, _increments, increments));
            changes.Add(new VcdChange(time, _macs, macs));
        }
        return changes;
    }

    /// <summary>What a buffered change does when written.</summary>
    private enum ChangeKind
    {
        /// <summary>Set the signal to the value.</summary>
        Level,

        /// <summary>A one-tick pulse.</summary>
        Pulse,

        /// <summary>A macro starts an operation: busy goes high and the macro queue shrinks.</summary>
        BusyRise,

        /// <summary>An operation's conversions (the value) join the cumulative count.</summary>
        ConversionsDone,
    }

    private readonly record struct Change(long Time, int Order, VcdSignal Signal, ChangeKind Kind, long Value);
}
