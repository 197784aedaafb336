using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using Neuromorphic.Traces.Events.Streaming;

namespace Neuromorphic.Traces.Events.Formats;

/// <summary>
/// Decodes EVT 3.0 words (16 bits, little-endian, type in bits 15..12) against the decoder
/// state the format defines, handing CD events to a sink in batches.
/// </summary>
/// <remarks>
/// <para>
/// Word types (docs.prophesee.ai, "EVT 3.0 Format"): EVT_ADDR_Y 0x0 sets y (bits 10..0; bit 11,
/// the system type, is ignored); EVT_ADDR_X 0x2 is one event at x = bits 10..0 with polarity
/// bit 11; VECT_BASE_X 0x3 sets the base x (bits 10..0) and polarity (bit 11) of the vectors
/// that follow; VECT_12 0x4 is an event at base x + i for each set bit i of its 12-bit mask,
/// then base x += 12; VECT_8 0x5 the same with an 8-bit mask and base x += 8; EVT_TIME_LOW 0x6
/// sets time bits 11..0 and EVT_TIME_HIGH 0x8 time bits 23..12; EXT_TRIGGER 0xA, OTHERS 0xE,
/// CONTINUED_4 0x7 and CONTINUED_12 0xF are skipped and counted; 0x1, 0x9, 0xB, 0xC, 0xD are
/// reserved and counted as invalid.
/// </para>
/// <para>
/// Time: the 24-bit time base wraps every 2^24 µs (16.78 s). A TIME_HIGH smaller than the
/// previous one by more than half its range (2048) counts one wrap (2^24 µs added to all later
/// times); a smaller step back is not a wrap, and an event that would then go back in time is an
/// error. Each TIME_ word updates only its own bits, as the specification says (no extra carry).
/// Events before the first TIME_HIGH, or before the first EVT_ADDR_Y (or VECT_BASE_X for
/// vectors), have no defined time or address: they are skipped and counted
/// (<c>skipped.words.before_state</c>).
/// </para>
/// </remarks>
internal sealed class Evt3Decoder(string fileName, int width, int height, IEventSink sink)
{
    private const int BatchSize = EventBatch.Capacity;
    private const int HalfTimeHigh = 1 << 11;

    private readonly DvsEvent[] _out = new DvsEvent[BatchSize + 16];
    private readonly long[] _byType = new long[16];
    private int _count;
    private long _events;

    private int _y = -1;
    private int _baseX = -1;
    private int _basePolarity;
    private int _timeHigh = -1;
    private int _timeLow;
    private long _epoch;        // 2^24 µs per wrap seen
    private long _lastEventUs;  // time of the last event handed out
    private long _wraps;
    private long _beforeState;

    /// <summary>Decodes a run of whole words; <paramref name="offset"/> is the byte position of its first.</summary>
    public void Decode(ReadOnlySpan<byte> bytes, long offset)
    {
        ReadOnlySpan<ushort> words = MemoryMarshal.Cast<byte, ushort>(bytes);
        DvsEvent[] output = _out;
        int count = _count;
        long time = _epoch + ((long)Math.Max(_timeHigh, 0) << 12) + _timeLow;
        for (int i = 0; i < words.Length; i++)
        {
            int w = BitConverter.IsLittleEndian ? words[i] : BinaryPrimitives.ReverseEndianness(words[i]);
            int type = w >> 12;
            _byType[type]++;
            switch (type)
            {
                case 0x0: // EVT_ADDR_Y
                    _y = w & 0x7FF;
                    if (_y >= height)
                    {
                        throw Outside(offset, i, $"y = {_y}");
                    }

                    break;
                case 0x2: // EVT_ADDR_X
                {
                    if (_timeHigh < 0 || _y < 0)
                    {
                        _beforeState++;
                        break;
                    }

                    int x = w & 0x7FF;
                    if (x >= width)
                    {
                        throw Outside(offset, i, $"x = {x}");
                    }

                    CheckTime(time, offset, i);
                    output[count++] = new DvsEvent((ushort)x, (ushort)_y, (byte)((w >> 11) & 1), time);
                    if (count >= BatchSize)
                    {
                        count = Flush(count);
                    }

                    break;
                }

                case 0x3: // VECT_BASE_X
                    _baseX = w & 0x7FF;
                    _basePolarity = (w >> 11) & 1;
                    break;
                case 0x4: // VECT_12
                case 0x5: // VECT_8
                {
                    int span = type == 0x4 ? 12 : 8;
                    int mask = w & ((1 << span) - 1);
                    if (_timeHigh < 0 || _y < 0 || _baseX < 0)
                    {
                        _beforeState++;
                        break;
                    }

                    if (mask != 0)
                    {
                        int last = _baseX + 31 - BitOperations.LeadingZeroCount((uint)mask);
                        if (last >= width)
                        {
                            throw Outside(offset, i, $"x = {last} (vector base {_baseX}, mask 0x{mask:X})");
                        }

                        CheckTime(time, offset, i);
                        var template = new DvsEvent(0, (ushort)_y, (byte)_basePolarity, time);
                        while (mask != 0)
                        {
                            int bit = BitOperations.TrailingZeroCount(mask);
                            output[count++] = template with { X = (ushort)(_baseX + bit) };
                            mask &= mask - 1;
                        }

                        if (count >= BatchSize)
                        {
                            count = Flush(count);
                        }
                    }

                    _baseX += span;
                    break;
                }

                case 0x6: // EVT_TIME_LOW
                    _timeLow = w & 0xFFF;
                    time = _epoch + ((long)Math.Max(_timeHigh, 0) << 12) + _timeLow;
                    break;
                case 0x8: // EVT_TIME_HIGH
                {
                    int high = w & 0xFFF;
                    if (_timeHigh >= 0 && _timeHigh - high > HalfTimeHigh)
                    {
                        _epoch += 1L << 24;
                        _wraps++;
                    }

                    _timeHigh = high;
                    time = _epoch + ((long)high << 12) + _timeLow;
                    break;
                }
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
        counts.Add("skipped.words.CONTINUED_4", _byType[0x7]);
        counts.Add("skipped.words.CONTINUED_12", _byType[0xF]);
        foreach (int reserved in new[] { 0x1, 0x9, 0xB, 0xC, 0xD })
        {
            counts.Add($"invalid.words.type_0x{reserved:X}", _byType[reserved]);
        }
    }

    private void CheckTime(long time, long offset, int word)
    {
        if (time < _lastEventUs)
        {
            throw new InputFormatException(
                fileName, $"byte {offset + 2L * word}", $"event time {time} us is earlier than the previous event's {_lastEventUs} us");
        }

        _lastEventUs = time;
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

    private InputFormatException Outside(long offset, int word, string what) =>
        new(fileName, $"byte {offset + 2L * word}", $"{what} is outside the {width} x {height} sensor");
}
