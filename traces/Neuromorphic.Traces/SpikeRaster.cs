namespace Neuromorphic.Traces;

/// <summary>
/// A dense [timesteps x channels] raster of float32 values stored row-major (one row per
/// timestep). Spikes are normally 0 or 1, but graded values are allowed.
/// </summary>
public sealed class SpikeRaster
{
    private readonly float[] _data;

    /// <summary>Creates a raster filled with zeros.</summary>
    /// <param name="timesteps">Number of rows (timesteps); not negative.</param>
    /// <param name="channels">Number of columns (channels); not negative.</param>
    public SpikeRaster(int timesteps, int channels)
    {
        _data = new float[CheckedLength(timesteps, channels)];
        Timesteps = timesteps;
        Channels = channels;
    }

    /// <summary>Wraps existing row-major data (the array is used directly, not copied).</summary>
    /// <param name="timesteps">Number of rows (timesteps); not negative.</param>
    /// <param name="channels">Number of columns (channels); not negative.</param>
    /// <param name="data">Row-major values; its length must be <paramref name="timesteps"/> x <paramref name="channels"/>.</param>
    public SpikeRaster(int timesteps, int channels, float[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        long length = CheckedLength(timesteps, channels);
        if (data.Length != length)
        {
            throw new ArgumentException(
                $"data has {data.Length} values but a {timesteps} x {channels} raster needs {length}", nameof(data));
        }

        _data = data;
        Timesteps = timesteps;
        Channels = channels;
    }

    /// <summary>Number of rows (timesteps).</summary>
    public int Timesteps { get; }

    /// <summary>Number of columns (channels).</summary>
    public int Channels { get; }

    /// <summary>The row-major backing array (not a copy): element [t, c] is at <c>t * Channels + c</c>.</summary>
    public float[] Data => _data;

    /// <summary>Gets or sets the value at timestep <paramref name="t"/> and channel <paramref name="c"/>.</summary>
    /// <param name="t">Timestep (row) index.</param>
    /// <param name="c">Channel (column) index.</param>
    public float this[int t, int c]
    {
        get => _data[Index(t, c)];
        set => _data[Index(t, c)] = value;
    }

    /// <summary>Rasters of one channel count one after another in time.</summary>
    /// <exception cref="ArgumentException">No rasters, or their channel counts differ.</exception>
    public static SpikeRaster Concatenate(IReadOnlyList<SpikeRaster> rasters)
    {
        if (rasters.Count == 0) throw new ArgumentException("no rasters to concatenate", nameof(rasters));
        var channels = rasters[0].Channels;
        if (rasters.Any(r => r.Channels != channels)) throw new ArgumentException("rasters of different channel counts", nameof(rasters));
        var all = new SpikeRaster(rasters.Sum(r => r.Timesteps), channels);
        var offset = 0;
        foreach (var r in rasters)
        {
            r.Data.CopyTo(all.Data, offset);
            offset += r.Data.Length;
        }
        return all;
    }

    /// <summary>The values of one timestep (one per channel).</summary>
    /// <param name="t">Timestep (row) index.</param>
    /// <returns>A read-only view of the row.</returns>
    public ReadOnlySpan<float> Row(int t) => MutableRow(t);

    /// <summary>The values of one timestep, writable.</summary>
    /// <param name="t">Timestep (row) index.</param>
    /// <returns>A writable view of the row.</returns>
    public Span<float> MutableRow(int t)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(t);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(t, Timesteps);
        return _data.AsSpan(t * Channels, Channels);
    }

    /// <summary>Counts the values that are not zero (NaN counts as non-zero).</summary>
    /// <returns>The number of non-zero values.</returns>
    public int CountNonZero()
    {
        int zeros = 0;
        foreach (float v in _data)
        {
            if (v == 0f)
            {
                zeros++;
            }
        }

        return _data.Length - zeros;
    }

    /// <summary>
    /// Loads a raster from a file, choosing the format by extension (case-insensitive):
    /// <c>.csv</c> (see <see cref="RasterCsv"/>) or <c>.npy</c> (see <see cref="Npy.ReadRaster(string)"/>).
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The raster.</returns>
    /// <exception cref="InputFormatException">The extension is not supported or the file is malformed.</exception>
    public static SpikeRaster Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string extension = Path.GetExtension(path);
        return extension.ToLowerInvariant() switch
        {
            ".csv" => RasterCsv.Read(path),
            ".npy" => Npy.ReadRaster(path),
            "" => throw new InputFormatException(path, "", "raster file has no extension (expected .csv or .npy)"),
            _ => throw new InputFormatException(
                path, "", $"unsupported raster file extension '{extension}' (expected .csv or .npy)"),
        };
    }

    /// <inheritdoc/>
    public override string ToString() => $"SpikeRaster[{Timesteps} x {Channels}]";

    private int Index(int t, int c)
    {
        if ((uint)t >= (uint)Timesteps)
        {
            throw new ArgumentOutOfRangeException(nameof(t), t, $"timestep must be in [0, {Timesteps})");
        }

        if ((uint)c >= (uint)Channels)
        {
            throw new ArgumentOutOfRangeException(nameof(c), c, $"channel must be in [0, {Channels})");
        }

        return t * Channels + c;
    }

    private static int CheckedLength(int timesteps, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timesteps);
        ArgumentOutOfRangeException.ThrowIfNegative(channels);
        long length = (long)timesteps * channels;
        if (length > Array.MaxLength)
        {
            throw new ArgumentException($"a {timesteps} x {channels} raster is too large ({length} values)");
        }

        return (int)length;
    }
}
