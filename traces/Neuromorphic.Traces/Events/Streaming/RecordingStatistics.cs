namespace Neuromorphic.Traces.Events.Streaming;

/// <summary>
/// A sink that summarises a recording in constant memory as it streams past: counts, first and
/// last events, mean and peak rate, and optionally an event-rate histogram and an accumulated
/// ON/OFF frame for plotting.
/// </summary>
/// <param name="keepPicture">
/// Also keep the rate histogram (at most <see cref="MaxHistogramBins"/> bins, widened as the
/// recording grows) and the per-pixel ON and OFF counts (2 x width x height integers).
/// </param>
public sealed class RecordingStatistics(bool keepPicture = false) : IEventSink
{
    /// <summary>The rate histogram never holds more bins than this (it doubles its bin width instead).</summary>
    public const int MaxHistogramBins = 2048;

    private const long Millisecond = 1000;

    private long _currentMs = long.MinValue;
    private long _inCurrentMs;
    private readonly List<long> _histogram = [];
    private long _binUs = Millisecond;

    /// <summary>What the header said (null before the reader began).</summary>
    public RecordingInfo? Info { get; private set; }

    /// <summary>Number of events.</summary>
    public long Count { get; private set; }

    /// <summary>Events with polarity 1 (ON).</summary>
    public long On { get; private set; }

    /// <summary>Events with polarity 0 (OFF).</summary>
    public long Off => Count - On;

    /// <summary>The first event, if any.</summary>
    public DvsEvent? First { get; private set; }

    /// <summary>The last event, if any.</summary>
    public DvsEvent? Last { get; private set; }

    /// <summary>Time from the first to the last event in µs (0 for fewer than two events).</summary>
    public long DurationUs => First is { } f && Last is { } l ? l.TimeUs - f.TimeUs : 0;

    /// <summary>
    /// Mean event rate in events per millisecond: the count over the duration (the duration
    /// counted as at least 1 ms, so a burst in one instant gives its count). 0 when empty.
    /// </summary>
    public double MeanRatePerMs => Count == 0 ? 0 : Count / Math.Max(1.0, DurationUs / (double)Millisecond);

    /// <summary>The most events in one millisecond, windows aligned to the first event's time.</summary>
    public long PeakRatePerMs { get; private set; }

    /// <summary>Width of one histogram bin in µs (1000 to start, doubled whenever the bins would exceed <see cref="MaxHistogramBins"/>).</summary>
    public long HistogramBinUs => _binUs;

    /// <summary>Events per histogram bin, bin 0 starting at the first event (empty unless keeping the picture).</summary>
    public IReadOnlyList<long> Histogram => _histogram;

    /// <summary>ON events per pixel, row-major (y * width + x); null unless keeping the picture.</summary>
    public int[]? OnFrame { get; private set; }

    /// <summary>OFF events per pixel, row-major; null unless keeping the picture.</summary>
    public int[]? OffFrame { get; private set; }

    /// <inheritdoc/>
    public void Begin(RecordingInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        Info = info;
        if (keepPicture)
        {
            OnFrame = new int[info.Width * info.Height];
            OffFrame = new int[info.Width * info.Height];
        }
    }

    /// <inheritdoc/>
    public void Write(ReadOnlySpan<DvsEvent> events)
    {
        if (events.IsEmpty)
        {
            return;
        }

        First ??= events[0];
        long t0 = First.Value.TimeUs;
        int width = Info?.Width ?? 0;
        long on = 0;
        foreach (DvsEvent e in events)
        {
            on += e.Polarity;
            long ms = (e.TimeUs - t0) / Millisecond;
            if (ms != _currentMs)
            {
                _currentMs = ms;
                _inCurrentMs = 0;
            }

            if (++_inCurrentMs > PeakRatePerMs)
            {
                PeakRatePerMs = _inCurrentMs;
            }

            if (keepPicture)
            {
                AddToHistogram(e.TimeUs - t0);
                (e.Polarity == 1 ? OnFrame! : OffFrame!)[e.Y * width + e.X]++;
            }
        }

        On += on;
        Count += events.Length;
        Last = events[^1];
    }

    private void AddToHistogram(long sinceFirstUs)
    {
        long bin = sinceFirstUs / _binUs;
        while (bin >= MaxHistogramBins)
        {
            // Merge pairs of bins: the histogram covers twice the time at half the resolution.
            for (int i = 0; i < _histogram.Count; i++)
            {
                long merged = _histogram[i];
                if (i % 2 == 0)
                {
                    _histogram[i / 2] = merged;
                }
                else
                {
                    _histogram[i / 2] += merged;
                }
            }

            _histogram.RemoveRange((_histogram.Count + 1) / 2, _histogram.Count - (_histogram.Count + 1) / 2);
            _binUs *= 2;
            bin = sinceFirstUs / _binUs;
        }

        while (_histogram.Count <= bin)
        {
            _histogram.Add(0);
        }

        _histogram[(int)bin]++;
    }
}
