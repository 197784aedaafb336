namespace Neuromorphic.Traces.Events;

/// <summary>
/// How <see cref="EventBinning"/> turns an <see cref="EventStream"/> into a spike raster: the
/// time bins, the part of the sensor kept, spatial pooling, polarities, and counts or spikes.
/// </summary>
/// <remarks>
/// Set exactly one of <see cref="BinUs"/> and <see cref="Bins"/>. The spatial pipeline is crop,
/// then downsample: the raster's image is <c>ceil(CropWidth / Downsample)</c> x
/// <c>ceil(CropHeight / Downsample)</c> pixels.
/// </remarks>
public sealed record BinningOptions
{
    /// <summary>Bin width in microseconds, or 0 to use <see cref="Bins"/> instead.</summary>
    public long BinUs { get; init; }

    /// <summary>Number of equal bins spanning the time window, or 0 to use <see cref="BinUs"/> instead.</summary>
    public int Bins { get; init; }

    /// <summary>
    /// Length of the time window <c>[0, DurationUs]</c> in microseconds; events after it are
    /// dropped. 0 uses the stream's own duration (the time of its last event), so nothing is dropped.
    /// </summary>
    public long DurationUs { get; init; }

    /// <summary>Width of the region kept, in sensor pixels; 0 keeps the full width.</summary>
    public int CropWidth { get; init; }

    /// <summary>Height of the region kept, in sensor pixels; 0 keeps the full height.</summary>
    public int CropHeight { get; init; }

    /// <summary>
    /// Leftmost sensor column of the region kept; <see langword="null"/> centres it
    /// (<c>(width - CropWidth) / 2</c>, rounded down: 34 -> 16 keeps columns 9 to 24).
    /// </summary>
    public int? CropX { get; init; }

    /// <summary>Top sensor row of the region kept; <see langword="null"/> centres it like <see cref="CropX"/>.</summary>
    public int? CropY { get; init; }

    /// <summary>
    /// Pooling factor k (at least 1): each k x k block of the cropped image becomes one pixel,
    /// whose count is the sum of the block's. A partial block at the right or bottom edge is kept.
    /// </summary>
    public int Downsample { get; init; } = 1;

    /// <summary>Which polarities become channels (default <see cref="PolarityMode.Both"/>).</summary>
    public PolarityMode Polarity { get; init; } = PolarityMode.Both;

    /// <summary>
    /// True (the default): a channel is 1 in a bin if it had at least one event there, else 0.
    /// False: the value is the number of events.
    /// </summary>
    public bool Binary { get; init; } = true;
}
