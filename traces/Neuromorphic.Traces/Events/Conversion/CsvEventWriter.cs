using System.Globalization;
using System.Text;

namespace Neuromorphic.Traces.Events.Conversion;

/// <summary>Writes events as CSV (see <see cref="EventCsv"/>): the header <c>t_us,x,y,p</c>, then one line per event.</summary>
public sealed class CsvEventWriter(Stream stream) : BufferedEventWriter(stream)
{
    /// <inheritdoc/>
    protected override void WriteHeader() => Stream.Write(Encoding.ASCII.GetBytes(EventCsv.Header + "\n"));

    /// <inheritdoc/>
    public override void Write(ReadOnlySpan<DvsEvent> events)
    {
        Span<byte> line = stackalloc byte[48];
        foreach (DvsEvent e in events)
        {
            int n = 0;
            e.TimeUs.TryFormat(line, out int written, provider: CultureInfo.InvariantCulture);
            n += written;
            line[n++] = (byte)',';
            e.X.TryFormat(line[n..], out written, provider: CultureInfo.InvariantCulture);
            n += written;
            line[n++] = (byte)',';
            e.Y.TryFormat(line[n..], out written, provider: CultureInfo.InvariantCulture);
            n += written;
            line[n++] = (byte)',';
            line[n++] = (byte)('0' + e.Polarity);
            line[n++] = (byte)'\n';
            line[..n].CopyTo(Next(n));
            Written++;
        }
    }
}
