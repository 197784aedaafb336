namespace Neuromorphic.Traces.Events;

/// <summary>
/// Turns an <see cref="EventStream"/> into a dense <see cref="SpikeRaster"/> [bins x channels]
/// for feeding event-camera recordings (e.g. N-MNIST) to a spiking network.
/// </summary>
/// <remarks>
/// <para>
/// Time: the window is <c>[0, D]</c> with D = <see cref="BinningOptions.DurationUs"/>, or the
/// stream's duration (its last event's time) when that is 0. Bin k covers
/// <c>[k * w, (k + 1) * w)</c>, where w is <see cref="BinningOptions.BinUs"/> or
/// <c>D / Bins</c>, so an event exactly on a boundary between two bins goes to the later one.
/// The single exception is the end of the window: an event at exactly D goes to the last bin,
/// so the stream's last event is always counted (otherwise it would start a bin of its own or
/// fall off the raster). With <see cref="BinningOptions.BinUs"/> the raster has
/// <c>max(1, ceil(D / BinUs))</c> bins; events after D are dropped.
/// </para>
/// <para>
/// Space: the events are cropped to the region of <see cref="BinningOptions"/>, then pooled
/// k x k; the image of the raster is <c>W' = ceil(CropWidth / k)</c> by
/// <c>H' = ceil(CropHeight / k)</c>. Channel order is polarity-major, then row-major: with
/// <see cref="PolarityMode.Both"/> the channel of an event is <c>p * W' * H' + y' * W' + x'</c>
/// (OFF block first); with <see cref="PolarityMode.On"/> or <see cref="PolarityMode.Off"/> it
/// is <c>y' * W' + x'</c>.
/// </para>
/// </remarks>
public static class EventBinning
{
    /// <summary>Bins the events of a stream into a raster.</summary>
    /// <param name="stream">The events.</param>
    /// <param name="options">How to bin them.</param>
    /// <returns>A [bins x <see cref="Channels"/>] raster of spikes (0/1) or counts.</returns>
    /// <exception cref="ArgumentException">The options are inconsistent or do not fit the sensor.</exception>
    public static SpikeRaster ToRaster(EventStream stream, BinningOptions options)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Layout layout = Resolve(options, stream.Width, stream.Height);
        long windowUs = options.DurationUs > 0 ? options.DurationUs : stream.DurationUs;
        int bins = BinCount(options, windowUs);

        var raster = new SpikeRaster(bins, layout.Channels);
        float[] data = raster.Data;
        int lastBin = bins - 1;
        // t * Bins is computed in 64 bits when it cannot overflow, which is every realistic case.
        bool wideProduct = options.Bins > 0 && windowUs > long.MaxValue / options.Bins;

        IReadOnlyList<DvsEvent> events = stream.Events;
        for (int i = 0; i < events.Count; i++)
        {
            DvsEvent e = events[i];
            if (e.TimeUs > windowUs)
            {
                break; // events are in time order: the rest are later still
            }

            int pixelX = e.X - layout.X0;
            int pixelY = e.Y - layout.Y0;
            if ((uint)pixelX >= (uint)layout.CropWidth || (uint)pixelY >= (uint)layout.CropHeight)
            {
                continue;
            }

            int block;
            switch (options.Polarity)
            {
                case PolarityMode.Both:
                    block = e.Polarity * layout.Pixels;
                    break;
                case PolarityMode.On when e.Polarity == 1:
                case PolarityMode.Off when e.Polarity == 0:
                    block = 0;
                    break;
                default:
                    continue;
            }

            long bin = options.BinUs > 0
                ? e.TimeUs / options.BinUs
                : windowUs == 0
                    ? 0
                    : wideProduct
                        ? (long)((Int128)e.TimeUs * options.Bins / windowUs)
                        : e.TimeUs * options.Bins / windowUs;
            int row = (int)Math.Min(bin, lastBin);
            int channel = block + (pixelY / layout.Downsample) * layout.Width + pixelX / layout.Downsample;
            int index = row * layout.Channels + channel;
            data[index] = options.Binary ? 1f : data[index] + 1f;
        }

        return raster;
    }

    /// <summary>Number of channels of the rasters <see cref="ToRaster"/> makes for a sensor of the given size.</summary>
    /// <param name="options">The binning options.</param>
    /// <param name="width">Sensor width in pixels.</param>
    /// <param name="height">Sensor height in pixels.</param>
    /// <returns><c>ceil(CropWidth / k) * ceil(CropHeight / k)</c>, times 2 for <see cref="PolarityMode.Both"/>.</returns>
    /// <exception cref="ArgumentException">The options are inconsistent or do not fit the sensor.</exception>
    public static int Channels(BinningOptions options, int width, int height) => Resolve(options, width, height).Channels;

    /// <summary>The spatial part of the options resolved against a sensor size.</summary>
    private readonly record struct Layout(int X0, int Y0, int CropWidth, int CropHeight, int Downsample, int Width, int Pixels, int Channels);

    private static Layout Resolve(BinningOptions options, int width, int height)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        if (options.Downsample < 1)
        {
            throw new ArgumentException($"Downsample must be at least 1, found {options.Downsample}", nameof(options));
        }

        if (!Enum.IsDefined(options.Polarity))
        {
            throw new ArgumentException($"unknown polarity mode {options.Polarity}", nameof(options));
        }

        (int x0, int cropWidth) = CropAxis("width", "CropX", options.CropWidth, options.CropX, width);
        (int y0, int cropHeight) = CropAxis("height", "CropY", options.CropHeight, options.CropY, height);
        int k = options.Downsample;
        int outWidth = (cropWidth + k - 1) / k;
        int outHeight = (cropHeight + k - 1) / k;
        // In 64 bits: a full 65535 x 65535 sensor has more pixels than an int can count.
        long pixels = (long)outWidth * outHeight;
        long channels = pixels * (options.Polarity == PolarityMode.Both ? 2 : 1);
        if (channels > Array.MaxLength)
        {
            throw new ArgumentException($"{channels} channels are too many for a raster", nameof(options));
        }

        return new Layout(x0, y0, cropWidth, cropHeight, k, outWidth, (int)pixels, (int)channels);
    }

    /// <summary>Resolves the crop along one axis to (first pixel, pixel count).</summary>
    private static (int Start, int Size) CropAxis(string dimension, string offsetName, int crop, int? offset, int sensor)
    {
        if (crop < 0 || crop > sensor)
        {
            throw new ArgumentException($"crop {dimension} {crop} does not fit the sensor {dimension} {sensor}");
        }

        int size = crop == 0 ? sensor : crop;
        int start = offset ?? (sensor - size) / 2;
        if (start < 0 || start > sensor - size)
        {
            throw new ArgumentException(
                $"{offsetName} = {start} puts the {size}-pixel crop outside the sensor {dimension} {sensor}");
        }

        return (start, size);
    }

    private static int BinCount(BinningOptions options, long windowUs)
    {
        if (options.DurationUs < 0)
        {
            throw new ArgumentException($"DurationUs must not be negative, found {options.DurationUs}", nameof(options));
        }

        if (options.BinUs < 0 || options.Bins < 0 || (options.BinUs > 0) == (options.Bins > 0))
        {
            throw new ArgumentException(
                $"set exactly one of BinUs and Bins to a positive value (found BinUs = {options.BinUs}, Bins = {options.Bins})",
                nameof(options));
        }

        if (options.Bins > 0)
        {
            return options.Bins;
        }

        long count = windowUs / options.BinUs + (windowUs % options.BinUs != 0 ? 1 : 0);
        if (count > Array.MaxLength)
        {
            throw new ArgumentException($"{count} bins of {options.BinUs} us are too many for a raster", nameof(options));
        }

        return (int)Math.Max(1, count);
    }
}
