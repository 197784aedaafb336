using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Neuromorphic.Traces.Events.Streaming;

namespace Neuromorphic.Traces.Events.Formats;

/// <summary>
/// Decodes EVT 2.0 words (32 bits, little-endian, type in bits 31..28), handing CD events to a
/// sink in batches.
/// </summary>
/// <remarks>
/// <para>
/// Word types (docs.prophesee.ai, "EVT 2.0 Format"): CD_OFF 0x0 and CD_ON 0x1 are one event
/// with time bits 5..0 in bits 27..22, x in bits 21..11 and y in bits 10..0; EVT_TIME_HIGH 0x8
/// carries time bits 33..6 in bits 27..0; EXT_TRIGGER 0xA, OTHERS 0xE and CONTINUED 0xF are
/// skipped and counted; every other type is reserved and counted as invalid.
/// </para>
/// <para>
/// Time: an event's time is (TIME_HIGH &lt;&lt; 6) | its 6 low bits, a 34-bit counter that wraps
/// every 2^34 µs (4.77 hours). A TIME_HIGH smaller than the previous one by more than half its
/// range counts one wrap; an event earlier than its predecessor is an error. CD events before
/// the first TIME_HIGH have no defined time: they are skipped and counted
/// (<c>skipped.words.before_state</c>).
/// </para>
/// </remarks>
internal sealed class Evt2Decoder(string fileName, int width, int height, IEventSink sink)
{
    private const int BatchSize = EventBatch.Capacity;
    private const long HalfTimeHigh = 1L << 27;

    private readonly DvsEvent[] _out = new DvsEvent[BatchSize];
    private readonly long[] _byType = new long[16];
    private int _count;
    private long _events;

    private long _timeHigh = -1;
    private long _epoch;  // 2^34 µs per wrap seen
    private long _lastEventUs;
    private long _wraps;
    private long _beforeState;

    /// <summary>Decodes a run of whole words; <paramref name="offset"/> is the byte position of its first.</summary>
    public void Decode(ReadOnlySpan<byte> bytes, long offset)
    {
        ReadOnlySpan<uint> words = MemoryMarshal.Cast<byte, uint>(bytes);
        DvsEvent[] output = _out;
        int count = _count;
        long timeBase = _epoch + (Math.Max(_timeHigh, 0) << 6);
        for (int i = 0; i < words.Length; i++)
        {
            uint w = BitConverter.IsLittleEndian ? words[i] : BinaryPrimitives.ReverseEndianness(words[i]);
            int type = (int)(w >> 28);
            _byType[type]++;
            if (type <= 1)
            {
                if (_timeHigh < 0)
                {
                    _beforeState++;
                    continue;
                }

                int x = (int)(w >> 11) & 0x7FF;
                int y = (int)w & 0x7FF;
                if (x >= width || y >= height)
                {
                    throw new InputFormatException(
                        fileName, $"byte {offset + 4L * i}", $"event ({x}, {y}) is outside the {width} x {height} sensor");
                }

                long time = timeBase + ((w >> 22) & 0x3F);
                if (time < _lastEventUs)
                {
                    throw new InputFormatException(
                        fileName, $"byte {offset + 4L * i}", $"event time {time} us is earlier than the previous event's {_lastEventUs} us");
                }

                _lastEventUs = time;
                output[count++] = new DvsEvent((ushort)x, (ushort)y, (byte)type, time);
                if (count == BatchSize)
                {
                    count = Flush(count);
                }
            }
            else if (type == 0x8)
            {
                long high = w & 0x0FFF_FFFF;
                if (_timeHigh >= 0 && _timeHigh - high > HalfTimeHigh)
                {
                    _epoch += 1L << 34;
                    _wraps++;
                }

                _timeHigh = high;
                timeBase = _epoch + (high << 6);
            }
        }

        _count = count;
    }

    /// <summary>Hands over the last events and reports the counts.</summary>
    public void Finish(ReadCounts counts)
    {
        _count = Flush(_count);
        counts.Add("words", _byType.Sum());
        counts.Add("events", _events);
        counts.Add("time_high.wraps", _wraps);
        counts.Add("skipped.words.before_state", _beforeState);
        counts.Add("skipped.words.EXT_TRIGGER", _byType[0xA]);
        counts.Add("skipped.words.OTHERS", _byType[0xE]);
        counts.Add("skipped.words.CONTINUED", _byType[0xF]);
        foreach (int reserved in new[] { 0x2, 0x3, 0x4, 0x5, 0x6, 0x7, 0x9, 0xB, 0xC, 0xD })
        {
            counts.Add($"invalid.words.type_0x{reserved:X}", _byType[reserved]);
        }
    }

    private int Flush(int count)
    {
        if (count > 0)
        {
            sink.Write(_out.AsSpan(0, count));
            _events += count;
        }

        return 0;
    }
}
