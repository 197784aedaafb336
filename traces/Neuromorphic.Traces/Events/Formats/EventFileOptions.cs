namespace Neuromorphic.Traces.Events.Formats;

/// <summary>Options for <see cref="EventFile.Read(string, EventFileOptions?)"/>.</summary>
public sealed record EventFileOptions
{
    /// <summary>The address layout of AEDAT 2.0 files (not stored in the file); default DVS128.</summary>
    public Aedat2Layout Aedat2Layout { get; init; } = Aedat2Layout.Dvs128;

    /// <summary>
    /// Sensor width in pixels, or 0 for the format's own: N-MNIST 34, CSV the largest x + 1,
    /// AEDAT 3.1, AEDAT 4.0 and Prophesee the header's. Ignored for AEDAT 2.0, whose layout fixes the size.
    /// </summary>
    public int Width { get; init; }

    /// <summary>Sensor height in pixels, or 0 for the format's own (as for <see cref="Width"/>).</summary>
    public int Height { get; init; }

    /// <summary>AEDAT 4.0: the id of the polarity stream to read; null for the lowest-numbered one.</summary>
    public int? StreamId { get; init; }
}
