using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace Neuromorphic.Traces.Events.Formats;

/// <summary>One stream an AEDAT 4.0 file declares in its IOHeader's description.</summary>
/// <param name="Id">The stream id that packets carry.</param>
/// <param name="Type">The FlatBuffers type identifier: <c>EVTS</c> polarity events, <c>FRME</c> frames, <c>IMUS</c> IMU samples, <c>TRIG</c> triggers, ...</param>
/// <param name="Width">The source's sensor width (0 if not given).</param>
/// <param name="Height">The source's sensor height (0 if not given).</param>
/// <param name="Source">The camera that recorded it, e.g. <c>DAVIS346_00000104</c> (empty if not given).</param>
public sealed record Aedat4Stream(int Id, string Type, int Width, int Height, string Source)
{
    /// <summary>The type identifier of polarity-event packets.</summary>
    public const string PolarityType = "EVTS";

    /// <summary>
    /// Parses the XML description of DV's recorder (<c>&lt;dv&gt;&lt;node name="outInfo"&gt;</c>,
    /// one child node per stream named by its id, with attributes <c>typeIdentifier</c> and an
    /// <c>info</c> node holding <c>sizeX</c>, <c>sizeY</c>, <c>source</c>).
    /// </summary>
    /// <exception cref="FormatException">The text is not the expected XML.</exception>
    internal static IReadOnlyList<Aedat4Stream> Parse(string description)
    {
        XDocument document;
        try
        {
            document = XDocument.Parse(description);
        }
        catch (XmlException ex)
        {
            throw new FormatException($"the stream description is not valid XML ({ex.Message})", ex);
        }

        XElement? outInfo = document.Root?.Elements("node").FirstOrDefault(n => (string?)n.Attribute("name") == "outInfo")
            ?? throw new FormatException("the stream description has no 'outInfo' node");
        var streams = new List<Aedat4Stream>();
        foreach (XElement node in outInfo.Elements("node"))
        {
            string name = (string?)node.Attribute("name") ?? "";
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
            {
                throw new FormatException($"stream node name '{name}' is not a stream id");
            }

            string type = Attr(node, "typeIdentifier") ?? throw new FormatException($"stream {id} has no typeIdentifier");
            XElement? info = node.Elements("node").FirstOrDefault(n => (string?)n.Attribute("name") == "info");
            int width = info is null ? 0 : ParseSize(Attr(info, "sizeX"), id, "sizeX");
            int height = info is null ? 0 : ParseSize(Attr(info, "sizeY"), id, "sizeY");
            streams.Add(new Aedat4Stream(id, type, width, height, info is null ? "" : Attr(info, "source") ?? ""));
        }

        return streams.OrderBy(s => s.Id).ToList();
    }

    private static string? Attr(XElement node, string key) =>
        node.Elements("attr").FirstOrDefault(a => (string?)a.Attribute("key") == key)?.Value.Trim();

    private static int ParseSize(string? text, int id, string key)
    {
        if (text is null)
        {
            return 0;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value is > 0 and <= ushort.MaxValue + 1
            ? value
            : throw new FormatException($"stream {id}: {key} '{text}' is not a sensor size");
    }
}
