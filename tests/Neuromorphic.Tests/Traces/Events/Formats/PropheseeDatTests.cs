using CsCheck;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using Neuromorphic.Traces.Events.Formats;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces.Events.Formats;

[TestFixture]
public class PropheseeDatTests
{
    private const string Name = "drive_td.dat";

    // As the Prophesee toolbox writes it (with a date line).
    private const string Header =
        "% Data file containing Event2D events.\n% Version 2\n% Date 2019-03-05 12:00:00\n% Height 240\n% Width 304\n";

    private static EventStream Parse(byte[] bytes, int width = 0, int height = 0) =>
        PropheseeDat.Read(new MemoryStream(bytes), Name, width, height);

    private static InputFormatException ParseFails(byte[] bytes)
    {
        var ex = Assert.Throws<InputFormatException>(() => Parse(bytes))!;
        Assert.That(ex.File, Is.EqualTo(Name));
        return ex;
    }

    private static byte[] Format(EventStream stream)
    {
        var buffer = new MemoryStream();
        PropheseeDat.Write(buffer, stream);
        return buffer.ToArray();
    }

    private static uint W(int x, int y, int p) => (uint)p << 28 | (uint)y << 14 | (uint)x;

    /// <summary>Offset of the first event: header, then the type and size bytes.</summary>
    private static int EventsStart => (int)new EventBytes().Text(Header).Length + 2;

    [Test]
    public void DecodesThreeEventsKeepingRecordedTimes()
    {
        byte[] bytes = new EventBytes().Text(Header).Raw(0, 8)
            .DatEvent(1000, W(5, 10, 1))
            .DatEvent(1500, W(303, 0, 0))
            .DatEvent(1500, W(0, 239, 1))
            .ToArray();

        EventStream stream = Parse(bytes);

        Assert.That((stream.Width, stream.Height), Is.EqualTo((304, 240)));
        Assert.That(stream.Events, Is.EqualTo(new[]
        {
            new DvsEvent(5, 10, 1, 1000),
            new DvsEvent(303, 0, 0, 1500),
            new DvsEvent(0, 239, 1, 1500),
        }));
    }

    [TestCase("% geometry 640x480\n", 640, 480)]
    [TestCase("% format EVT2;height=720;width=1280\n", 1280, 720)]
    [TestCase("% Width 346\r\n%\n% Height 260\r\n", 346, 260)]
    public void SensorSizeComesFromTheHeader(string header, int width, int height)
    {
        byte[] bytes = new EventBytes().Text(header).Raw(12, 8).ToArray();

        EventStream stream = Parse(bytes);

        Assert.That((stream.Width, stream.Height), Is.EqualTo((width, height)));
        Assert.That(stream.Events, Is.Empty);
    }

    [Test]
    public void CallerSizeOverridesTheHeaderAndIsRequiredWithoutOne()
    {
        byte[] anonymous = new EventBytes().Text("% Version 2\n").Raw(0, 8).DatEvent(5, W(1, 1, 0)).ToArray();

        Assert.That(ParseFails(anonymous).Problem, Does.Contain("sensor size unknown"));
        Assert.That(Parse(anonymous, 2, 2) is { Width: 2, Height: 2 });
        Assert.That(Parse(new EventBytes().Text(Header).Raw(0, 8).ToArray(), 1280, 720) is { Width: 1280, Height: 720 });
    }

    [Test]
    public void ThirtyTwoBitWrapIsUnwrappedButASmallerStepBackIsAnError()
    {
        byte[] wrapping = new EventBytes().Text(Header).Raw(0, 8)
            .DatEvent(0xFFFF_FF00, W(1, 1, 1))
            .DatEvent(0x0000_0005, W(1, 1, 1))
            .ToArray();
        Assert.That(Parse(wrapping).Events.Select(e => e.TimeUs), Is.EqualTo(new[] { 0xFFFF_FF00L, (1L << 32) + 5 }));

        byte[] backwards = new EventBytes().Text(Header).Raw(0, 8)
            .DatEvent(300, W(1, 1, 1))
            .DatEvent(200, W(1, 1, 1))
            .ToArray();
        var ex = ParseFails(backwards);
        Assert.That(ex.Location, Is.EqualTo($"byte {EventsStart + 8}"));
        Assert.That(ex.Problem, Does.Contain("200 us").And.Contain("300 us"));
    }

    [TestCase("")]
    [TestCase("#!AER-DAT2.0\r\n")]
    [TestCase("%Height 240\n")]
    public void MissingHeaderIsReportedAtByteZero(string start)
    {
        var ex = ParseFails(new EventBytes().Text(start).Raw(0, 8).ToArray());

        Assert.That(ex.Location, Is.EqualTo("byte 0"));
    }

    [Test]
    public void EventSizeMismatchIsReportedAtTheSizeByte()
    {
        byte[] bytes = new EventBytes().Text(Header).Raw(0, 12).Raw(new byte[12]).ToArray();

        var ex = ParseFails(bytes);

        Assert.That(ex.Location, Is.EqualTo($"byte {EventsStart - 1}"));
        Assert.That(ex.Problem, Does.StartWith("event size mismatch").And.Contain("12-byte"));
    }

    [Test]
    public void MissingTypeAndSizeBytesAreReported()
    {
        var ex = ParseFails(new EventBytes().Text(Header).Raw(0).ToArray());

        Assert.That(ex.Location, Is.EqualTo($"byte {EventsStart - 2}"));
        Assert.That(ex.Problem, Does.Contain("1 of 2 bytes"));
    }

    [Test]
    public void TruncatedEventReportsItsOffset()
    {
        byte[] bytes = new EventBytes().Text(Header).Raw(0, 8).DatEvent(1, W(1, 1, 1)).Raw(9, 9, 9, 9, 9, 9, 9).ToArray();

        var ex = ParseFails(bytes);

        Assert.That(ex.Message, Is.EqualTo($"drive_td.dat: byte {EventsStart + 8}: truncated event (7 of 8 bytes)"));
    }

    [TestCase(304, 0, 0u, "x = 304")]
    [TestCase(0, 240, 0u, "y = 240")]
    [TestCase(0, 0, 0x2000_0000u, "polarity field")]
    public void InvalidEventReportsItsOffset(int x, int y, uint extraBits, string problem)
    {
        byte[] bytes = new EventBytes().Text(Header).Raw(0, 8)
            .DatEvent(1, W(1, 1, 1))
            .DatEvent(2, W(x, y, 0) | extraBits)
            .ToArray();

        var ex = ParseFails(bytes);

        Assert.That(ex.Location, Is.EqualTo($"byte {EventsStart + 8}"));
        Assert.That(ex.Problem, Does.StartWith(problem));
    }

    [Test]
    public void WriterOutputIsTheToolboxLayout()
    {
        byte[] bytes = Format(new EventStream(304, 240, [new DvsEvent(5, 10, 1, 77)]));

        Assert.That(bytes, Is.EqualTo(new EventBytes()
            .Text("% Data file containing Event2D events.\n% Version 2\n% Height 240\n% Width 304\n")
            .Raw(0, 8)
            .DatEvent(77, W(5, 10, 1))
            .ToArray()));
    }

    [Test]
    public void WriteThenReadRoundTripsRandomStreamsExactly()
    {
        Gen<(int X, int Y, byte P, long Step)> genEvent = Gen.Select(
            Gen.Int[0, 1279], Gen.Int[0, 719], Gen.Byte[0, 1],
            Gen.OneOf(Gen.Const(0L), Gen.Long[0, 1000], Gen.Long[0, (1L << 31) - 1]));
        Gen.Select(Gen.Long[0, 1L << 34], genEvent.Array[0, 50]).Sample((start, raw) =>
        {
            var events = new List<DvsEvent>(raw.Length);
            // The first event lies within the first counter period (the writer requires it).
            long time = start % (1L << 32);
            foreach (var (x, y, p, step) in raw)
            {
                events.Add(new DvsEvent((ushort)x, (ushort)y, p, time));
                time += step;
            }

            var original = new EventStream(1280, 720, events);
            EventStream copy = Parse(Format(original));

            Assert.That(copy.Events, Is.EqualTo(original.Events));
            Assert.That((copy.Width, copy.Height), Is.EqualTo((1280, 720)));
        }, iter: 200);
    }

    [Test]
    public void WriterRejectsWhatCannotBeReadBack()
    {
        Assert.That(() => Format(new EventStream(16385, 4, [])), Throws.ArgumentException, "14-bit coordinates");
        Assert.That(
            () => Format(new EventStream(4, 4, [new DvsEvent(0, 0, 0, 1L << 32)])),
            Throws.ArgumentException.With.Message.Contains("event 0"), "first time beyond the first counter period");
        Assert.That(
            () => Format(new EventStream(4, 4, [new DvsEvent(0, 0, 0, 0), new DvsEvent(0, 0, 0, 1L << 31)])),
            Throws.ArgumentException.With.Message.Contains("event 1"), "gap too long for the 32-bit counter");
    }

    [Test]
    public void WritesAndReadsFilesAtomically()
    {
        string folder = Directory.CreateTempSubdirectory("dat-").FullName;
        try
        {
            string path = Path.Combine(folder, "drive_td.dat");
            var original = new EventStream(304, 240, [new DvsEvent(303, 239, 1, 50), new DvsEvent(1, 2, 0, 60)]);

            PropheseeDat.Write(path, original);
            EventStream copy = PropheseeDat.Read(path);

            Assert.That(copy.Events, Is.EqualTo(original.Events));
            Assert.That(Directory.GetFiles(folder), Has.Length.EqualTo(1), "no temporary file is left behind");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
