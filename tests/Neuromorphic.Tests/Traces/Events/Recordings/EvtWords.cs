using System.Buffers.Binary;
using System.Text;

namespace Neuromorphic.Tests.Traces.Events.Recordings;

/// <summary>
/// Builds Prophesee .raw files word by word from the bit layouts of Prophesee's EVT 2.0 and
/// EVT 3.0 specifications (docs.prophesee.ai), independently of the decoders.
/// </summary>
internal sealed class EvtWords
{
    private readonly MemoryStream _bytes = new();

    public EvtWords(string header) => _bytes.Write(Encoding.ASCII.GetBytes(header));

    public long Length => _bytes.Length;

    public static EvtWords Evt3(int width = 640, int height = 480) =>
        new($"% camera_integrator_name Prophesee\n% evt 3.0\n% format EVT3;height={height};width={width}\n% end\n");

    public static EvtWords Evt2(int width = 640, int height = 480) =>
        new($"% evt 2.0\n% geometry {width}x{height}\n% end\n");

    // EVT 3.0: 16-bit words, type in bits 15..12.
    public EvtWords W16(int type, int payload)
    {
        Span<byte> w = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(w, (ushort)(type << 12 | payload & 0xFFF));
        _bytes.Write(w);
        return this;
    }

    public EvtWords AddrY(int y, int system = 0) => W16(0x0, system << 11 | y);
    public EvtWords AddrX(int x, int polarity) => W16(0x2, polarity << 11 | x);
    public EvtWords VectBaseX(int x, int polarity) => W16(0x3, polarity << 11 | x);
    public EvtWords Vect12(int mask) => W16(0x4, mask);
    public EvtWords Vect8(int mask) => W16(0x5, mask);
    public EvtWords TimeLow(int bits) => W16(0x6, bits);
    public EvtWords TimeHigh(int bits) => W16(0x8, bits);

    /// <summary>TIME_HIGH then TIME_LOW for a 24-bit time.</summary>
    public EvtWords Time3(long t) => TimeHigh((int)(t >> 12) & 0xFFF).TimeLow((int)t & 0xFFF);

    // EVT 2.0: 32-bit words, type in bits 31..28.
    public EvtWords W32(uint word)
    {
        Span<byte> w = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(w, word);
        _bytes.Write(w);
        return this;
    }

    public EvtWords Cd(int polarity, long t, int x, int y) =>
        W32((uint)polarity << 28 | (uint)(t & 0x3F) << 22 | (uint)x << 11 | (uint)y);

    public EvtWords TimeHigh2(long t) => W32(0x8u << 28 | (uint)(t >> 6) & 0x0FFF_FFFF);

    public EvtWords Trigger2(long t, int id, int value) => W32(0xAu << 28 | (uint)(t & 0x3F) << 22 | (uint)id << 8 | (uint)value);

    public EvtWords Raw(params byte[] bytes)
    {
        _bytes.Write(bytes);
        return this;
    }

    public byte[] ToArray() => _bytes.ToArray();
}
