using Neuromorphic.Traces.Events.Streaming;

namespace Neuromorphic.Traces.Events.Conversion;

/// <summary>
/// A sink between a reader and an <see cref="EventWriter"/> that cuts a recording to the sample
/// a user wants to simulate: a time window, a crop and a spatial downsampling, in constant memory.
/// </summary>
/// <remarks>
/// Times: the window is counted from the recording's time origin as runs see it
/// (<see cref="RecordingInfo.TimesFromFirstEvent"/>): the first event for AEDAT, whose clocks have
/// no meaningful origin (an AEDAT 4.0 recording's Unix-time stamps become small numbers every
/// format can hold); time 0 for N-MNIST, CSV and Prophesee, whose times are kept as recorded, so
/// a converted recording bins as the original does in a run. The output's times count from the
/// window's start. Pixels: a cropped event's x and y are relative to the crop's corner,
/// then divided by the downsampling factor (integer division), on a sensor of
/// ceil(width / K) x ceil(height / K). Polarity is kept.
/// </remarks>
public sealed class EventConversion : IEventSink
{
    private readonly EventWriter _writer;
    private readonly ConversionOptions _options;
    private readonly DvsEvent[] _out = new DvsEvent[EventBatch.Capacity];
    private long _firstUs = long.MinValue;
    private bool _fromFirstEvent;
    private int _x0;
    private int _y0;
    private int _width;
    private int _height;

    /// <summary>Creates the conversion.</summary>
    /// <param name="writer">Where the kept events go.</param>
    /// <param name="options">The window, crop and downsampling.</param>
    public EventConversion(EventWriter writer, ConversionOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Downsample, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegative(options.FromUs, nameof(options));
        if (options.ToUs is { } to && to <= options.FromUs)
        {
            throw new ArgumentException($"the time window {options.FromUs}:{to} us is empty", nameof(options));
        }

        _writer = writer;
        _options = options;
    }

    /// <summary>Events read.</summary>
    public long Read { get; private set; }

    /// <summary>Events kept and written.</summary>
    public long Kept { get; private set; }

    /// <summary>The output sensor size (after <see cref="Begin"/>).</summary>
    public (int Width, int Height) OutputSensor { get; private set; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The crop window does not lie on the sensor.</exception>
    public void Begin(RecordingInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        (_x0, _y0, _width, _height) = _options.Crop ?? (0, 0, info.Width, info.Height);
        if (_x0 < 0 || _y0 < 0 || _width < 1 || _height < 1 || _x0 + _width > info.Width || _y0 + _height > info.Height)
        {
            throw new ArgumentException(
                $"crop {_x0},{_y0},{_width},{_height} does not lie on the {info.Width} x {info.Height} sensor");
        }

        _fromFirstEvent = info.TimesFromFirstEvent;
        int k = _options.Downsample;
        OutputSensor = ((_width + k - 1) / k, (_height + k - 1) / k);
        _writer.Begin(info with { Width = OutputSensor.Width, Height = OutputSensor.Height, TimesFromFirstEvent = false });
    }

    /// <inheritdoc/>
    public void Write(ReadOnlySpan<DvsEvent> events)
    {
        if (events.IsEmpty)
        {
            return;
        }

        if (_firstUs == long.MinValue)
        {
            _firstUs = _fromFirstEvent ? events[0].TimeUs : 0;
        }

        long from = _firstUs + _options.FromUs;
        long to = _options.ToUs is { } end ? _firstUs + end : long.MaxValue;
        int k = _options.Downsample;
        int n = 0;
        foreach (DvsEvent e in events)
        {
            int x = e.X - _x0;
            int y = e.Y - _y0;
            if (e.TimeUs < from || e.TimeUs >= to || (uint)x >= (uint)_width || (uint)y >= (uint)_height)
            {
                continue;
            }

            _out[n++] = new DvsEvent((ushort)(x / k), (ushort)(y / k), e.Polarity, e.TimeUs - from);
            if (n == _out.Length)
            {
                _writer.Write(_out);
                Kept += n;
                n = 0;
            }
        }

        _writer.Write(_out.AsSpan(0, n));
        Kept += n;
        Read += events.Length;
    }
}
