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
    /// <exception cref="InputFormatException">
    /// The extension is not supported, the file is malformed, or it cannot drive a network: no
    /// timesteps or channels, or a cell that is NaN or infinite (named by its line and column, or element).
    /// </exception>
    public static SpikeRaster Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string extension = Path.GetExtension(path);
        return extension.ToLowerInvariant() switch
        {
            ".csv" => RequireStimulus(RasterCsv.Read(path), path, csv: true),
            ".npy" => RequireStimulus(Npy.ReadRaster(path), path, csv: false),
            "" => throw new InputFormatException(path, "", "raster file has no extension (expected .csv or .npy)"),
            _ => throw new InputFormatException(
                path, "", $"unsupported raster file extension '{extension}' (expected .csv or .npy)"),
        };
    }

    /// <summary>
    /// Checks a raster read from <paramref name="file"/> can drive a network: at least one timestep and
    /// one channel, every cell finite (NaN or infinity would spread through every neuron it reaches).
    /// </summary>
    /// <param name="raster">The raster.</param>
    /// <param name="file">Its file, for the error.</param>
    /// <param name="csv">True to name cells by CSV line and column (1-based), false by element [t, c].</param>
    /// <returns><paramref name="raster"/>.</returns>
    /// <exception cref="InputFormatException">Naming the file and the cell.</exception>
    public static SpikeRaster RequireStimulus(SpikeRaster raster, string file, bool csv)
    {
        ArgumentNullException.ThrowIfNull(raster);
        if (raster.Timesteps == 0 || raster.Channels == 0)
            throw new InputFormatException(file, csv ? "line 1" : "header", $"the raster is {raster.Timesteps} x {raster.Channels}: a stimulus needs at least one timestep and one channel");
        var data = raster.Data;
        for (var i = 0; i < data.Length; i++)
        {
            if (float.IsFinite(data[i])) continue;
            int t = i / raster.Channels, c = i % raster.Channels;
            throw new InputFormatException(file, csv ? $"line {t + 1}, column {c + 1}" : $"element [{t}, {c}]",
                $"{data[i].ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a finite number (a stimulus cell must be)");
        }
        return raster;
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
