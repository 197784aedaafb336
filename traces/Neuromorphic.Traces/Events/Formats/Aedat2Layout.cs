namespace Neuromorphic.Traces.Events.Formats;

/// <summary>
/// How the 32-bit address of an AEDAT 2.0 event encodes pixel and polarity; the file itself
/// does not say, so the caller names the camera that recorded it.
/// </summary>
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
}
