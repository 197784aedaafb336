using System.CommandLine;
using Neuromorphic.Traces.Events.Formats;

namespace Neuromorphic.Cli.Commands;

/// <summary>The options that say how to read an event recording, shared by <c>inspect</c> and <c>convert events</c>.</summary>
internal static class RecordingOptions
{
    public static Option<int?> Stream() =>
        new("--stream") { Description = "AEDAT 4.0: the id of the polarity (EVTS) stream to read; default: the lowest-numbered one." };

    public static Option<string> Layout() =>
        new("--aedat2-layout")
        {
            Description = "AEDAT 2.0 address layout (the file does not say): dvs128, davis346 (bit fields as in the reference), dvs128-jaer or davis346-jaer (jAER's orientation).",
            DefaultValueFactory = _ => "dvs128",
        };

    public static (Option<string?> Plot, Option<int?> Stream, Option<string> Layout) ForInspect() =>
        (new Option<string?>("--plot") { Description = "Event recordings: write a PNG of the event-rate histogram and the accumulated ON/OFF frame." }, Stream(), Layout());

    public static EventFileOptions Read(ParseResult parse, Option<int?> stream, Option<string> layout) => new()
    {
        StreamId = parse.GetValue(stream),
        Aedat2Layout = Aedat2LayoutNames.Parse(parse.GetValue(layout)!)
            ?? throw new UsageException($"--aedat2-layout: '{parse.GetValue(layout)}' is not one of {string.Join(", ", Aedat2LayoutNames.All)}"),
    };
}
