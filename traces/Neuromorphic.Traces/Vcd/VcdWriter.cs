using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Neuromorphic.Traces.Vcd;

/// <summary>
/// A streaming writer of Value Change Dump files (IEEE 1364-2005 section 18), the waveform
/// format read by GTKWave and <c>vcd2fst</c>.
/// </summary>
/// <remarks>
/// <para>
/// <b>Declaration phase.</b> Declare variables with <see cref="Wire"/>, <see cref="Integer"/> and
/// <see cref="Real"/>, optionally restrict the output with <see cref="Window"/>, then call
/// <see cref="EndDefinitions"/>, which writes the header: <c>$date</c> and <c>$version</c> (only
/// when given, so that output is reproducible by default), <c>$timescale</c>, the scopes as
/// nested <c>$scope module NAME $end</c> ... <c>$upscope $end</c> and <c>$enddefinitions $end</c>.
/// Scopes are dotted paths (<c>chip.tile0.macro3</c>); in each scope its variables come first, in
/// declaration order, then its sub-scopes in the order they were first used.
/// </para>
/// <para>
/// <b>Names.</b> Scope segments and variable names keep ASCII letters, digits and <c>_</c>; every
/// other character (brackets, spaces, dots, colons, <c>$</c>, non-ASCII, ...) becomes <c>_</c>,
/// and an empty name becomes <c>_</c>. A name already used in the same scope (by a variable or a
/// sub-scope) gets the first free suffix <c>_2</c>, <c>_3</c>, ... . The written names are on
/// <see cref="VcdSignal.ScopePath"/> and <see cref="VcdSignal.Name"/>.
/// </para>
/// <para>
/// <b>Identifier codes</b> are assigned in declaration order by <see cref="IdentifierCode"/>
/// (bijective base 94 over the printable characters <c>!</c> (33) to <c>~</c> (126)), so
/// declaration order is also identifier order (shortest first, then character by character).
/// </para>
/// <para>
/// <b>Initial values.</b> Every variable starts at 0: wires and integers at <c>0</c> (not
/// <c>x</c>: the simulator's signals always have a defined value) and reals at <c>r0</c>. The
/// initial <c>$dumpvars</c> block is written at the start time (0, or the window's start) and holds
/// every variable's value at that time: its initial value updated by all changes at or before the
/// start time. It is preceded by <c>#start</c>, so changes at the start time appear only there.
/// </para>
/// <para>
/// <b>Value phase.</b> <see cref="Change(VcdSignal, long, ulong)"/> (with overloads for
/// <c>long</c>, <c>bool</c> and <c>double</c> values) and <see cref="Pulse"/> take times in timescale
/// units that must be non-decreasing from call to call (an earlier time throws
/// <see cref="ArgumentException"/>) and lie in [0, <see cref="MaxTime"/>]. Changes are buffered per
/// time; when a later time arrives (or on <see cref="Close"/>) the writer emits <c>#t</c> followed by
/// that time's changes in identifier order. Of several changes of one variable at one time the
/// last one wins; a change that leaves a variable at its current value is not written, and a time
/// with no remaining change gets no <c>#t</c>. Formats: 1-bit wires as scalars (<c>0!</c>,
/// <c>1!</c>), wider wires and all integers as binary vectors without leading zeros (<c>b101 "</c>,
/// <c>b0 "</c>), reals as <c>r</c> plus the shortest round-trip invariant-culture text
/// (<c>r0.5 #</c>, <c>r1E-05 #</c>, <c>rNaN #</c>).
/// </para>
/// <para>
/// <b>Pulses</b> are the spike convention: <see cref="Pulse"/> at t sets the variable to 1 at t and
/// queues a 0 at t + 1. Two pulses of one variable at the same time are one pulse; pulses at t and
/// t + 1 merge into a level that is high for two ticks (the 1 of the later pulse is the later
/// change at t + 1 and wins over the queued fall).
/// </para>
/// <para>
/// <b>Window.</b> With <see cref="Window"/>(from, to) only times in [from, to] are written:
/// earlier changes only update the state dumped by <c>$dumpvars</c> at <c>#from</c>, later ones are
/// dropped.
/// </para>
/// <para>
/// <b>End.</b> <see cref="Close"/> (or <see cref="Dispose"/>) writes the buffered changes
/// (including queued pulse falls inside the window), the <c>$dumpvars</c> block if no time reached
/// it yet, and a final <c>#t</c> one tick after the last time covered (the later of the last time
/// written and the latest time given, clipped to the window), so that the last values have a
/// duration in a viewer. It flushes but does not close the underlying writer or stream, which
/// belong to the caller. Declarations-only writers get <see cref="EndDefinitions"/> called
/// implicitly.
/// </para>
/// <para>An instance is not thread-safe.</para>
/// </remarks>
public sealed class VcdWriter : IDisposable
{
    /// <summary>The largest time accepted (including the falling edge of a pulse).</summary>
    public const long MaxTime = long.MaxValue - 2;

    private static readonly Regex TimescalePattern = new(@"^\s*(1|10|100)\s*(s|ms|us|ns|ps|fs)\s*$", RegexOptions.CultureInvariant);

    private readonly TextWriter _out;
    private readonly StreamWriter? _ownedWriter;
    private readonly string? _date;
    private readonly string? _version;
    private readonly Scope _root = new("");
    private readonly List<VcdSignal> _signals = [];
    private readonly List<Slot> _pending = [];
    private readonly Stack<Dictionary<int, ulong>> _spareMaps = new();
    private readonly List<int> _changed = [];
    private ulong[] _state = [];
    private Phase _phase = Phase.Declaring;
    private long _from;
    private long _to = MaxTime;
    private long _lastCallTime = -1;
    private long _maxTime = -1;
    private long _lastWritten = -1;
    private bool _dumped;

    /// <summary>Creates a writer on a text writer. Lines end in "\n" whatever the writer's <see cref="TextWriter.NewLine"/> is.</summary>
    /// <param name="writer">The destination; flushed by <see cref="Close"/> but not disposed.</param>
    /// <param name="timescale">The time unit: 1, 10 or 100 followed by s, ms, us, ns, ps or fs (e.g. <c>"1 ns"</c>, <c>"10us"</c>).</param>
    /// <param name="date">Text of the <c>$date</c> section, or null to leave it out (the default keeps output reproducible).</param>
    /// <param name="version">Text of the <c>$version</c> section, or null to leave it out.</param>
    public VcdWriter(TextWriter writer, string timescale = "1 ns", string? date = null, string? version = null)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(timescale);
        Match match = TimescalePattern.Match(timescale);
        if (!match.Success)
        {
            throw new ArgumentException(
                $"invalid VCD timescale '{timescale}': expected 1, 10 or 100 followed by s, ms, us, ns, ps or fs (e.g. \"1 ns\")",
                nameof(timescale));
        }

        Timescale = match.Groups[1].Value + " " + match.Groups[2].Value;
        _date = CheckSectionText(date, nameof(date));
        _version = CheckSectionText(version, nameof(version));
        _out = writer;
    }

    /// <summary>Creates a writer on a stream, writing UTF-8 without a byte-order mark.</summary>
    /// <param name="stream">The destination; flushed by <see cref="Close"/> but left open.</param>
    /// <param name="timescale">The time unit: 1, 10 or 100 followed by s, ms, us, ns, ps or fs (e.g. <c>"1 ns"</c>, <c>"10us"</c>).</param>
    /// <param name="date">Text of the <c>$date</c> section, or null to leave it out (the default keeps output reproducible).</param>
    /// <param name="version">Text of the <c>$version</c> section, or null to leave it out.</param>
    public VcdWriter(Stream stream, string timescale = "1 ns", string? date = null, string? version = null)
        : this(CreateStreamWriter(stream), timescale, date, version)
    {
        _ownedWriter = (StreamWriter)_out;
    }

    private enum Phase
    {
        Declaring,
        Values,
        Closed,
    }

    /// <summary>The normalised timescale, e.g. <c>"1 ns"</c>.</summary>
    public string Timescale { get; }

    /// <summary>The declared signals in declaration (and identifier) order.</summary>
    public IReadOnlyList<VcdSignal> Signals => _signals;

    /// <summary>The first time written (0, or the start of the <see cref="Window"/>).</summary>
    public long WindowFrom => _from;

    /// <summary>The last time written (<see cref="MaxTime"/>, or the end of the <see cref="Window"/>).</summary>
    public long WindowTo => _to;

    /// <summary>
    /// The identifier code of the signal with declaration index <paramref name="index"/>: bijective
    /// base 94 over the printable ASCII characters 33 (<c>!</c>) to 126 (<c>~</c>), most significant
    /// first. 0 -> <c>!</c>, 93 -> <c>~</c>, 94 -> <c>!!</c>, 95 -> <c>!"</c>, 8929 (94 + 94^2 - 1) -> <c>~~</c>,
    /// 8930 -> <c>!!!</c>.
    /// </summary>
    /// <param name="index">A non-negative declaration index.</param>
    /// <returns>The code (1 to 5 characters).</returns>
    public static string IdentifierCode(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        Span<char> buffer = stackalloc char[8];
        int position = buffer.Length;
        long n = (long)index + 1;
        while (n > 0)
        {
            n--;
            buffer[--position] = (char)(33 + (n % 94));
            n /= 94;
        }

        return new string(buffer[position..]);
    }

    /// <summary>Declares a <c>wire</c>.</summary>
    /// <param name="scopePath">Dotted scope path, e.g. <c>chip.tile0.macro3</c>; no empty segments.</param>
    /// <param name="name">Variable name (sanitised, see the class remarks).</param>
    /// <param name="width">Width in bits, 1 to 64; 1-bit wires are written as scalars.</param>
    /// <returns>The signal to pass to the value methods.</returns>
    public VcdSignal Wire(string scopePath, string name, int width = 1) => Declare(scopePath, name, VcdSignalKind.Wire, width);

    /// <summary>Declares an <c>integer</c> (written as a binary vector).</summary>
    /// <param name="scopePath">Dotted scope path, e.g. <c>chip.tile0</c>; no empty segments.</param>
    /// <param name="name">Variable name (sanitised, see the class remarks).</param>
    /// <param name="width">Width in bits, 1 to 64 (Verilog integers are 32).</param>
    /// <returns>The signal to pass to the value methods.</returns>
    public VcdSignal Integer(string scopePath, string name, int width = 32) => Declare(scopePath, name, VcdSignalKind.Integer, width);

    /// <summary>Declares a <c>real</c> (64-bit floating point).</summary>
    /// <param name="scopePath">Dotted scope path, e.g. <c>chip.tile0</c>; no empty segments.</param>
    /// <param name="name">Variable name (sanitised, see the class remarks).</param>
    /// <returns>The signal to pass to the value methods.</returns>
    public VcdSignal Real(string scopePath, string name) => Declare(scopePath, name, VcdSignalKind.Real, 64);

    /// <summary>
    /// Restricts the output to times in [<paramref name="from"/>, <paramref name="to"/>]: changes
    /// before <paramref name="from"/> only set the state written by the initial <c>$dumpvars</c> at
    /// <c>#from</c>; changes after <paramref name="to"/> are dropped. Call before
    /// <see cref="EndDefinitions"/>.
    /// </summary>
    /// <param name="from">First time written; not negative.</param>
    /// <param name="to">Last time written; at least <paramref name="from"/> and at most <see cref="MaxTime"/>.</param>
    public void Window(long from, long to)
    {
        RequirePhase(Phase.Declaring, "Window");
        ArgumentOutOfRangeException.ThrowIfNegative(from);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(to, MaxTime);
        if (to < from)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"the window end {to} is before its start {from}");
        }

        _from = from;
        _to = to;
    }

    /// <summary>
    /// Ends the declaration phase: writes the header, the scopes and variables and
    /// <c>$enddefinitions $end</c>. The initial <c>$dumpvars</c> follows at the start time (see the
    /// class remarks).
    /// </summary>
    public void EndDefinitions()
    {
        RequirePhase(Phase.Declaring, nameof(EndDefinitions));
        if (_date is not null)
        {
            _out.Write("$date\n\t" + _date + "\n$end\n");
        }

        if (_version is not null)
        {
            _out.Write("$version\n\t" + _version + "\n$end\n");
        }

        _out.Write("$timescale " + Timescale + " $end\n");
        foreach (Scope child in _root.Children)
        {
            WriteScope(child);
        }

        _out.Write("$enddefinitions $end\n");
        _state = new ulong[_signals.Count]; // 0 for wires and integers, and the bits of +0.0 for reals
        _phase = Phase.Values;
    }

    /// <summary>Sets a wire or integer (or, converted to double, a real) to <paramref name="value"/> at <paramref name="time"/>.</summary>
    /// <param name="signal">A signal of this writer.</param>
    /// <param name="time">The time, in [0, <see cref="MaxTime"/>] and not before the previous call's time.</param>
    /// <param name="value">The value; must fit in the signal's width.</param>
    public void Change(VcdSignal signal, long time, ulong value)
    {
        RequirePhase(Phase.Values, nameof(Change));
        CheckSignal(signal);
        ulong bits;
        if (signal.Kind == VcdSignalKind.Real)
        {
            bits = BitConverter.DoubleToUInt64Bits(value);
        }
        else
        {
            if (signal.Width < 64 && (value >> signal.Width) != 0)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(value), value, $"value {value} does not fit in the {signal.Width}-bit signal {signal.FullName}");
            }

            bits = value;
        }

        Advance(time, time);
        Set(time, signal.Index, bits);
    }

    /// <summary>
    /// Sets a wire or integer (or, converted to double, a real) to a non-negative
    /// <paramref name="value"/> at <paramref name="time"/>. This overload takes <c>int</c> and
    /// <c>long</c> arguments (which would otherwise bind to the <c>double</c> overload).
    /// </summary>
    /// <param name="signal">A signal of this writer.</param>
    /// <param name="time">The time, in [0, <see cref="MaxTime"/>] and not before the previous call's time.</param>
    /// <param name="value">The value; not negative (pass two's-complement bits as <c>ulong</c>) and must fit in the signal's width.</param>
    public void Change(VcdSignal signal, long time, long value)
    {
        if (value < 0 && signal is { Kind: not VcdSignalKind.Real })
        {
            throw new ArgumentOutOfRangeException(
                nameof(value), value, $"negative value {value} for {signal.FullName}: pass the two's-complement bits as a ulong");
        }

        if (signal is { Kind: VcdSignalKind.Real })
        {
            Change(signal, time, (double)value);
            return;
        }

        Change(signal, time, unchecked((ulong)value));
    }

    /// <summary>Sets a wire or integer to 1 (<paramref name="value"/> true) or 0 at <paramref name="time"/>.</summary>
    /// <param name="signal">A wire or integer signal of this writer.</param>
    /// <param name="time">The time, in [0, <see cref="MaxTime"/>] and not before the previous call's time.</param>
    /// <param name="value">The level.</param>
    public void Change(VcdSignal signal, long time, bool value)
    {
        if (signal is { Kind: VcdSignalKind.Real })
        {
            throw new ArgumentException($"signal {signal.FullName} is a real; pass a double", nameof(signal));
        }

        Change(signal, time, value ? 1UL : 0UL);
    }

    /// <summary>Sets a real to <paramref name="value"/> at <paramref name="time"/>.</summary>
    /// <param name="signal">A real signal of this writer.</param>
    /// <param name="time">The time, in [0, <see cref="MaxTime"/>] and not before the previous call's time.</param>
    /// <param name="value">The value (any double, including NaN and infinities).</param>
    public void Change(VcdSignal signal, long time, double value)
    {
        RequirePhase(Phase.Values, nameof(Change));
        CheckSignal(signal);
        if (signal.Kind != VcdSignalKind.Real)
        {
            throw new ArgumentException(
                $"signal {signal.FullName} is a {signal.Kind.ToString().ToLowerInvariant()}, not a real: pass an integer value", nameof(signal));
        }

        Advance(time, time);
        Set(time, signal.Index, BitConverter.DoubleToUInt64Bits(value));
    }

    /// <summary>
    /// Writes a 1-tick pulse (the spike convention): the signal is 1 at <paramref name="time"/> and
    /// 0 again at <paramref name="time"/> + 1.
    /// </summary>
    /// <param name="signal">A wire or integer signal of this writer.</param>
    /// <param name="time">The time, in [0, <see cref="MaxTime"/> - 1] and not before the previous call's time.</param>
    public void Pulse(VcdSignal signal, long time)
    {
        RequirePhase(Phase.Values, nameof(Pulse));
        CheckSignal(signal);
        if (signal.Kind == VcdSignalKind.Real)
        {
            throw new ArgumentException($"signal {signal.FullName} is a real; pulses need a wire or an integer", nameof(signal));
        }

        if (time >= MaxTime)
        {
            throw new ArgumentOutOfRangeException(nameof(time), time, $"a pulse needs a time below {MaxTime} (its fall is at time + 1)");
        }

        Advance(time, time + 1);
        Set(time, signal.Index, 1);
        Set(time + 1, signal.Index, 0);
    }

    /// <summary>
    /// Writes the buffered changes, the initial <c>$dumpvars</c> if not yet written and the final
    /// <c>#t</c>, then flushes the destination (see the class remarks). Further calls do nothing.
    /// </summary>
    public void Close()
    {
        if (_phase == Phase.Closed)
        {
            return;
        }

        if (_phase == Phase.Declaring)
        {
            EndDefinitions();
        }

        _phase = Phase.Closed;
        while (_pending.Count > 0)
        {
            EmitFirstSlot();
        }

        if (!_dumped)
        {
            WriteDump();
        }

        long end = Math.Max(_lastWritten, Math.Min(_maxTime, _to)) + 1;
        _out.Write("#" + end.ToString(CultureInfo.InvariantCulture) + "\n");
        _out.Flush();
        _ownedWriter?.Dispose(); // leaveOpen: the stream stays open
    }

    /// <summary>Same as <see cref="Close"/>.</summary>
    public void Dispose() => Close();

    private static StreamWriter CreateStreamWriter(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), bufferSize: 65536, leaveOpen: true)
        {
            NewLine = "\n",
        };
    }

    private static string? CheckSectionText(string? text, string paramName)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Contains("$end", StringComparison.Ordinal))
        {
            throw new ArgumentException($"the {paramName} text must not contain \"$end\"", paramName);
        }

        return text.Trim();
    }

    /// <summary>Replaces every character but ASCII letters, digits and '_' with '_'.</summary>
    private static string Sanitize(string name)
    {
        if (name.Length == 0)
        {
            return "_";
        }

        return string.Create(name.Length, name, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = source[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_';
            }
        });
    }

    private void RequirePhase(Phase phase, string operation)
    {
        if (_phase == phase)
        {
            return;
        }

        ObjectDisposedException.ThrowIf(_phase == Phase.Closed, this);
        throw new InvalidOperationException(phase == Phase.Declaring
            ? $"{operation} is only allowed before EndDefinitions()"
            : $"{operation} is only allowed after EndDefinitions()");
    }

    private void CheckSignal(VcdSignal signal)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (!ReferenceEquals(signal.Owner, this))
        {
            throw new ArgumentException($"signal {signal.FullName} was declared on another VcdWriter", nameof(signal));
        }
    }

    private VcdSignal Declare(string scopePath, string name, VcdSignalKind kind, int width)
    {
        RequirePhase(Phase.Declaring, kind.ToString());
        ArgumentNullException.ThrowIfNull(scopePath);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, 64);

        Scope scope = _root;
        var written = new StringBuilder();
        foreach (string segment in scopePath.Split('.'))
        {
            if (segment.Length == 0)
            {
                throw new ArgumentException(
                    $"invalid scope path '{scopePath}': expected dot-separated non-empty names such as chip.tile0.macro3", nameof(scopePath));
            }

            scope = scope.Child(segment);
            written.Append(written.Length == 0 ? "" : ".").Append(scope.Name);
        }

        int index = _signals.Count;
        var signal = new VcdSignal(this, index, IdentifierCode(index), written.ToString(), scope.Claim(name), kind, width);
        scope.Variables.Add(signal);
        _signals.Add(signal);
        return signal;
    }

    private void WriteScope(Scope scope)
    {
        _out.Write("$scope module " + scope.Name + " $end\n");
        foreach (VcdSignal signal in scope.Variables)
        {
            string type = signal.Kind switch
            {
                VcdSignalKind.Wire => "wire",
                VcdSignalKind.Integer => "integer",
                _ => "real",
            };
            _out.Write("$var " + type + " " + signal.Width.ToString(CultureInfo.InvariantCulture) + " " + signal.Identifier + " " + signal.Name + " $end\n");
        }

        foreach (Scope child in scope.Children)
        {
            WriteScope(child);
        }

        _out.Write("$upscope $end\n");
    }

    /// <summary>Checks a call's time, then writes every buffered time before it.</summary>
    private void Advance(long time, long latest)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(time);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(time, MaxTime);
        if (time < _lastCallTime)
        {
            throw new ArgumentException(
                $"time {time} is before the previous time {_lastCallTime}: VCD times must be non-decreasing", nameof(time));
        }

        _lastCallTime = time;
        _maxTime = Math.Max(_maxTime, latest);
        while (_pending.Count > 0 && _pending[0].Time < time)
        {
            EmitFirstSlot();
        }
    }

    private void Set(long time, int index, ulong bits)
    {
        // At most two slots are pending: the current time and the next one (pulse falls).
        int i = 0;
        while (i < _pending.Count && _pending[i].Time < time)
        {
            i++;
        }

        if (i == _pending.Count || _pending[i].Time != time)
        {
            var map = _spareMaps.Count > 0 ? _spareMaps.Pop() : new Dictionary<int, ulong>();
            _pending.Insert(i, new Slot(time, map));
        }

        _pending[i].Values[index] = bits;
    }

    private void EmitFirstSlot()
    {
        Slot slot = _pending[0];
        _pending.RemoveAt(0);
        try
        {
            Emit(slot);
        }
        finally
        {
            slot.Values.Clear();
            _spareMaps.Push(slot.Values);
        }
    }

    private void Emit(Slot slot)
    {
        if (slot.Time > _to)
        {
            return;
        }

        if (slot.Time < _from || (!_dumped && slot.Time == _from))
        {
            foreach ((int index, ulong bits) in slot.Values)
            {
                _state[index] = bits;
            }

            if (slot.Time == _from)
            {
                WriteDump();
            }

            return;
        }

        if (!_dumped)
        {
            WriteDump();
        }

        _changed.Clear();
        foreach ((int index, ulong bits) in slot.Values)
        {
            if (_state[index] != bits)
            {
                _changed.Add(index);
                _state[index] = bits;
            }
        }

        if (_changed.Count == 0)
        {
            return;
        }

        _changed.Sort();
        _out.Write("#" + slot.Time.ToString(CultureInfo.InvariantCulture) + "\n");
        foreach (int index in _changed)
        {
            WriteValue(_signals[index], _state[index]);
        }

        _lastWritten = slot.Time;
    }

    private void WriteDump()
    {
        _out.Write("#" + _from.ToString(CultureInfo.InvariantCulture) + "\n$dumpvars\n");
        foreach (VcdSignal signal in _signals)
        {
            WriteValue(signal, _state[signal.Index]);
        }

        _out.Write("$end\n");
        _dumped = true;
        _lastWritten = _from;
    }

    private void WriteValue(VcdSignal signal, ulong bits)
    {
        switch (signal.Kind)
        {
            case VcdSignalKind.Real:
                _out.Write("r" + BitConverter.UInt64BitsToDouble(bits).ToString("R", CultureInfo.InvariantCulture) + " " + signal.Identifier + "\n");
                break;
            case VcdSignalKind.Wire when signal.Width == 1:
                _out.Write((bits == 0 ? "0" : "1") + signal.Identifier + "\n");
                break;
            default:
                _out.Write("b" + Convert.ToString(unchecked((long)bits), 2) + " " + signal.Identifier + "\n");
                break;
        }
    }

    private readonly record struct Slot(long Time, Dictionary<int, ulong> Values);

    /// <summary>A node of the scope tree; names in one scope are unique across variables and sub-scopes.</summary>
    private sealed class Scope(string name)
    {
        private readonly Dictionary<string, Scope> _byRawName = new(StringComparer.Ordinal);
        private readonly HashSet<string> _used = new(StringComparer.Ordinal);

        public string Name { get; } = name;

        public List<Scope> Children { get; } = [];

        public List<VcdSignal> Variables { get; } = [];

        public Scope Child(string rawName)
        {
            if (!_byRawName.TryGetValue(rawName, out Scope? child))
            {
                child = new Scope(Claim(rawName));
                _byRawName.Add(rawName, child);
                Children.Add(child);
            }

            return child;
        }

        /// <summary>Sanitises a name and makes it unique in this scope.</summary>
        public string Claim(string rawName)
        {
            string baseName = Sanitize(rawName);
            string candidate = baseName;
            for (int k = 2; !_used.Add(candidate); k++)
            {
                candidate = baseName + "_" + k.ToString(CultureInfo.InvariantCulture);
            }

            return candidate;
        }
    }
}
