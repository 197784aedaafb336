using CsCheck;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using Neuromorphic.Traces.Events.Formats;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces.Events.Formats;

[TestFixture]
public class Aedat2Tests
{
    private const string Name = "clip.aedat";

    // 14 + 13 + 8 = 35 bytes: events start at byte 35.
    private const string Header = "#!AER-DAT2.0\r\n# comment 1\r\n# other\n";
    private const int HeaderLength = 35;

    private static EventStream Parse(byte[] bytes, Aedat2Layout layout = Aedat2Layout.Dvs128) =>
        Aedat2.Read(new MemoryStream(bytes), Name, layout);

    private static InputFormatException ParseFails(byte[] bytes, Aedat2Layout layout = Aedat2Layout.Dvs128)
    {
        var ex = Assert.Throws<InputFormatException>(() => Parse(bytes, layout))!;
        Assert.That(ex.File, Is.EqualTo(Name));
        return ex;
    }

    private static byte[] Format(EventStream stream, Aedat2Layout layout)
    {
        var buffer = new MemoryStream();
        Aedat2.Write(buffer, stream, layout);
        return buffer.ToArray();
    }

    private static uint Davis(int x, int y, int p) => (uint)y << 22 | (uint)x << 12 | (uint)p << 11;

    [Test]
    public void HeaderLengthMatchesTheLiteral()
    {
        Assert.That(new EventBytes().Text(Header).Length, Is.EqualTo(HeaderLength));
    }

    [Test]
    public void DecodesThreeDvs128EventsWithTheReferenceBitFields()
    {
        byte[] bytes = new EventBytes().Text(Header)
            .BigEndianEvent(0x0515, 1000)   // x = 5, y = 10, ON
            .BigEndianEvent(0x7F00, 1500)   // x = 127, y = 0, OFF
            .BigEndianEvent(0x00FF, 1500)   // x = 0, y = 127, ON
            .ToArray();

        EventStream stream = Parse(bytes);

        Assert.That((stream.Width, stream.Height), Is.EqualTo((128, 128)));
        Assert.That(stream.Events, Is.EqualTo(new[]
        {
            new DvsEvent(5, 10, 1, 0),
            new DvsEvent(127, 0, 0, 500),
            new DvsEvent(0, 127, 1, 500),
        }), "times are relative to the first event");
    }

    [Test]
    public void Dvs128SkipsSyncAndSpecialEventsAndRejectsHighAddressBits()
    {
        byte[] skipping = new EventBytes().Text(Header)
            .BigEndianEvent(0x8000 | 0x0101, 5)       // bit 15: jAER sync event
            .BigEndianEvent(0x0203, 7)                // x = 2, y = 1, ON
            .BigEndianEvent(0x8000_0000 | 0x0101, 9)  // bit 31: special event
            .ToArray();
        Assert.That(Parse(skipping).Events, Is.EqualTo(new[] { new DvsEvent(2, 1, 1, 0) }));

        byte[] davisAddress = new EventBytes().Text(Header)
            .BigEndianEvent(0x0203, 7)
            .BigEndianEvent(Davis(3, 20, 1), 9)   // bits 16-30 set, bit 15 clear
            .ToArray();
        var ex = ParseFails(davisAddress);
        Assert.That(ex.Location, Is.EqualTo($"byte {HeaderLength + 8}"));
        Assert.That(ex.Problem, Does.Contain("DAVIS346 layout"));
    }

    [Test]
    public void DecodesThreeDavis346EventsAndSkipsFrameAndImuSamples()
    {
        byte[] bytes = new EventBytes().Text(Header)
            .BigEndianEvent(Davis(345, 259, 1), 100)
            .BigEndianEvent(0x8000_0000 | Davis(3, 4, 0) | 0x3FF, 101)  // APS frame sample (bit 31, ADC value)
            .BigEndianEvent(0x8000_0C00, 102)                          // IMU sample
            .BigEndianEvent(Davis(0, 0, 0), 150)
            .BigEndianEvent(Davis(7, 8, 1) | 0x400, 160)               // bit 10: IMU / special
            .BigEndianEvent(Davis(12, 200, 1), 175)
            .ToArray();

        EventStream stream = Parse(bytes, Aedat2Layout.Davis346);

        Assert.That((stream.Width, stream.Height), Is.EqualTo((346, 260)));
        Assert.That(stream.Events, Is.EqualTo(new[]
        {
            new DvsEvent(345, 259, 1, 0),
            new DvsEvent(0, 0, 0, 50),
            new DvsEvent(12, 200, 1, 75),
        }));
    }

    [Test]
    public void ThirtyTwoBitWrapIsUnwrappedButASmallerStepBackIsAnError()
    {
        byte[] wrapping = new EventBytes().Text(Header)
            .BigEndianEvent(0x0101, 0xFFFF_FFF0)
            .BigEndianEvent(0x0101, 0x0000_0010)
            .BigEndianEvent(0x0101, 0x0000_0020)
            .ToArray();
        Assert.That(Parse(wrapping).Events.Select(e => e.TimeUs), Is.EqualTo(new long[] { 0, 32, 48 }));

        byte[] backwards = new EventBytes().Text(Header)
            .BigEndianEvent(0x0101, 5000)
            .BigEndianEvent(0x0101, 6000)
            .BigEndianEvent(0x0101, 5999)
            .ToArray();
        var ex = ParseFails(backwards);
        Assert.That(ex.Location, Is.EqualTo($"byte {HeaderLength + 16}"));
        Assert.That(ex.Problem, Does.Contain("5999 us").And.Contain("6000 us"));
    }

    [Test]
    public void EndOfHeaderLineEndsTheHeaderEvenIfTheFirstAddressStartsWithAHash()
    {
        uint address = Davis(5, 140, 1); // top byte 0x23 = '#'
        Assert.That(address >> 24, Is.EqualTo((uint)'#'));
        byte[] bytes = new EventBytes().Text("#!AER-DAT2.0\r\n#End Of ASCII Header\r\n").BigEndianEvent(address, 9).ToArray();

        Assert.That(Parse(bytes, Aedat2Layout.Davis346).Events, Is.EqualTo(new[] { new DvsEvent(5, 140, 1, 0) }));
    }

    [Test]
    public void HeaderWithoutEventsGivesAnEmptyStream()
    {
        Assert.That(Parse(new EventBytes().Text(Header).ToArray()).Events, Is.Empty);
    }

    [TestCase("#!AER-DAT3.1\r\n", "different AEDAT version")]
    [TestCase("#!AER-DAT2.0", "not terminated")]
    [TestCase("\x93NUMPY", "expected '#!AER-DAT2.0'")]
    [TestCase("", "empty")]
    public void BadMagicIsReportedAtByteZero(string start, string problem)
    {
        byte[] bytes = new EventBytes().Text(start).ToArray();

        var ex = ParseFails(bytes);

        Assert.That(ex.Location, Is.EqualTo("byte 0"));
        Assert.That(ex.Problem, Does.Contain(problem));
        Assert.That(ex.Message, Does.StartWith("clip.aedat: byte 0: "));
    }

    [Test]
    public void UnterminatedHeaderLineReportsItsOffset()
    {
        byte[] bytes = new EventBytes().Text("#!AER-DAT2.0\r\n# dangling").ToArray();

        var ex = ParseFails(bytes);

        Assert.That(ex.Location, Is.EqualTo("byte 14"));
        Assert.That(ex.Problem, Does.Contain("not terminated"));
    }

    [Test]
    public void TruncatedEventReportsItsOffset()
    {
        byte[] bytes = new EventBytes().Text(Header).BigEndianEvent(0x0101, 1).Raw(0, 0, 1, 1, 0).ToArray();

        var ex = ParseFails(bytes);

        Assert.That(ex.Message, Is.EqualTo($"clip.aedat: byte {HeaderLength + 8}: truncated event (5 of 8 bytes)"));
    }

    [Test]
    public void TruncationIsFoundPastTheFirstReadChunk()
    {
        var builder = new EventBytes().Text(Header);
        for (int i = 0; i < 10_000; i++)
        {
            builder.BigEndianEvent(0x0101, (uint)i);
        }

        var ex = ParseFails(builder.Raw(1, 2, 3).ToArray());

        Assert.That(ex.Location, Is.EqualTo($"byte {HeaderLength + 80_000}"));
    }

    [TestCase(346, 0, "x = 346")]
    [TestCase(1023, 10, "x = 1023")]
    [TestCase(0, 260, "y = 260")]
    public void Davis346CoordinateOutsideTheSensorReportsTheEventsOffset(int x, int y, string coordinate)
    {
        byte[] bytes = new EventBytes().Text(Header)
            .BigEndianEvent(Davis(1, 1, 0), 1)
            .BigEndianEvent(Davis(x, y, 0), 2)
            .ToArray();

        var ex = ParseFails(bytes, Aedat2Layout.Davis346);

        Assert.That(ex.Location, Is.EqualTo($"byte {HeaderLength + 8}"));
        Assert.That(ex.Problem, Does.StartWith(coordinate).And.Contain("346 x 260"));
    }

    [Test]
    public void WriterOutputIsTheDocumentedBytes()
    {
        var stream = new EventStream(128, 128, [new DvsEvent(5, 10, 1, 3), new DvsEvent(6, 7, 0, 1000)]);

        byte[] bytes = Format(stream, Aedat2Layout.Dvs128);

        string header = System.Text.Encoding.ASCII.GetString(bytes, 0, bytes.Length - 16);
        Assert.That(header, Does.StartWith("#!AER-DAT2.0\r\n").And.EndWith("#End Of ASCII Header\r\n"));
        Assert.That(bytes[^16..], Is.EqualTo(new EventBytes().BigEndianEvent(0x0515, 3).BigEndianEvent(0x060E, 1000).ToArray()));
    }

    [TestCase(Aedat2Layout.Dvs128)]
    [TestCase(Aedat2Layout.Davis346)]
    public void WriteThenReadRoundTripsRandomStreamsShiftedToStartAtZero(Aedat2Layout layout)
    {
        (int width, int height) = Aedat2.SensorSize(layout);
        // Steps up to 2^31 - 1 us (the longest gap the 32-bit counter can carry) make many samples wrap.
        Gen<(int X, int Y, byte P, long Step)> genEvent = Gen.Select(
            Gen.Int[0, width - 1], Gen.Int[0, height - 1], Gen.Byte[0, 1],
            Gen.OneOf(Gen.Const(0L), Gen.Long[0, 1000], Gen.Long[0, (1L << 31) - 1]));
        Gen.Select(Gen.Long[0, 1L << 34], genEvent.Array[0, 50]).Sample((start, raw) =>
        {
            var events = new List<DvsEvent>(raw.Length);
            long time = start;
            foreach (var (x, y, p, step) in raw)
            {
                time += step;
                events.Add(new DvsEvent((ushort)x, (ushort)y, p, time));
            }

            var original = new EventStream(width, height, events);
            EventStream copy = Parse(Format(original, layout), layout);

            long first = events.Count > 0 ? events[0].TimeUs : 0;
            Assert.That(copy.Events, Is.EqualTo(events.Select(e => e with { TimeUs = e.TimeUs - first })));
            Assert.That((copy.Width, copy.Height), Is.EqualTo((width, height)));
        }, iter: 200);
    }

    [Test]
    public void WriterRejectsEventsOutsideTheLayoutsSensorAndOverlongGaps()
    {
        var wide = new EventStream(200, 200, [new DvsEvent(128, 0, 0, 0)]);
        Assert.That(() => Format(wide, Aedat2Layout.Dvs128), Throws.ArgumentException.With.Message.Contains("event 0"));

        var gap = new EventStream(128, 128, [new DvsEvent(0, 0, 0, 0), new DvsEvent(0, 0, 0, 1L << 31)]);
        Assert.That(() => Format(gap, Aedat2Layout.Dvs128), Throws.ArgumentException.With.Message.Contains("event 1"));
    }

    [Test]
    public void WritesAndReadsFilesAtomically()
    {
        string folder = Directory.CreateTempSubdirectory("aedat2-").FullName;
        try
        {
            string path = Path.Combine(folder, "clip.aedat");
            var original = new EventStream(346, 260, [new DvsEvent(345, 259, 1, 0), new DvsEvent(1, 2, 0, 10)]);

            Aedat2.Write(path, original, Aedat2Layout.Davis346);
            EventStream copy = Aedat2.Read(path, Aedat2Layout.Davis346);

            Assert.That(copy.Events, Is.EqualTo(original.Events));
            Assert.That(Directory.GetFiles(folder), Has.Length.EqualTo(1), "no temporary file is left behind");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
