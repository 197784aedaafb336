using CsCheck;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using Neuromorphic.Traces.Events.Formats;
using Neuromorphic.Traces.Events.Streaming;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces.Events.Recordings;

[TestFixture]
public class Aedat4Tests
{
    private static readonly string TwoStreams = FlatBytes.Description((0, "EVTS", 346, 260), (1, "FRME", 346, 260), (2, "IMUS", 0, 0), (3, "TRIG", 0, 0));

    private static (EventStream Events, ReadCounts Counts) Parse(byte[] bytes, int? streamId = null)
    {
        var collector = new EventCollector(fromFirstEvent: false);
        ReadCounts counts = Aedat4.Read(new MemoryStream(bytes), "test.aedat4", collector, streamId);
        return (collector.ToStream(), counts);
    }

    private static InputFormatException ParseFails(byte[] bytes, int? streamId = null) =>
        Assert.Throws<InputFormatException>(() => Parse(bytes, streamId))!;

    private static DvsEvent[] Some(int count, long start = 1_000_000) =>
        Enumerable.Range(0, count).Select(i => new DvsEvent((ushort)(i * 7 % 346), (ushort)(i * 3 % 260), (byte)(i % 2), start + i * 10)).ToArray();

    [Test]
    public void DavisFixtureHoldsWhatItsAuthorsTestsAssert()
    {
        var collector = new EventCollector(fromFirstEvent: false);
        ReadCounts counts = EventFile.Stream(EventFixtures.Path("davis.aedat4"), collector);
        EventStream events = collector.ToStream();

        Assert.That(collector.Info!.Format, Is.EqualTo("AEDAT 4.0"));
        Assert.That((events.Width, events.Height), Is.EqualTo((346, 260)));
        Assert.That(events.Events, Has.Count.EqualTo(117_667));
        Assert.That(events.Events[0], Is.EqualTo(new DvsEvent(218, 15, events.Events[0].Polarity, 1633953690975950)));
        // The file's 40 packets: 13 EVTS read, the frames, IMU and trigger packets skipped.
        Assert.That(counts["packets.EVTS"], Is.EqualTo(13));
        Assert.That(counts["skipped.packets.FRME"], Is.EqualTo(3));
        Assert.That(counts["skipped.packets.IMUS"], Is.EqualTo(13));
        Assert.That(counts["skipped.packets.TRIG"], Is.EqualTo(11));
        Assert.That(counts["skipped.data_table"], Is.EqualTo(1));
    }

    [Test]
    public void EventFileReadShiftsAedatTimesToTheFirstEvent()
    {
        EventStream events = EventFile.Read(EventFixtures.Path("davis.aedat4"));
        Assert.That(events.Events[0].TimeUs, Is.Zero);
        Assert.That(events.Events[^1].TimeUs, Is.GreaterThan(0));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    public void ReadsEveryCompression(int compression)
    {
        DvsEvent[] first = Some(50);
        DvsEvent[] second = Some(30, start: 2_000_000);
        byte[] file = FlatBytes.File(compression, TwoStreams,
        [
            (0, FlatBytes.EventPacket(first)),
            (1, [1, 2, 3, 4, 5, 6, 7, 8]),
            (2, [9, 9, 9]),
            (0, FlatBytes.EventPacket(second)),
            (3, [0]),
        ]);

        var (events, counts) = Parse(file);

        Assert.That(events.Events, Is.EqualTo(first.Concat(second).ToArray()));
        Assert.That((events.Width, events.Height), Is.EqualTo((346, 260)));
        Assert.That(counts["skipped.packets.FRME"], Is.EqualTo(1));
        Assert.That(counts["skipped.packets.IMUS"], Is.EqualTo(1));
        Assert.That(counts["skipped.packets.TRIG"], Is.EqualTo(1));
    }

    [Test]
    public void ReadsWithoutADataTable()
    {
        DvsEvent[] some = Some(5);
        byte[] file = FlatBytes.File(1, TwoStreams, [(0, FlatBytes.EventPacket(some))], withTable: false);
        Assert.That(Parse(file).Events.Events, Is.EqualTo(some));
        Assert.That(Parse(file).Counts["skipped.data_table"], Is.Zero);
    }

    [Test]
    public void ChoosesAPolarityStreamById()
    {
        string xml = FlatBytes.Description((0, "EVTS", 346, 260), (5, "EVTS", 640, 480), (6, "IMUS", 0, 0));
        DvsEvent[] a = Some(3);
        DvsEvent[] b = [new DvsEvent(600, 470, 1, 5)];
        byte[] file = FlatBytes.File(3, xml, [(0, FlatBytes.EventPacket(a)), (5, FlatBytes.EventPacket(b))]);

        Assert.That(Parse(file).Events.Events, Is.EqualTo(a));
        var (chosen, counts) = Parse(file, streamId: 5);
        Assert.That(chosen.Events, Is.EqualTo(b));
        Assert.That((chosen.Width, chosen.Height), Is.EqualTo((640, 480)));
        Assert.That(counts["skipped.packets.EVTS"], Is.EqualTo(1));
        Assert.That(ParseFails(file, streamId: 6).Message, Does.Contain("stream 6 holds IMUS"));
        Assert.That(ParseFails(file, streamId: 9).Message, Does.Contain("no stream 9"));
    }

    [Test]
    public void AFileWithoutPolarityStreamIsRejected()
    {
        byte[] file = FlatBytes.File(0, FlatBytes.Description((1, "FRME", 346, 260)), [(1, [1])]);
        Assert.That(ParseFails(file).Message, Does.Contain("no polarity-event (EVTS) stream (streams: 1 FRME)"));
    }

    [Test]
    public void EventsOutsideTheSensorOrBackInTimeNameTheirPacket()
    {
        byte[] outside = FlatBytes.File(0, TwoStreams, [(0, FlatBytes.EventPacket([new DvsEvent(346, 0, 1, 5)]))]);
        var ex = ParseFails(outside);
        Assert.That(ex.Location, Is.EqualTo($"byte {14 + 4 + FlatBytes.IoHeader(0, 0, TwoStreams).Length}"));
        Assert.That(ex.Message, Does.Contain("decompressed byte 32: event 0: event (346, 0) is outside the 346 x 260 sensor"));

        byte[] backwards = FlatBytes.File(0, TwoStreams, [(0, FlatBytes.EventPacket([new DvsEvent(1, 1, 1, 50), new DvsEvent(1, 1, 1, 49)]))]);
        Assert.That(ParseFails(backwards).Message, Does.Contain("event 1: timestamp 49 us is earlier than the previous event's 50 us"));
    }

    [Test]
    public void AWrongPacketIdentifierIsRejected()
    {
        byte[] file = FlatBytes.File(1, TwoStreams, [(0, FlatBytes.EventPacket(Some(2), identifier: "FRME"))]);
        Assert.That(ParseFails(file).Message, Does.Contain("identifier 'FRME' is not EVTS"));
    }

    [Test]
    public void EveryTruncationIsAnErrorNamingAByte([Values(0, 1, 3)] int compression)
    {
        byte[] file = FlatBytes.File(compression, TwoStreams, [(0, FlatBytes.EventPacket(Some(4))), (2, [1, 2, 3])]);
        for (int length = 0; length < file.Length; length++)
        {
            var ex = Assert.Throws<InputFormatException>(() => Parse(file[..length]), $"cut at {length}")!;
            Assert.That(ex.Location, Does.Match(@"^byte \d+$"), $"cut at {length}: {ex.Message}");
            Assert.That(long.Parse(ex.Location[5..]), Is.LessThanOrEqualTo(length), $"cut at {length}: {ex.Message}");
        }
    }

    [Test]
    public void DamageAnywhereIsReadOrReportedNeverACrash([Values(0, 1, 3)] int compression)
    {
        byte[] file = FlatBytes.File(compression, TwoStreams, [(0, FlatBytes.EventPacket(Some(4))), (2, [1, 2, 3])]);
        for (int at = 0; at < file.Length; at++)
        {
            foreach (byte flip in new byte[] { 0x01, 0x80, 0xFF })
            {
                byte[] damaged = (byte[])file.Clone();
                damaged[at] ^= flip;
                try
                {
                    Parse(damaged);
                }
                catch (InputFormatException ex)
                {
                    Assert.That(ex.Location, Does.Match(@"^byte \d+$"), $"damage at {at}: {ex.Message}");
                }
            }
        }
    }

    [Test]
    public void AnyEventsRoundTripThroughABuiltFile()
    {
        var gen = Gen.Select(Gen.UShort[0, 345], Gen.UShort[0, 259], Gen.Byte[0, 1], Gen.Long[0, 1000])
            .Array[0, 40]
            .Select(raw =>
            {
                long t = 1_600_000_000_000_000;
                return raw.Select(r => new DvsEvent(r.Item1, r.Item2, r.Item3, t += r.Item4)).ToArray();
            });
        Gen.Select(gen, Gen.Int[0, 4]).Sample((events, compression) =>
        {
            byte[] file = FlatBytes.File(compression, TwoStreams, [(0, FlatBytes.EventPacket(events))]);
            Assert.That(Parse(file).Events.Events, Is.EqualTo(events));
        }, iter: 200);
    }
}
