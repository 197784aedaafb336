using System.CommandLine;
using System.Globalization;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Events.Conversion;
using Neuromorphic.Traces.Events.Formats;
using Neuromorphic.Traces.Events.Streaming;

namespace Neuromorphic.Cli.Commands;

/// <summary>
/// <c>neuromorphic convert events IN OUT [--crop X0,Y0,W,H] [--time FROM:TO] [--downsample K]</c>:
/// any recording the readers know into a format runs read, in one streaming pass.
/// </summary>
internal static class ConvertEventsCommand
{
    /// <summary>Output extensions and the formats they select.</summary>
    private static readonly string[] OutputExtensions = [".bin", ".aedat", ".aedat2", ".aedat3", ".csv", ".npy", ".h5", ".nir"];

    public static Command Create(Terminal terminal)
    {
        var input = new Argument<string>("in") { Description = "The recording: " + string.Join(", ", EventFile.Extensions) + " (format by extension and magic line)." };
        var output = new Argument<string>("out") { Description = "The file to write, format by extension: .bin (N-MNIST), .aedat/.aedat2 (AEDAT 2.0), .aedat3 (AEDAT 3.1), .csv (t_us,x,y,p), .npy (structured t,x,y,p), .h5/.nir (NIR EventData)." };
        var crop = new Option<string?>("--crop") { Description = "Keep the window X0,Y0,W,H of the sensor; coordinates become relative to (X0, Y0)." };
        var time = new Option<string?>("--time") { Description = "Keep FROM:TO (µs, or with a unit: 100ms:350ms, 1.5s:2s; either side may be empty) after the time origin runs use: the first event for AEDAT, time 0 for N-MNIST, CSV and Prophesee (kept as recorded); output times count from FROM." };
        var downsample = new Option<int>("--downsample") { Description = "Divide x and y by K (after cropping); the sensor becomes ceil(W/K) x ceil(H/K).", DefaultValueFactory = _ => 1 };
        var stream = RecordingOptions.Stream();
        var layout = RecordingOptions.Layout();
        var outLayout = new Option<string?>("--out-layout") { Description = "AEDAT 2.0 output address layout (" + string.Join(", ", Aedat2LayoutNames.All) + "); default: dvs128 for sensors up to 128 x 128, else davis346." };
        var command = new Command("events", "Convert an event recording (AEDAT 2.0/3.1/4.0, EVT 2.0/3.0 .raw, Prophesee .dat, N-MNIST .bin, CSV) to a format runs read, cut to a window, crop and resolution.")
        {
            input, output, crop, time, downsample, stream, layout, outLayout,
        };
        command.SetAction(parse =>
        {
            var options = new ConversionOptions(ParseCrop(parse.GetValue(crop)), 0, null, parse.GetValue(downsample));
            if (parse.GetValue(time) is { } window) options = ParseTime(window, options);
            Aedat2Layout? aedat2 = parse.GetValue(outLayout) is { } name
                ? Aedat2LayoutNames.Parse(name) ?? throw new UsageException($"--out-layout: '{name}' is not one of {string.Join(", ", Aedat2LayoutNames.All)}")
                : null;
            return Execute(terminal, parse.GetValue(input)!, parse.GetValue(output)!, options, RecordingOptions.Read(parse, stream, layout), aedat2);
        });
        return command;
    }

    private static int Execute(Terminal terminal, string input, string output, ConversionOptions options, EventFileOptions read, Aedat2Layout? outLayout)
    {
        if (options.Downsample < 1) throw new UsageException($"--downsample must be >= 1, found {options.Downsample}");
        if (!File.Exists(input)) throw new FileNotFoundException($"{input}: no such file");
        string extension = Path.GetExtension(output).ToLowerInvariant();
        if (!OutputExtensions.Contains(extension))
            throw new UsageException($"{output}: cannot tell the output format from '{extension}' (one of {string.Join(", ", OutputExtensions)})");
        if (Path.GetFullPath(input) == Path.GetFullPath(output)) throw new UsageException($"{output}: the output would overwrite the input");
        string? folder = Path.GetDirectoryName(Path.GetFullPath(output));
        if (folder is not null) Directory.CreateDirectory(folder);

        using AtomicFileTransaction? transaction = extension is ".h5" or ".nir" ? null : AtomicFile.Begin(output);
        EventWriter writer = extension switch
        {
            ".bin" => new NmnistBinWriter(transaction!.Stream),
            ".aedat" or ".aedat2" => new Aedat2Writer(transaction!.Stream, outLayout),
            ".aedat3" => new Aedat31Writer(transaction!.Stream),
            ".csv" => new CsvEventWriter(transaction!.Stream),
            ".npy" => new NpyEventWriter(transaction!.Stream),
            _ => new NirEventDataWriter(output),
        };
        var conversion = new EventConversion(writer, options);
        var collector = new RecordingStatistics();
        ReadCounts counts;
        try
        {
            counts = terminal.WithProgress($"converting {Path.GetFileName(input)}", progress =>
                EventFile.Stream(input, new Tee(conversion, collector), read, progress));
            writer.Complete();
        }
        catch (ArgumentException ex)
        {
            // The writer refuses an event its format cannot hold (coordinates, time range): the user picks a crop, a downsampling or another format.
            throw new UsageException($"{output}: {ex.Message} (crop, downsample or choose another format)");
        }

        transaction?.Commit();
        var (w, h) = conversion.OutputSensor;
        long skipped = counts.Sum("skipped.");
        string note = skipped > 0 ? string.Create(CultureInfo.InvariantCulture, $", {skipped:N0} skipped items in the input") : "";
        terminal.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{output}: {conversion.Kept:N0} of {conversion.Read:N0} events from {Path.GetFileName(input)} ({collector.Info?.Format}), sensor {w} x {h}{note}"));
        return ExitCodes.Ok;
    }

    private static (int, int, int, int)? ParseCrop(string? text)
    {
        if (text is null) return null;
        var parts = text.Split(',');
        var values = new int[4];
        var ok = parts.Length == 4;
        for (var i = 0; ok && i < 4; i++) ok = int.TryParse(parts[i].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out values[i]);
        if (!ok || values[2] < 1 || values[3] < 1) throw new UsageException($"--crop: '{text}' is not X0,Y0,W,H with W and H >= 1");
        return (values[0], values[1], values[2], values[3]);
    }

    private static ConversionOptions ParseTime(string text, ConversionOptions options)
    {
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0) throw new UsageException($"--time: '{text}' is not FROM:TO");
        long from = text[..colon].Trim().Length == 0 ? 0 : Microseconds(text[..colon], text);
        long? to = text[(colon + 1)..].Trim().Length == 0 ? null : Microseconds(text[(colon + 1)..], text);
        if (to is { } end && end <= from) throw new UsageException($"--time: '{text}' is empty (TO must be after FROM)");
        return options with { FromUs = from, ToUs = to };
    }

    private static long Microseconds(string value, string whole)
    {
        value = value.Trim();
        (string number, double scale) = value.EndsWith("us", StringComparison.Ordinal) ? (value[..^2], 1.0)
            : value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 1e3)
            : value.EndsWith('s') ? (value[..^1], 1e6)
            : (value, 1.0);
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out double amount) || !(amount >= 0) || amount * scale > long.MaxValue / 2)
            throw new UsageException($"--time: '{value}' in '{whole}' is not a non-negative time (µs, or with a unit us, ms, s)");
        return (long)Math.Round(amount * scale);
    }

    /// <summary>Feeds two sinks from one reader.</summary>
    private sealed class Tee(IEventSink first, IEventSink second) : IEventSink
    {
        public void Begin(RecordingInfo info)
        {
            first.Begin(info);
            second.Begin(info);
        }

        public void Write(ReadOnlySpan<Neuromorphic.Traces.Events.DvsEvent> events)
        {
            first.Write(events);
            second.Write(events);
        }
    }
}
