using System.Globalization;
using Neuromorphic.Arch.Execution;
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
/// </list>
/// Only samples in [<see cref="FirstSample"/>, <see cref="LastSample"/>] are written, and within
/// them only times in the window given to the writer.
/// </summary>
public sealed class LsmWaveform : ILsmChipProbe
{
    private readonly VcdWriter _vcd;
    private readonly SpikeSelection? _selection;
    private readonly long _ticksPerCycle;
    private readonly List<Change> _changes = [];
    private VcdSignal _sample = null!, _step = null!, _stepStart = null!, _update = null!, _queued = null!, _macroQueue = null!, _conversions = null!;
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

    private bool Recording => _currentSample >= FirstSample && _currentSample <= LastSample;

    /// <inheritdoc />
    public void SampleStarted(int sample) => _currentSample = sample;

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
        _vcd.Change(_macroQueue, _stepStartCycle * _ticksPerCycle, pending);
        foreach (var c in _changes)
        {
            switch (c.Kind)
            {
                case ChangeKind.Pulse:
                    _vcd.Pulse(c.Signal, c.Time);
                    break;
                case ChangeKind.ConversionsDone:
                    _conversionsSoFar += c.Value;
                    _vcd.Change(c.Signal, c.Time, _conversionsSoFar);
                    break;
                case ChangeKind.BusyRise:
                    _vcd.Change(c.Signal, c.Time, c.Value);
                    _vcd.Change(_macroQueue, c.Time, --pending);
                    break;
                default:
                    _vcd.Change(c.Signal, c.Time, c.Value);
                    break;
            }
        }
        _changes.Clear();
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
