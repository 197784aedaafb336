using System.Globalization;
using System.Text.Json;
using Neuromorphic.Arch.Recordings;
using Neuromorphic.Traces.Events;
using Neuromorphic.Traces.Events.Formats;
using Neuromorphic.Traces.Events.Streaming;
using Spectre.Console;

namespace Neuromorphic.Cli.Commands;

/// <summary><c>inspect RECORDING</c>: what an event-camera recording holds, read in one streaming pass.</summary>
internal static class RecordingInspection
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static int Print(Terminal terminal, string path, bool json, string? plot, EventFileOptions options)
    {
        OutputPaths.RequireFile(plot, "--plot");
        var statistics = new RecordingStatistics(keepPicture: plot is not null);
        ReadCounts counts = terminal.WithProgress(
            $"reading {Path.GetFileName(path)}", progress => EventFile.Stream(path, statistics, options, progress));
        RecordingInfo info = statistics.Info!;
        if (plot is not null)
        {
            RecordingPlot.SavePng(plot, statistics, Path.GetFileName(path));
        }

        if (json)
        {
            terminal.Out.WriteLine(JsonSerializer.Serialize(Document(path, statistics, counts, info, plot), JsonOptions));
            return ExitCodes.Ok;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumn("").AddColumn("");
        table.ShowHeaders = false;
        table.Title = new TableTitle(Markup.Escape($"{Path.GetFileName(path)} ({info.Format})"));
        table.AddRow("format", Markup.Escape(info.Format));
        table.AddRow("sensor", $"{info.Width} x {info.Height}");
        table.AddRow("polarity events", N(statistics.Count));
        table.AddRow("ON / OFF", $"{N(statistics.On)} / {N(statistics.Off)}");
        table.AddRow("first event", Describe(statistics.First));
        table.AddRow("last event", Describe(statistics.Last));
        table.AddRow("duration", $"{N(statistics.DurationUs)} us ({statistics.DurationUs / 1e6:0.######} s)");
        table.AddRow("mean rate", $"{statistics.MeanRatePerMs.ToString("0.###", CultureInfo.InvariantCulture)} events/ms");
        table.AddRow("peak rate", $"{N(statistics.PeakRatePerMs)} events/ms (1 ms windows from the first event)");
        table.AddRow("skipped", counts.All.Any(c => c.Key.StartsWith("skipped.", StringComparison.Ordinal))
            ? Markup.Escape(Join(counts, "skipped.")) : "none");
        table.AddRow("invalid", counts.All.Any(c => c.Key.StartsWith("invalid.", StringComparison.Ordinal))
            ? Markup.Escape(Join(counts, "invalid.")) : "none");
        if (plot is not null)
        {
            table.AddRow("plot", Markup.Escape(plot));
        }

        terminal.Console.Write(table);
        return ExitCodes.Ok;
    }

    private static Dictionary<string, object?> Document(string path, RecordingStatistics s, ReadCounts counts, RecordingInfo info, string? plot) => new()
    {
        ["file"] = path,
        ["format"] = info.Format,
        ["width"] = info.Width,
        ["height"] = info.Height,
        ["events"] = s.Count,
        ["on"] = s.On,
        ["off"] = s.Off,
        ["first_event"] = Json(s.First),
        ["last_event"] = Json(s.Last),
        ["first_t_us"] = s.First?.TimeUs,
        ["last_t_us"] = s.Last?.TimeUs,
        ["duration_us"] = s.DurationUs,
        ["mean_rate_per_ms"] = s.MeanRatePerMs,
        ["peak_rate_per_ms"] = s.PeakRatePerMs,
        ["skipped"] = counts.Sum("skipped."),
        ["invalid"] = counts.Sum("invalid."),
        ["counts"] = counts.All,
        ["plot"] = plot,
    };

    private static Dictionary<string, long>? Json(DvsEvent? e) =>
        e is { } v ? new() { ["t_us"] = v.TimeUs, ["x"] = v.X, ["y"] = v.Y, ["p"] = v.Polarity } : null;

    private static string Describe(DvsEvent? e) =>
        e is { } v ? $"t = {v.TimeUs.ToString(CultureInfo.InvariantCulture)} us, x = {v.X}, y = {v.Y}, {(v.Polarity == 1 ? "ON" : "OFF")}" : "none";

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string Join(ReadCounts counts, string prefix) =>
        string.Join(", ", counts.All.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(c => $"{c.Key[prefix.Length..]} {N(c.Value)}"));
}
