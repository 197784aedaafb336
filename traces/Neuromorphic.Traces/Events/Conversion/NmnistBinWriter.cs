namespace Neuromorphic.Traces.Events.Conversion;

/// <summary>
/// Writes N-MNIST <c>.bin</c> events (see <see cref="NmnistBin"/>): before an event at or beyond
/// the next multiple of 2^23 µs, one overflow marker per multiple crossed. x and y must be below
/// 256, y must not be 240 (the marker), times must not be negative. The sensor size is not stored.
/// </summary>
public sealed class NmnistBinWriter(Stream stream) : BufferedEventWriter(stream)
{
    private long _markersWritten;

    /// <inheritdoc/>
    protected override void WriteHeader()
    {
    }

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<DvsEvent> events)
    {
        foreach (DvsEvent e in events)
        {
            long n = Written;
            if (e.X > byte.MaxValue || e.Y > byte.MaxValue)
            {
                throw new ArgumentException($"event {n} at ({e.X}, {e.Y}) does not fit the format's 8-bit coordinates");
            }

            if (e.Y == NmnistBin.OverflowMarkerY)
            {
                throw new ArgumentException($"event {n} has y = {NmnistBin.OverflowMarkerY}, which the format reserves for overflow markers");
            }

            if (e.TimeUs < 0)
            {
                throw new ArgumentException($"event {n} has negative time {e.TimeUs} us");
            }

            // Times are non-decreasing, so the markers needed so far only grow.
            for (long needed = e.TimeUs / NmnistBin.TimestampSpanUs; _markersWritten < needed; _markersWritten++)
            {
                Put(0, NmnistBin.OverflowMarkerY, 0);
            }

            Put((byte)e.X, (byte)e.Y, e.Polarity << 23 | (int)(e.TimeUs & (NmnistBin.TimestampSpanUs - 1)));
            Written++;
        }
    }

    private void Put(byte x, byte y, int polarityAndStamp)
    {
        Span<byte> r = Next(NmnistBin.EventSize);
        r[0] = x;
        r[1] = y;
        r[2] = (byte)(polarityAndStamp >> 16);
        r[3] = (byte)(polarityAndStamp >> 8);
        r[4] = (byte)polarityAndStamp;
    }
}
