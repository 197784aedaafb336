using CsCheck;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using Neuromorphic.Traces.Events.Formats;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces.Events.Formats;

[TestFixture]
public class Aedat31Tests
{
    private const string Name = "gesture.aedat";

    // As the IBM DVS Gesture files start: the camera is named, the size is not.
    private const string Header = "#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: DVS128\r\n#!END-HEADER\r\n";

    private static EventStream Parse(byte[] bytes, int width = 0, int height = 0) =>
        Aedat31.Read(new MemoryStream(bytes), Name, width, height);

    private static InputFormatException ParseFails(byte[] bytes, int width = 0, int height = 0)
    {
        var ex = Assert.Throws<InputFormatException>(() => Parse(bytes, width, height))!;
        Assert.That(ex.File, Is.EqualTo(Name));
        return ex;
    }

    private static byte[] Format(EventStream stream)
    {
        var buffer = new MemoryStream();
        Aedat31.Write(buffer, stream);
        return buffer.ToArray();
    }

    private static int HeaderLength => (int)new EventBytes().Text(Header).Length;

    [Test]
    public void DecodesThreeEventsOfAPolarityPacket()
    {
        byte[] bytes = new EventBytes().Text(Header)
            .PacketHeader(type: 1, eventSize: 8, overflow: 0, capacity: 3, number: 3, valid: 3)
            .PolarityEvent(x: 5, y: 10, polarity: 1, timestamp: 1000)
            .PolarityEvent(x: 127, y: 0, polarity: 0, timestamp: 1200)
            .PolarityEvent(x: 0, y: 127, polarity: 1, timestamp: 1200)
            .ToArray();

        EventStream stream = Parse(bytes);

        Assert.That((stream.Width, stream.Height), Is.EqualTo((128, 128)), "DVS128 named in the #Source line");
        Assert.That(stream.Events, Is.EqualTo(new[]
        {
            new DvsEvent(5, 10, 1, 0),
            new DvsEvent(127, 0, 0, 200),
            new DvsEvent(0, 127, 1, 200),
        }));
    }

    [Test]
    public void SkipsOtherPacketTypesInvalidEventsAndUnusedSlotsAndAppliesTheOverflow()
    {
        byte[] bytes = new EventBytes().Text(Header)
            // Special events (type 0, 8 bytes) x 2.
            .PacketHeader(type: 0, eventSize: 8, overflow: 0, capacity: 2, number: 2, valid: 2)
            .Raw(new byte[16])
            .PacketHeader(type: 1, eventSize: 8, overflow: 0, capacity: 4, number: 3, valid: 2)
            .PolarityEvent(1, 2, 1, 2_000_000_000)
            .PolarityEvent(99, 99, 1, 2_000_000_001, valid: false)   // filtered out by the recorder
            .PolarityEvent(3, 4, 0, 2_100_000_000)
            .PolarityEvent(50, 50, 1, 5, valid: true)                 // slot beyond eventNumber: unused
            // A frame packet (type 2) with 40-byte events, 3 slots: 120 bytes skipped.
            .PacketHeader(type: 2, eventSize: 40, overflow: 0, capacity: 3, number: 1, valid: 1, tsOffset: 0)
            .Raw(Enumerable.Repeat((byte)0xAB, 120).ToArray())
            // After the 31-bit timestamp wrapped: overflow 1.
            .PacketHeader(type: 1, eventSize: 8, overflow: 1, capacity: 1, number: 1, valid: 1)
            .PolarityEvent(6, 7, 1, 100)
            // An IMU6 packet (type 3, 36 bytes) with no events at the end.
            .PacketHeader(type: 3, eventSize: 36, overflow: 1, capacity: 0, number: 0, valid: 0)
            .ToArray();

        EventStream stream = Parse(bytes);

        Assert.That(stream.Events, Is.EqualTo(new[]
        {
            new DvsEvent(1, 2, 1, 0),
            new DvsEvent(3, 4, 0, 100_000_000),
            new DvsEvent(6, 7, 1, (1L << 31 | 100) - 2_000_000_000),
        }));
    }

    [TestCase("#Source 1: EventStream sizeX=346 sizeY=260", 346, 260)]
    [TestCase("#Source 1: <attr key=\"dvsSizeX\" type=\"short\">640</attr><attr key=\"dvsSizeY\" type=\"short\">480</attr>", 640, 480)]
    [TestCase("#Source 1: DAVIS240C", 240, 180)]
    [TestCase("#Source 2: DAVIS346B", 346, 260)]
    public void SensorSizeComesFromTheSourceLine(string sourceLine, int width, int height)
    {
        byte[] bytes = new EventBytes().Text($"#!AER-DAT3.1\r\n{sourceLine}\r\n#!END-HEADER\r\n").ToArray();

        EventStream stream = Parse(bytes);

        Assert.That((stream.Width, stream.Height), Is.EqualTo((width, height)));
    }

    [Test]
    public void CallerSizeOverridesTheHeaderAndIsRequiredWithoutOne()
    {
        byte[] named = new EventBytes().Text(Header).ToArray();
        Assert.That(Parse(named, 200, 100) is { Width: 200, Height: 100 });

        byte[] anonymous = new EventBytes().Text("#!AER-DAT3.1\r\n#Format: RAW\n#!END-HEADER\r\n").ToArray();
        var ex = ParseFails(anonymous);
        Assert.That(ex.Problem, Does.Contain("sensor size unknown"));
        Assert.That(Parse(anonymous, 32, 16) is { Width: 32, Height: 16 });
    }

    [TestCase("#!AER-DAT2.0\r\n", "different AEDAT version")]
    [TestCase("% Height 240\n", "expected '#!AER-DAT3.1'")]
    [TestCase("", "empty")]
    public void BadMagicIsReportedAtByteZero(string start, string problem)
    {
        var ex = ParseFails(new EventBytes().Text(start).ToArray());

        Assert.That(ex.Location, Is.EqualTo("byte 0"));
        Assert.That(ex.Problem, Does.Contain(problem));
    }

    [Test]
    public void HeaderWithoutEndLineIsReported()
    {
        var ex = ParseFails(new EventBytes().Text("#!AER-DAT3.1\r\n#Source 1: DVS128\r\n").ToArray());

        Assert.That(ex.Location, Is.EqualTo("byte 33"));
        Assert.That(ex.Problem, Does.Contain("#!END-HEADER"));
    }

    [Test]
    public void TruncatedPacketHeaderReportsThePacketsOffset()
    {
        byte[] bytes = new EventBytes().Text(Header)
            .PacketHeader(type: 1, eventSize: 8, overflow: 0, capacity: 1, number: 1, valid: 1)
            .PolarityEvent(1, 1, 1, 1)
            .Raw(1, 0, 0, 0, 8, 0, 0, 0, 4, 0)
            .ToArray();

        var ex = ParseFails(bytes);

        Assert.That(ex.Message, Is.EqualTo($"gesture.aedat: byte {HeaderLength + 36}: truncated packet header (10 of 28 bytes)"));
    }

    [Test]
    public void TruncatedPolarityEventReportsItsOffset()
    {
        byte[] bytes = new EventBytes().Text(Header)
            .PacketHeader(type: 1, eventSize: 8, overflow: 0, capacity: 3, number: 3, valid: 3)
            .PolarityEvent(1, 1, 1, 1)
            .Raw(1, 2, 3)
            .ToArray();

        var ex = ParseFails(bytes);

        Assert.That(ex.Location, Is.EqualTo($"byte {HeaderLength + 28 + 8}"));
        Assert.That(ex.Problem, Is.EqualTo("truncated event (3 of 8 bytes)"));
    }

    [Test]
    public void PacketEndingEarlyReportsTheFirstMissingEvent()
    {
        byte[] polarity = new EventBytes().Text(Header)
            .PacketHeader(type: 1, eventSize: 8, overflow: 0, capacity: 3, number: 3, valid: 3)
            .PolarityEvent(1, 1, 1, 1)
            .ToArray();
        var ex = ParseFails(polarity);
        Assert.That(ex.Location, Is.EqualTo($"byte {HeaderLength + 28 + 8}"));
        Assert.That(ex.Problem, Does.Contain("truncated packet").And.Contain("declares 3 events"));

        byte[] frame = new EventBytes().Text(Header)
            .PacketHeader(type: 2, eventSize: 40, overflow: 0, capacity: 2, number: 2, valid: 2, tsOffset: 0)
            .Raw(new byte[50])
            .ToArray();
        ex = ParseFails(frame);
        Assert.That(ex.Location, Is.EqualTo($"byte {HeaderLength + 28 + 40}"));
        Assert.That(ex.Problem, Does.Contain("eventType 2").And.Contain("1 whole events and 10 bytes"));
    }

    [TestCase(12, 4, "eventSize 12")]
    [TestCase(8, 0, "eventTSOffset 0")]
    public void PolarityPacketWithTheWrongEventSizeIsRejected(int eventSize, int tsOffset, string problem)
    {
        byte[] bytes = new EventBytes().Text(Header)
            .PacketHeader(type: 1, eventSize: eventSize, overflow: 0, capacity: 1, number: 1, valid: 1, tsOffset: tsOffset)
            .Raw(new byte[eventSize])
            .ToArray();

        var ex = ParseFails(bytes);

        Assert.That(ex.Location, Is.EqualTo($"byte {HeaderLength}"));
        Assert.That(ex.Problem, Does.Contain(problem));
    }

    [Test]
    public void InconsistentPacketCountsAreRejected()
    {
        byte[] bytes = new EventBytes().Text(Header)
            .PacketHeader(type: 0, eventSize: 8, overflow: 0, capacity: 1, number: 2, valid: 0)
            .ToArray();

        var ex = ParseFails(bytes);

        Assert.That(ex.Location, Is.EqualTo($"byte {HeaderLength}"));
        Assert.That(ex.Problem, Does.Contain("eventNumber 2"));
    }

    [TestCase(128, 0, "x = 128")]
    [TestCase(0, 300, "y = 300")]
    public void CoordinateOutsideTheSensorReportsTheEventsOffset(int x, int y, string coordinate)
    {
        byte[] bytes = new EventBytes().Text(Header)
            .PacketHeader(type: 1, eventSize: 8, overflow: 0, capacity: 2, number: 2, valid: 2)
            .PolarityEvent(0, 0, 0, 1)
            .PolarityEvent(x, y, 0, 2)
            .ToArray();

        var ex = ParseFails(bytes);

        Assert.That(ex.Location, Is.EqualTo($"byte {HeaderLength + 28 + 8}"));
        Assert.That(ex.Problem, Does.StartWith(coordinate).And.Contain("128 x 128"));
    }

    [Test]
    public void NegativeAndDecreasingTimestampsReportTheEventsOffset()
    {
        byte[] negative = new EventBytes().Text(Header)
            .PacketHeader(type: 1, eventSize: 8, overflow: 0, capacity: 1, number: 1, valid: 1)
            .PolarityEvent(0, 0, 0, -5)
            .ToArray();
        var ex = ParseFails(negative);
        Assert.That(ex.Location, Is.EqualTo($"byte {HeaderLength + 28}"));
        Assert.That(ex.Problem, Does.Contain("negative"));

        byte[] decreasing = new EventBytes().Text(Header)
            .PacketHeader(type: 1, eventSize: 8, overflow: 0, capacity: 1, number: 1, valid: 1)
            .PolarityEvent(0, 0, 0, 500)
            .PacketHeader(type: 1, eventSize: 8, overflow: 0, capacity: 2, number: 2, valid: 2)
            .PolarityEvent(0, 0, 0, 600)
            .PolarityEvent(0, 0, 0, 400)
            .ToArray();
        ex = ParseFails(decreasing);
        Assert.That(ex.Location, Is.EqualTo($"byte {HeaderLength + 36 + 28 + 8}"));
        Assert.That(ex.Problem, Does.Contain("400 us").And.Contain("600 us"));
    }

    [Test]
    public void WriterSplitsPacketsAtOverflowChangesAndSizeLimit()
    {
        var events = new List<DvsEvent>();
        for (int i = 0; i < Aedat31.MaxEventsPerPacket + 10; i++)
        {
            events.Add(new DvsEvent(1, 2, 1, i));
        }

        events.Add(new DvsEvent(3, 4, 0, (1L << 31) + 7));
        byte[] bytes = Format(new EventStream(16, 16, events));

        string header = System.Text.Encoding.ASCII.GetString(bytes, 0, HeaderLengthOf(bytes));
        Assert.That(header, Is.EqualTo("#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: EventStream sizeX=16 sizeY=16\r\n#!END-HEADER\r\n"));
        int expectedLength = header.Length + 3 * 28 + events.Count * 8;
        Assert.That(bytes, Has.Length.EqualTo(expectedLength), "three packets: 4096 events, 10 events, 1 event after the overflow");

        byte[] last = bytes[^36..];
        Assert.That(last[..28], Is.EqualTo(new EventBytes().PacketHeader(1, 8, overflow: 1, capacity: 1, number: 1, valid: 1).ToArray()));
        Assert.That(last[28..], Is.EqualTo(new EventBytes().PolarityEvent(3, 4, 0, 7).ToArray()));
    }

    private static int HeaderLengthOf(byte[] bytes)
    {
        byte[] end = System.Text.Encoding.ASCII.GetBytes("#!END-HEADER\r\n");
        return bytes.AsSpan().IndexOf(end) + end.Length;
    }

    [Test]
    public void WriteThenReadRoundTripsRandomStreamsShiftedToStartAtZero()
    {
        Gen<(int X, int Y, byte P, long Step)> genEvent = Gen.Select(
            Gen.Int[0, 345], Gen.Int[0, 259], Gen.Byte[0, 1],
            Gen.OneOf(Gen.Const(0L), Gen.Long[0, 1000], Gen.Long[0, 1L << 33]));
        Gen.Select(Gen.Long[0, 1L << 34], genEvent.Array[0, 50]).Sample((start, raw) =>
        {
            var events = new List<DvsEvent>(raw.Length);
            long time = start;
            foreach (var (x, y, p, step) in raw)
            {
                time += step;
                events.Add(new DvsEvent((ushort)x, (ushort)y, p, time));
            }

            var original = new EventStream(346, 260, events);
            EventStream copy = Parse(Format(original));

            long first = events.Count > 0 ? events[0].TimeUs : 0;
            Assert.That(copy.Events, Is.EqualTo(events.Select(e => e with { TimeUs = e.TimeUs - first })));
            Assert.That((copy.Width, copy.Height), Is.EqualTo((346, 260)), "size read back from the header");
        }, iter: 200);
    }

    [Test]
    public void WriterRejectsNegativeTimes()
    {
        Assert.That(() => Format(new EventStream(4, 4, [new DvsEvent(0, 0, 0, -1)])), Throws.ArgumentException);
    }

    [Test]
    public void WritesAndReadsFilesAtomically()
    {
        string folder = Directory.CreateTempSubdirectory("aedat31-").FullName;
        try
        {
            string path = Path.Combine(folder, "clip.aedat");
            var original = new EventStream(128, 128, [new DvsEvent(127, 127, 1, 0), new DvsEvent(1, 2, 0, 10)]);

            Aedat31.Write(path, original);
            EventStream copy = Aedat31.Read(path);

            Assert.That(copy.Events, Is.EqualTo(original.Events));
            Assert.That(Directory.GetFiles(folder), Has.Length.EqualTo(1), "no temporary file is left behind");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
