using CsCheck;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using Neuromorphic.Traces.Events.Formats;
using Neuromorphic.Traces.Events.Streaming;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces.Events.Recordings;

[TestFixture]
public class PropheseeRawTests
{
    private static (EventStream Events, ReadCounts Counts, RecordingInfo Info) Parse(byte[] bytes, int width = 0, int height = 0)
    {
        var collector = new EventCollector();
        ReadCounts counts = PropheseeRaw.Read(new MemoryStream(bytes), "test.raw", collector, width, height);
        return (collector.ToStream(), counts, collector.Info!);
    }

    private static InputFormatException ParseFails(byte[] bytes) => Assert.Throws<InputFormatException>(() => Parse(bytes))!;

    [Test]
    public void Evt3DecodesEveryWordType()
    {
        byte[] file = EvtWords.Evt3()
            .AddrX(1, 1)                      // before any time base: skipped
            .W16(0x7, 0x5)                    // CONTINUED_4
            .Time3(0x123456)
            .AddrY(7, system: 1)
            .AddrX(10, 1)                     // (10, 7) ON
            .W16(0xA, 0x101)                  // EXT_TRIGGER
            .VectBaseX(100, 0)
            .Vect12(0b1000_0000_0101)         // x 100, 102, 111 OFF; base -> 112
            .Vect8(0b1000_0001)               // x 112, 119 OFF; base -> 120
            .W16(0xE, 0x001)                  // OTHERS
            .W16(0xF, 0xABC)                  // CONTINUED_12
            .TimeLow(0x460)
            .AddrY(8)
            .Vect8(0b10)                      // x 121 at y 8
            .W16(0x1, 0)                      // reserved
            .ToArray();

        var (events, counts, info) = Parse(file);

        const long t0 = 0x123456;
        const long t1 = 0x123460;
        Assert.That(info, Is.EqualTo(new RecordingInfo("EVT 3.0", 640, 480, TimesFromFirstEvent: false)));
        Assert.That(events.Events, Is.EqualTo(new[]
        {
            new DvsEvent(10, 7, 1, t0),
            new DvsEvent(100, 7, 0, t0), new DvsEvent(102, 7, 0, t0), new DvsEvent(111, 7, 0, t0),
            new DvsEvent(112, 7, 0, t0), new DvsEvent(119, 7, 0, t0),
            new DvsEvent(121, 8, 0, t1),
        }));
        Assert.That(counts["skipped.words.before_state"], Is.EqualTo(1));
        Assert.That(counts["skipped.words.CONTINUED_4"], Is.EqualTo(1));
        Assert.That(counts["skipped.words.CONTINUED_12"], Is.EqualTo(1));
        Assert.That(counts["skipped.words.EXT_TRIGGER"], Is.EqualTo(1));
        Assert.That(counts["skipped.words.OTHERS"], Is.EqualTo(1));
        Assert.That(counts["invalid.words.type_0x1"], Is.EqualTo(1));
        Assert.That(counts["words"], Is.EqualTo(16));
        Assert.That(counts["events"], Is.EqualTo(7));
    }

    [Test]
    public void Evt3TimeHighWrapsAddTwoToThe24()
    {
        byte[] file = EvtWords.Evt3()
            .AddrY(0).Time3(0xFFF_F00).AddrX(1, 1)
            .Time3(0x000_010).AddrX(2, 1)           // wrapped: 2^24 + 0x10
            .Time3(0x900_000).AddrX(3, 1)
            .Time3(0x001_000).AddrX(4, 1)           // wrapped again
            .ToArray();

        var (events, counts, _) = Parse(file);

        Assert.That(events.Events.Select(e => e.TimeUs), Is.EqualTo(new[] { 0xFFFF00L, (1L << 24) + 0x10, (1L << 24) + 0x900000, (2L << 24) + 0x1000 }));
        Assert.That(counts["time_high.wraps"], Is.EqualTo(2));
    }

    [Test]
    public void Evt3TimeLowUpdatesOnlyItsBitsWithoutCarry()
    {
        // The specification: TIME_HIGH sets bits 23..12, TIME_LOW bits 11..0; nothing else.
        byte[] file = EvtWords.Evt3().AddrY(0).TimeHigh(2).TimeLow(0xFFF).AddrX(0, 0).TimeHigh(3).TimeLow(0x001).AddrX(1, 0).ToArray();
        Assert.That(Parse(file).Events.Events.Select(e => e.TimeUs), Is.EqualTo(new[] { 0x2FFFL, 0x3001L }));
    }

    [Test]
    public void Evt3ErrorsNameTheByteOfTheWord()
    {
        var header = EvtWords.Evt3(width: 64, height: 32);
        long first = header.Length;
        var ex = ParseFails(header.Time3(5).AddrY(3).AddrX(64, 1).ToArray());
        Assert.That(ex.Location, Is.EqualTo($"byte {first + 6}"));
        Assert.That(ex.Message, Does.Contain("x = 64 is outside the 64 x 32 sensor"));

        ex = ParseFails(EvtWords.Evt3(64, 32).Time3(5).AddrY(32).ToArray());
        Assert.That(ex.Message, Does.Contain("y = 32 is outside"));

        ex = ParseFails(EvtWords.Evt3(64, 32).Time3(5).AddrY(1).VectBaseX(60, 1).Vect8(0b10000).ToArray());
        Assert.That(ex.Message, Does.Contain("x = 64 (vector base 60, mask 0x10)"));

        ex = ParseFails(EvtWords.Evt3().Time3(500).AddrY(1).AddrX(1, 1).TimeLow(10).AddrX(2, 1).ToArray());
        Assert.That(ex.Message, Does.Contain("event time 10 us is earlier than the previous event's 500 us"));
    }

    [Test]
    public void Evt2DecodesEveryWordType()
    {
        long t = (5L << 6) + 3;
        byte[] file = EvtWords.Evt2()
            .Cd(1, 0, 1, 1)                 // before TIME_HIGH: skipped
            .TimeHigh2(t)
            .Cd(1, t, 639, 479)
            .Cd(0, t + 1, 5, 6)
            .Trigger2(t + 2, 3, 1)
            .W32(0xEu << 28)                // OTHERS
            .W32(0xFu << 28 | 12345)        // CONTINUED
            .W32(0x3u << 28)                // reserved
            .TimeHigh2(1L << 20)
            .Cd(0, 7, 0, 0)
            .ToArray();

        var (events, counts, info) = Parse(file);

        Assert.That(info.Format, Is.EqualTo("EVT 2.0"));
        Assert.That(events.Events, Is.EqualTo(new[]
        {
            new DvsEvent(639, 479, 1, t), new DvsEvent(5, 6, 0, t + 1), new DvsEvent(0, 0, 0, (1L << 20) + 7),
        }));
        Assert.That(counts["skipped.words.before_state"], Is.EqualTo(1));
        Assert.That(counts["skipped.words.EXT_TRIGGER"], Is.EqualTo(1));
        Assert.That(counts["skipped.words.OTHERS"], Is.EqualTo(1));
        Assert.That(counts["skipped.words.CONTINUED"], Is.EqualTo(1));
        Assert.That(counts["invalid.words.type_0x3"], Is.EqualTo(1));
    }

    [Test]
    public void Evt2TimeHighWrapsAddTwoToThe34()
    {
        long late = (1L << 34) - 64;
        byte[] file = EvtWords.Evt2().TimeHigh2(late).Cd(1, 0, 1, 1).TimeHigh2(0).Cd(1, 5, 1, 1).ToArray();
        var (events, counts, _) = Parse(file);
        Assert.That(events.Events.Select(e => e.TimeUs), Is.EqualTo(new[] { late, (1L << 34) + 5 }));
        Assert.That(counts["time_high.wraps"], Is.EqualTo(1));
    }

    [Test]
    public void HeadersGiveEncodingAndGeometry()
    {
        Assert.That(Parse(new EvtWords("% format EVT3;height=720;width=1280\n% end\n").ToArray()).Events.Width, Is.EqualTo(1280));
        Assert.That(Parse(new EvtWords("% evt 2.0\n% geometry 304x240\n").ToArray()).Info, Is.EqualTo(new RecordingInfo("EVT 2.0", 304, 240, false)));
        Assert.That(Parse(new EvtWords("% evt 3.0\n% end\n").ToArray(), 10, 20).Events.Height, Is.EqualTo(20));
        Assert.That(ParseFails(new EvtWords("% evt 3.0\n% end\n").ToArray()).Message, Does.Contain("sensor size unknown"));
        Assert.That(ParseFails(new EvtWords("% format EVT21;height=720;width=1280\n% end\n").ToArray()).Message, Does.Contain("'EVT21;height=720;width=1280' is not supported"));
        Assert.That(ParseFails(new EvtWords("% geometry 1x1\n% end\n").ToArray()).Message, Does.Contain("names no event encoding"));
        Assert.That(ParseFails([1, 2, 3]).Location, Is.EqualTo("byte 0"));
    }

    [Test]
    public void EveryTruncationIsAnErrorNamingAByteOrACleanShorterRead([Values(2, 3)] int version)
    {
        byte[] file = version == 3
            ? EvtWords.Evt3().Time3(100).AddrY(1).AddrX(2, 1).VectBaseX(0, 1).Vect12(0xFFF).ToArray()
            : EvtWords.Evt2().TimeHigh2(100).Cd(1, 100, 1, 1).Cd(0, 101, 2, 2).ToArray();
        int headerLength = (version == 3 ? EvtWords.Evt3() : EvtWords.Evt2()).ToArray().Length;
        int word = version == 3 ? 2 : 4;
        for (int length = 0; length < file.Length; length++)
        {
            byte[] cut = file[..length];
            if (length >= headerLength && (length - headerLength) % word == 0)
            {
                Assert.DoesNotThrow(() => Parse(cut), $"cut at a word boundary {length}");
            }
            else if (length > headerLength)
            {
                var ex = Assert.Throws<InputFormatException>(() => Parse(cut), $"cut at {length}")!;
                Assert.That(ex.Location, Is.EqualTo($"byte {length - (length - headerLength) % word}"), ex.Message);
            }
            else
            {
                // Inside the header: a cut after a whole line leaves a valid, empty recording.
                try
                {
                    Parse(cut);
                }
                catch (InputFormatException ex)
                {
                    Assert.That(ex.Location, Does.Match(@"^(byte \d+|header)$"), $"cut at {length}: {ex.Message}");
                }
            }
        }
    }

    [Test]
    public void DamageAnywhereIsReadOrReportedNeverACrash([Values(2, 3)] int version)
    {
        byte[] file = version == 3
            ? EvtWords.Evt3(64, 64).Time3(100).AddrY(1).AddrX(2, 1).VectBaseX(0, 1).Vect12(0xFFF).Vect8(0xFF).ToArray()
            : EvtWords.Evt2(64, 64).TimeHigh2(100).Cd(1, 100, 1, 1).Cd(0, 101, 2, 2).ToArray();
        for (int at = 0; at < file.Length; at++)
        {
            foreach (byte flip in new byte[] { 0x01, 0x10, 0x80, 0xFF })
            {
                byte[] damaged = (byte[])file.Clone();
                damaged[at] ^= flip;
                try
                {
                    Parse(damaged);
                }
                catch (InputFormatException ex)
                {
                    Assert.That(ex.Location, Does.Match(@"^(byte \d+|header)$"), $"damage at {at}: {ex.Message}");
                }
            }
        }
    }

    [Test]
    public void AnySortedEventsRoundTripThroughEvt3Words()
    {
        // Encode with the simplest legal word sequence (TIME_HIGH, TIME_LOW, ADDR_Y, ADDR_X per
        // event, vectors for runs on a row): the decoder must give back the events exactly.
        var gen = Gen.Select(Gen.UShort[0, 63], Gen.UShort[0, 31], Gen.Byte[0, 1], Gen.Int[0, 5000]).Array[0, 60];
        gen.Sample(raw =>
        {
            long t = 0;
            var events = raw.Select(r => new DvsEvent(r.Item1, r.Item2, r.Item3, t += r.Item4)).ToArray();
            var words = EvtWords.Evt3(64, 32);
            foreach (DvsEvent e in events)
            {
                words.Time3(e.TimeUs).AddrY(e.Y);
                if (e.X % 2 == 0)
                {
                    words.AddrX(e.X, e.Polarity);
                }
                else
                {
                    words.VectBaseX(e.X, e.Polarity).Vect8(1);
                }
            }

            Assert.That(Parse(words.ToArray()).Events.Events, Is.EqualTo(events));
        }, iter: 300);
    }

    [Test]
    public void EventFileDispatchesRawFiles()
    {
        string path = Path.Combine(Path.GetTempPath(), $"evt-{Guid.NewGuid():N}.raw");
        try
        {
            File.WriteAllBytes(path, EvtWords.Evt3().Time3(9).AddrY(2).AddrX(3, 1).ToArray());
            Assert.That(EventFile.DetectFormat(path), Is.EqualTo(EventFileFormat.PropheseeRaw));
            Assert.That(EventFile.Read(path).Events, Is.EqualTo(new[] { new DvsEvent(3, 2, 1, 9) }));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
