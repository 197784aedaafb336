using CsCheck;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces.Events;

[TestFixture]
public class NmnistBinTests
{
    private const string Name = "sample.bin";

    private static EventStream Parse(byte[] bytes, int width = 34, int height = 34) =>
        NmnistBin.Read(new MemoryStream(bytes), Name, width, height);

    private static InputFormatException ParseFails(byte[] bytes)
    {
        var ex = Assert.Throws<InputFormatException>(() => Parse(bytes))!;
        Assert.That(ex.File, Is.EqualTo(Name));
        return ex;
    }

    private static byte[] Format(EventStream stream)
    {
        var buffer = new MemoryStream();
        NmnistBin.Write(buffer, stream);
        return buffer.ToArray();
    }

    [Test]
    public void DecodesCoordinatesPolarityAndTimestamp()
    {
        byte[] bytes =
        [
            0x05, 0x0A, 0x80, 0x00, 0x64, // x 5, y 10, ON, t 100
            0x21, 0x00, 0x01, 0x02, 0x03, // x 33, y 0, OFF, t 0x010203 = 66051
            0x00, 0x21, 0xFF, 0xFF, 0xFF, // x 0, y 33, ON, t 0x7FFFFF = 8388607 (largest 23-bit value)
        ];

        EventStream stream = Parse(bytes);

        Assert.That((stream.Width, stream.Height), Is.EqualTo((34, 34)));
        Assert.That(stream.Events, Is.EqualTo(new[]
        {
            new DvsEvent(5, 10, 1, 100),
            new DvsEvent(33, 0, 0, 66051),
            new DvsEvent(0, 33, 1, 8388607),
        }));
    }

    [Test]
    public void OverflowMarkerAddsTwoToThe23ToLaterTimesAndIsDropped()
    {
        byte[] bytes =
        [
            0x01, 0x02, 0x7F, 0xFF, 0xF0, // t 8388592
            0x00, 0xF0, 0x00, 0x00, 0x00, // y 240: overflow marker
            0x03, 0x04, 0x80, 0x00, 0x0A, // raw t 10 -> 8388608 + 10
            0x00, 0xF0, 0x12, 0x34, 0x56, // a second marker (its other bits are ignored)
            0x05, 0x06, 0x00, 0x00, 0x00, // raw t 0 -> 2 * 8388608
        ];

        EventStream stream = Parse(bytes);

        Assert.That(NmnistBin.TimestampSpanUs, Is.EqualTo(8388608));
        Assert.That(stream.Events, Is.EqualTo(new[]
        {
            new DvsEvent(1, 2, 0, 8388592),
            new DvsEvent(3, 4, 1, 8388618),
            new DvsEvent(5, 6, 0, 16777216),
        }));
    }

    [Test]
    public void WriterEmitsOneMarkerPerWrapBeforeTheEvent()
    {
        var stream = new EventStream(34, 34, [new DvsEvent(1, 2, 1, 7), new DvsEvent(3, 4, 0, 2 * 8388608L + 5)]);

        Assert.That(Format(stream), Is.EqualTo(new byte[]
        {
            0x01, 0x02, 0x80, 0x00, 0x07,
            0x00, 0xF0, 0x00, 0x00, 0x00,
            0x00, 0xF0, 0x00, 0x00, 0x00,
            0x03, 0x04, 0x00, 0x00, 0x05,
        }));
    }

    [Test]
    public void WriteThenReadRoundTripsNonDecreasingTimesBeyondTheCounterRange()
    {
        // Steps up to 3 s make most samples cross 2^23 us (8.4 s) several times; step 0 repeats a time.
        Gen<(byte X, byte Y, byte P, int Step)> genEvent =
            Gen.Select(Gen.Byte[0, 33], Gen.Byte[0, 33], Gen.Byte[0, 1], Gen.OneOf(Gen.Const(0), Gen.Int[0, 3_000_000]));
        genEvent.Array[0, 40].Sample(raw =>
        {
            var events = new List<DvsEvent>(raw.Length);
            long time = 0;
            foreach (var (x, y, p, step) in raw)
            {
                time += step;
                events.Add(new DvsEvent(x, y, p, time));
            }

            var original = new EventStream(34, 34, events);
            EventStream copy = Parse(Format(original));

            Assert.That(copy.Events, Is.EqualTo(original.Events));
        }, iter: 200);
    }

    [Test]
    public void WritesAndReadsFilesAtomically()
    {
        string folder = Directory.CreateTempSubdirectory("nmnist-").FullName;
        try
        {
            string path = Path.Combine(folder, "digit.bin");
            var original = new EventStream(34, 34, [new DvsEvent(33, 33, 1, 9_000_000)]);

            NmnistBin.Write(path, original);
            EventStream copy = NmnistBin.Read(path);

            Assert.That(copy.Events, Is.EqualTo(original.Events));
            Assert.That(Directory.GetFiles(folder), Has.Length.EqualTo(1), "no temporary file is left behind");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void EmptyFileGivesNoEvents()
    {
        Assert.That(Parse([]).Events, Is.Empty);
    }

    [Test]
    public void TruncatedFileReportsTheIncompleteEventsOffset()
    {
        byte[] bytes = [0x01, 0x02, 0x00, 0x00, 0x01, 0x03, 0x04];

        var ex = ParseFails(bytes);

        Assert.That(ex.Location, Is.EqualTo("byte 5"));
        Assert.That(ex.Message, Is.EqualTo("sample.bin: byte 5: truncated event (2 of 5 bytes)"));
    }

    [Test]
    public void TruncationIsFoundPastTheFirstReadChunk()
    {
        // 20000 events exceed the reader's 13107-event chunk, so the offset must carry across reads.
        var bytes = new byte[20000 * 5 + 3];

        var ex = ParseFails(bytes);

        Assert.That(ex.Location, Is.EqualTo("byte 100000"));
        Assert.That(ex.Problem, Is.EqualTo("truncated event (3 of 5 bytes)"));
    }

    [Test]
    public void TimeGoingBackwardsWithoutMarkerReportsTheEventsOffset()
    {
        byte[] bytes =
        [
            0x01, 0x01, 0x00, 0x00, 0x10, // t 16
            0x01, 0x01, 0x00, 0x00, 0x20, // t 32
            0x01, 0x01, 0x00, 0x00, 0x08, // t 8: earlier
        ];

        var ex = ParseFails(bytes);

        Assert.That(ex.Location, Is.EqualTo("byte 10"));
        Assert.That(ex.Problem, Does.Contain("8 us").And.Contain("32 us"));
    }

    [TestCase(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x01, 0x22, 0x00, 0x00, 0x00, 0x02 }, "byte 5", "x = 34")]
    [TestCase(new byte[] { 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0xEF, 0x00, 0x00, 0x03 }, "byte 10", "y = 239")]
    public void CoordinateOutsideTheSensorReportsOffsetAndCoordinate(byte[] bytes, string location, string coordinate)
    {
        var ex = ParseFails(bytes);

        Assert.That(ex.Location, Is.EqualTo(location));
        Assert.That(ex.Problem, Does.StartWith(coordinate).And.Contain("34 x 34"));
    }

    [Test]
    public void LargerSensorSizeAcceptsLargerCoordinates()
    {
        byte[] bytes = [0xFF, 0xEF, 0x00, 0x00, 0x01];

        EventStream stream = Parse(bytes, width: 256, height: 240);

        Assert.That((stream.Width, stream.Height), Is.EqualTo((256, 240)));
        Assert.That(stream.Events, Is.EqualTo(new[] { new DvsEvent(255, 239, 0, 1) }));
    }

    [TestCase(256, 0)]
    [TestCase(0, 256)]
    [TestCase(0, 240)]
    public void WriterRejectsCoordinatesTheFormatCannotHold(int x, int y)
    {
        var stream = new EventStream(300, 300, [new DvsEvent((ushort)x, (ushort)y, 0, 0)]);

        var ex = Assert.Throws<ArgumentException>(() => Format(stream))!;

        Assert.That(ex.Message, Does.Contain("event 0"));
    }

    [Test]
    public void WriterRejectsNegativeTimes()
    {
        var stream = new EventStream(34, 34, [new DvsEvent(0, 0, 0, -1)]);

        Assert.Throws<ArgumentException>(() => Format(stream));
    }
}
