namespace Neuromorphic.Traces.Events.Formats;

/// <summary>How AEDAT 4.0 packet payloads are compressed (the IOHeader's field 0; dv-processing's <c>CompressionType</c>).</summary>
public enum Aedat4Compression
{
    /// <summary>Stored as is.</summary>
    None = 0,

    /// <summary>An LZ4 frame (LZ4 frame format, lz4.org).</summary>
    Lz4 = 1,

    /// <summary>An LZ4 frame written at a higher compression level.</summary>
    Lz4High = 2,

    /// <summary>A Zstandard frame (RFC 8878).</summary>
    Zstd = 3,

    /// <summary>A Zstandard frame written at a higher compression level.</summary>
    ZstdHigh = 4,
}
