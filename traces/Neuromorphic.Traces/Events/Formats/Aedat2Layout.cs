namespace Neuromorphic.Traces.Events.Formats;

/// <summary>
/// How the 32-bit address of an AEDAT 2.0 event encodes pixel and polarity; the file itself
/// does not say, so the caller names the camera that recorded it and the axis convention.
/// </summary>
/// <remarks>
/// Bit fields of the address a (bit 0 least significant):
/// <list type="table">
/// <listheader><term>layout</term><description>x, y, polarity (1 = ON)</description></listheader>
/// <item><term><see cref="Dvs128"/></term><description>x = bits 8-14, y = bits 1-7, p = bit 0 (the project reference, tonic's <c>read_dvs_128</c>)</description></item>
/// <item><term><see cref="Dvs128Jaer"/></term><description>x = 127 - bits 1-7, y = bits 8-14, p = 1 - bit 0 (jAER's DVS128 extractor)</description></item>
/// <item><term><see cref="Davis346"/></term><description>x = bits 12-21, y = bits 22-30, p = bit 11</description></item>
/// <item><term><see cref="Davis346Jaer"/></term><description>x = 345 - bits 12-21, y = bits 22-30, p = bit 11 (jAER's DAVIS extractor, tonic's <c>read_davis_346</c>)</description></item>
/// </list>
/// DVS128 layouts skip addresses with bit 15 (external sync) or bit 31 (special event) set and
/// reject any of bits 16-30; DAVIS layouts skip addresses with bit 31 (APS frame or IMU sample)
/// or bit 10 (IMU / special event) set. The jAER layouts give the x, y and polarity numbers
/// jAER itself shows; jAER's y axis points up (row 0 at the bottom), so drawn with row 0 at the
/// top, as <see cref="DvsEvent"/> documents, its picture appears upside down.
/// </remarks>
public enum Aedat2Layout
{
    /// <summary>
    /// iniVation/iniLabs DVS128 (128 x 128): x = (a &gt;&gt; 8) &amp; 0x7F, y = (a &gt;&gt; 1) &amp; 0x7F,
    /// polarity = a &amp; 1. See <see cref="Aedat2"/> for how this relates to jAER's orientation.
    /// </summary>
    Dvs128,

    /// <summary>
    /// iniVation DAVIS346 (346 x 260): y = bits 22-30, x = bits 12-21, polarity = bit 11;
    /// addresses with bit 31 (APS frame samples) or bit 10 (IMU and other special events) set
    /// are skipped.
    /// </summary>
    Davis346,

    /// <summary>
    /// DVS128 as jAER decodes it: x = 127 - ((a &gt;&gt; 1) &amp; 0x7F), y = (a &gt;&gt; 8) &amp; 0x7F,
    /// polarity = 1 - (a &amp; 1).
    /// </summary>
    Dvs128Jaer,

    /// <summary>DAVIS346 as jAER decodes it: x = 345 - bits 12-21, y = bits 22-30, polarity = bit 11.</summary>
    Davis346Jaer,
}

/// <summary>The names of <see cref="Aedat2Layout"/> in configuration files and on the command line.</summary>
public static class Aedat2LayoutNames
{
    /// <summary>Every name, in the order of the enum: <c>dvs128</c>, <c>davis346</c>, <c>dvs128-jaer</c>, <c>davis346-jaer</c>.</summary>
    public static IReadOnlyList<string> All { get; } = ["dvs128", "davis346", "dvs128-jaer", "davis346-jaer"];

    /// <summary>The layout a name stands for (case-insensitive), or null for an unknown name.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The layout or null.</returns>
    public static Aedat2Layout? Parse(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        for (int i = 0; i < All.Count; i++)
        {
            if (string.Equals(All[i], name.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return (Aedat2Layout)i;
            }
        }

        return null;
    }

    /// <summary>The display name of a layout, e.g. <c>DVS128 (jAER)</c>.</summary>
    /// <param name="layout">The layout.</param>
    /// <returns>The name.</returns>
    public static string Name(Aedat2Layout layout) => layout switch
    {
        Aedat2Layout.Dvs128 => "DVS128",
        Aedat2Layout.Davis346 => "DAVIS346",
        Aedat2Layout.Dvs128Jaer => "DVS128 (jAER)",
        Aedat2Layout.Davis346Jaer => "DAVIS346 (jAER)",
        _ => throw new ArgumentOutOfRangeException(nameof(layout), layout, "unknown AEDAT 2.0 layout"),
    };
}
