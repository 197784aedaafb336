using Neuromorphic.Traces;
using Neuromorphic.Traces.Events.Streaming;
using ScottPlot;
using SkiaSharp;

namespace Neuromorphic.Arch.Recordings;

/// <summary>
/// The picture of a recording for <c>inspect RECORDING --plot</c>: the event rate over time
/// (a histogram in events per ms) above the accumulated frame (ON minus OFF events per pixel).
/// </summary>
public static class RecordingPlot
{
    private const int Width = 900;
    private const int RateHeight = 320;

    /// <summary>Renders the two panels into one PNG and writes it atomically.</summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="statistics">Statistics collected with the picture kept.</param>
    /// <param name="title">The recording's name.</param>
    /// <exception cref="ArgumentException">The statistics were collected without the picture.</exception>
    public static void SavePng(string path, RecordingStatistics statistics, string title)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        RecordingInfo info = statistics.Info ?? throw new ArgumentException("no recording was read", nameof(statistics));
        if (statistics.OnFrame is null || statistics.OffFrame is null)
        {
            throw new ArgumentException("the statistics were collected without the picture", nameof(statistics));
        }

        // The frame keeps the sensor's aspect ratio under a 900-pixel-wide panel.
        int frameHeight = (int)Math.Clamp(Width * (double)info.Height / info.Width + 80, 200, 900);
        byte[] rate = RatePanel(statistics, title).GetImageBytes(Width, RateHeight, ImageFormat.Png);
        byte[] frame = FramePanel(statistics, info).GetImageBytes(Width, frameHeight, ImageFormat.Png);

        using var top = SKBitmap.Decode(rate);
        using var bottom = SKBitmap.Decode(frame);
        using var combined = new SKBitmap(Width, RateHeight + frameHeight);
        using (var canvas = new SKCanvas(combined))
        {
            canvas.Clear(SKColors.White);
            canvas.DrawBitmap(top, 0, 0);
            canvas.DrawBitmap(bottom, 0, RateHeight);
        }

        using SKData png = combined.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, stream => png.SaveTo(stream));
    }

    private static Plot RatePanel(RecordingStatistics statistics, string title)
    {
        var plot = new Plot();
        double binMs = statistics.HistogramBinUs / 1000.0;
        IReadOnlyList<long> bins = statistics.Histogram;
        var bars = new List<Bar>(bins.Count);
        for (int i = 0; i < bins.Count; i++)
        {
            bars.Add(new Bar { Position = (i + 0.5) * binMs, Value = bins[i] / binMs, Size = binMs, LineWidth = 0 });
        }

        plot.Add.Bars(bars);
        plot.Title($"{title}: event rate ({statistics.Count:N0} events, bins of {binMs:0.###} ms)");
        plot.XLabel("time since the first event (ms)");
        plot.YLabel("events per ms");
        plot.Axes.Margins(bottom: 0);
        return plot;
    }

    private static Plot FramePanel(RecordingStatistics statistics, RecordingInfo info)
    {
        var plot = new Plot();
        var values = new double[info.Height, info.Width];
        int[] on = statistics.OnFrame!;
        int[] off = statistics.OffFrame!;
        double extreme = 1;
        for (int y = 0; y < info.Height; y++)
        {
            for (int x = 0; x < info.Width; x++)
            {
                int i = y * info.Width + x;
                values[y, x] = on[i] - off[i];
                extreme = Math.Max(extreme, Math.Abs(values[y, x]));
            }
        }

        var heatmap = plot.Add.Heatmap(values);
        heatmap.Colormap = new ScottPlot.Colormaps.Balance();
        heatmap.ManualRange = new ScottPlot.Range(-extreme, extreme);
        plot.Add.ColorBar(heatmap);
        plot.Title($"accumulated events, ON (red) minus OFF (blue): {statistics.On:N0} ON, {statistics.Off:N0} OFF, sensor {info.Width} x {info.Height}");
        plot.XLabel("x (pixel)");
        plot.YLabel("y (pixel, row 0 at the top)");
        plot.Axes.InvertY();
        return plot;
    }
}
