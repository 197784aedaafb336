using System.Globalization;

namespace Neuromorphic.Traces;

/// <summary>
/// How much memory a run may plan to use. Work that allocates in proportion to a value read from
/// a file (delay lines, rasters, recorded traces, crossbars) estimates its bytes first and calls
/// <see cref="Require"/>, which refuses with an <see cref="InputFormatException"/> (exit 2) naming the
/// file, the key that drives the size and the estimate, before anything is allocated or written.
/// </summary>
/// <param name="MaxBytes">The limit, bytes (the command line's <c>--max-memory</c>).</param>
public sealed record MemoryBudget(long MaxBytes)
{
    /// <summary>Half the memory of the machine (or of the container's limit): the default limit.</summary>
    public static MemoryBudget Default { get; } = new(MachineBytes() / 2);

    /// <summary>No limit (tests and library callers that size their own inputs).</summary>
    public static MemoryBudget Unlimited { get; } = new(long.MaxValue);

    /// <summary>Refuses when <paramref name="bytes"/> exceed the limit.</summary>
    /// <param name="bytes">The estimate (double: estimates multiply sizes that may overflow a long).</param>
    /// <param name="file">The file the size comes from.</param>
    /// <param name="place">The key, node or byte offset whose value drives the size, e.g. <c>line 40 (encoding.timesteps)</c>.</param>
    /// <param name="what">What would be allocated, e.g. <c>input rasters (720 samples x 1000000 steps x 256 channels)</c>.</param>
    /// <exception cref="InputFormatException">The estimate is over the limit.</exception>
    public void Require(double bytes, string file, string place, string what)
    {
        if (!(bytes <= MaxBytes))
            throw new InputFormatException(file, place, $"{what} needs an estimated {Format(bytes)}, over the memory limit of {Format(MaxBytes)} (raise it with --max-memory)");
    }

    /// <summary>A byte count for people: <c>3.2 GiB</c>.</summary>
    public static string Format(double bytes)
    {
        if (double.IsNaN(bytes) || double.IsInfinity(bytes) || bytes >= 1L << 60) return bytes >= 1L << 60 || double.IsPositiveInfinity(bytes) ? "more than 1 EiB" : "an unknown amount";
        string[] units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];
        var unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1) { bytes /= 1024; unit++; }
        return unit == 0 ? $"{bytes.ToString("F0", CultureInfo.InvariantCulture)} bytes" : $"{bytes.ToString("G3", CultureInfo.InvariantCulture)} {units[unit]}";
    }

    /// <summary>Parses a size: a number of bytes, or a number with K, M, G or T (powers of 1024; <c>KB</c>, <c>MiB</c> also accepted).</summary>
    /// <returns>False if <paramref name="text"/> is not a positive size.</returns>
    public static bool TryParse(string text, out long bytes)
    {
        bytes = 0;
        var t = text.Trim();
        var multiplier = 1d;
        foreach (var (suffix, scale) in new[] { ("T", 1d * (1L << 40)), ("G", 1d * (1 << 30)), ("M", 1d * (1 << 20)), ("K", 1024d) })
        {
            foreach (var form in new[] { suffix + "iB", suffix + "B", suffix })
            {
                if (!t.EndsWith(form, StringComparison.OrdinalIgnoreCase)) continue;
                t = t[..^form.Length].Trim();
                multiplier = scale;
                goto parsed;
            }
        }
        if (t.EndsWith('B') || t.EndsWith('b')) t = t[..^1].Trim();
        parsed:
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !(value > 0) || !double.IsFinite(value)) return false;
        var total = value * multiplier;
        if (total < 1) return false;
        bytes = total >= long.MaxValue ? long.MaxValue : (long)total;
        return true;
    }

    /// <summary>Memory the garbage collector may use on this machine (the container's limit where there is one).</summary>
    public static long MachineBytes()
    {
        var available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (available > 0) return available;
        // Before the first collection the figure may be missing: fall back on the kernel's.
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemTotal:", StringComparison.Ordinal)
                    && long.TryParse(line[9..].Trim().Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
                    return kb * 1024;
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return 8L << 30;
    }
}
