namespace Neuromorphic.Traces.Vcd;

/// <summary>A change to write later: <paramref name="Signal"/> set to <paramref name="Value"/> at <paramref name="Time"/>.</summary>
/// <param name="Time">The time, in the writer's timescale units.</param>
/// <param name="Signal">A wire or integer signal of the writer.</param>
/// <param name="Value">The value (not negative).</param>
public readonly record struct VcdChange(long Time, VcdSignal Signal, long Value);

/// <summary>
/// Changes and pulses of a <see cref="VcdWriter"/>'s wires and integers, in time order, held in memory to be written
/// later merged with changes known only then (an LSM waveform's readout class is decided after the whole run).
/// A VCD must be written in time order, so what follows the first late change cannot be written before it is known.
/// </summary>
/// <remarks>
/// Each entry takes a few bytes (variable-length integers: the signal and whether it is a pulse, the time since the
/// previous entry, the value) in 64 KiB blocks, so holding a run's waveform costs a fraction of the file it becomes and
/// no allocation per entry. Not thread-safe.
/// </remarks>
public sealed class VcdChangeLog
{
    private const int BlockBytes = 1 << 16;

    // The longest entry: three variable-length integers of up to 10 bytes.
    private const int MaxEntryBytes = 30;

    private readonly VcdWriter _writer;
    private readonly List<(byte[] Bytes, int Used)> _full = [];
    private byte[] _block = new byte[BlockBytes];
    private int _used;
    private long _lastTime;
    private bool _written;

    /// <summary>A log of changes to <paramref name="writer"/>'s signals.</summary>
    /// <param name="writer">The writer the changes go to (signals must be its own).</param>
    public VcdChangeLog(VcdWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer;
    }

    /// <summary>Entries logged so far.</summary>
    public long Count { get; private set; }

    /// <summary>Bytes the entries take.</summary>
    public long Bytes => _full.Sum(b => (long)b.Used) + _used;

    /// <summary>Logs <paramref name="signal"/> set to <paramref name="value"/> at <paramref name="time"/> (see <see cref="VcdWriter.Change(VcdSignal, long, long)"/>).</summary>
    /// <exception cref="ArgumentException">A real, another writer's signal, a negative value, a value wider than the signal, or a time before the previous entry's or after <see cref="VcdWriter.MaxTime"/>.</exception>
    public void Change(VcdSignal signal, long time, long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        Append(signal, time, pulse: false, value);
    }

    /// <summary>Logs a one-tick pulse of <paramref name="signal"/> at <paramref name="time"/> (see <see cref="VcdWriter.Pulse"/>).</summary>
    /// <exception cref="ArgumentException">A real, another writer's signal, or an earlier time than the previous entry's.</exception>
    public void Pulse(VcdSignal signal, long time) => Append(signal, time, pulse: true, 0);

    /// <summary>
    /// Writes the logged entries and <paramref name="late"/> to the writer in time order (at one time, the late changes
    /// first). Once only.
    /// </summary>
    /// <param name="late">Changes in non-decreasing time order.</param>
    /// <exception cref="ArgumentException">The late changes go back in time.</exception>
    /// <exception cref="InvalidOperationException">Already written.</exception>
    public void WriteTo(IReadOnlyList<VcdChange> late)
    {
        ArgumentNullException.ThrowIfNull(late);
        if (_written) throw new InvalidOperationException("the change log was already written");
        for (var k = 1; k < late.Count; k++)
            if (late[k].Time < late[k - 1].Time)
                throw new ArgumentException($"late change {k} at {late[k].Time} is before the one at {late[k - 1].Time}", nameof(late));
        _written = true;
        var next = 0;
        long time = 0;
        _full.Add((_block, _used));
        foreach (var (bytes, used) in _full)
        {
            var at = 0;
            while (at < used)
            {
                var head = Read(bytes, ref at);
                time += (long)Read(bytes, ref at);
                var pulse = (head & 1) != 0;
                var value = pulse ? 0 : Read(bytes, ref at);
                for (; next < late.Count && late[next].Time <= time; next++) _writer.Change(late[next].Signal, late[next].Time, late[next].Value);
                var signal = _writer.Signals[(int)(head >> 1)];
                if (pulse) _writer.Pulse(signal, time);
                else _writer.Change(signal, time, value);
            }
        }
        for (; next < late.Count; next++) _writer.Change(late[next].Signal, late[next].Time, late[next].Value);
        _full.Clear();
        _block = [];
        _used = 0;
    }

    private void Append(VcdSignal signal, long time, bool pulse, long value)
    {
        ArgumentNullException.ThrowIfNull(signal);
        if (_written) throw new InvalidOperationException("the change log was already written");
        if (signal.Index >= _writer.Signals.Count || !ReferenceEquals(_writer.Signals[signal.Index], signal))
            throw new ArgumentException($"signal {signal.FullName} was declared on another VcdWriter", nameof(signal));
        if (signal.Kind == VcdSignalKind.Real) throw new ArgumentException($"signal {signal.FullName} is a real; the log holds wires and integers", nameof(signal));
        if (time < _lastTime) throw new ArgumentException($"time {time} is before the previous time {_lastTime}", nameof(time));
        // The writer's own checks, here rather than when the log is written after a whole run.
        ArgumentOutOfRangeException.ThrowIfGreaterThan(time, VcdWriter.MaxTime);
        if (!pulse && signal.Width < 64 && (value >> signal.Width) != 0)
            throw new ArgumentOutOfRangeException(nameof(value), value, $"value {value} does not fit in the {signal.Width}-bit signal {signal.FullName}");
        if (_used + MaxEntryBytes > _block.Length)
        {
            _full.Add((_block, _used));
            (_block, _used) = (new byte[BlockBytes], 0);
        }
        Write((ulong)signal.Index << 1 | (pulse ? 1UL : 0UL));
        Write((ulong)(time - _lastTime));
        if (!pulse) Write((ulong)value);
        _lastTime = time;
        Count++;
    }

    private void Write(ulong x)
    {
        for (; x >= 0x80; x >>= 7) _block[_used++] = (byte)(x | 0x80);
        _block[_used++] = (byte)x;
    }

    private static ulong Read(byte[] bytes, ref int at)
    {
        ulong x = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = bytes[at++];
            x |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return x;
        }
    }
}
