using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using Neuromorphic.Traces.Events.Formats;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces.Events.Formats;

[TestFixture]
public class EventFileTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("eventfile-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    private string Put(string name, byte[] bytes)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Aedat2Bytes(uint address) =>
        new EventBytes().Text("#!AER-DAT2.0\r\n").BigEndianEvent(address, 40).BigEndianEvent(address, 45).ToArray();

    private static byte[] Aedat31Bytes() =>
        new EventBytes().Text("#!AER-DAT3.1\r\n#Source 1: DVS128\r\n#!END-HEADER\r\n")
            .PacketHeader(type: 1, eventSize: 8, overflow: 0, capacity: 1, number: 1, valid: 1)
            .PolarityEvent(9, 8, 1, 123)
            .ToArray();

    private static byte[] DatBytes() =>
        new EventBytes().Text("% Height 240\n% Width 304\n").Raw(0, 8).DatEvent(77, 1u << 28 | 10u << 14 | 300).ToArray();

    [TestCase("digit.bin", EventFileFormat.NmnistBin)]
    [TestCase("events.CSV", EventFileFormat.Csv)]
    [TestCase("dvs.aedat", EventFileFormat.Aedat2)]
    [TestCase("dvs.aedat2", EventFileFormat.Aedat2)]
    [TestCase("gesture.aedat", EventFileFormat.Aedat31)]
    [TestCase("gesture.aedat3", EventFileFormat.Aedat31)]
    [TestCase("old_jaer.dat", EventFileFormat.Aedat2)]
    [TestCase("drive_td.dat", EventFileFormat.PropheseeDat)]
    public void DetectsTheFormatByExtensionAndMagicLine(string name, EventFileFormat expected)
    {
        byte[] bytes = name switch
        {
            "digit.bin" => [1, 2, 0x80, 0, 5],
            "events.CSV" => System.Text.Encoding.ASCII.GetBytes("t_us,x,y,p\n5,1,2,1\n"),
            "dvs.aedat" or "dvs.aedat2" or "old_jaer.dat" => Aedat2Bytes(0x0203),
            "gesture.aedat" or "gesture.aedat3" => Aedat31Bytes(),
            _ => DatBytes(),
        };

        Assert.That(EventFile.DetectFormat(Put(name, bytes)), Is.EqualTo(expected));
    }

    [Test]
    public void ReadsEachFormatThroughOneEntryPoint()
    {
        Assert.That(EventFile.Read(Put("digit.bin", [1, 2, 0x80, 0, 5])).Events, Is.EqualTo(new[] { new DvsEvent(1, 2, 1, 5) }));

        EventStream csv = EventFile.Read(Put("events.csv", System.Text.Encoding.ASCII.GetBytes("t_us,x,y,p\n5,1,2,1\n")));
        Assert.That(csv.Events, Is.EqualTo(new[] { new DvsEvent(1, 2, 1, 5) }));

        EventStream dvs = EventFile.Read(Put("dvs.aedat", Aedat2Bytes(0x0203)));
        Assert.That(dvs is { Width: 128, Height: 128 });
        Assert.That(dvs.Events, Is.EqualTo(new[] { new DvsEvent(2, 1, 1, 0), new DvsEvent(2, 1, 1, 5) }));

        EventStream gesture = EventFile.Read(Put("gesture.aedat", Aedat31Bytes()));
        Assert.That(gesture.Events, Is.EqualTo(new[] { new DvsEvent(9, 8, 1, 0) }));

        EventStream drive = EventFile.Read(Put("drive_td.dat", DatBytes()));
        Assert.That(drive is { Width: 304, Height: 240 });
        Assert.That(drive.Events, Is.EqualTo(new[] { new DvsEvent(300, 10, 1, 77) }));
    }

    [Test]
    public void OptionsChooseTheAedat2LayoutAndTheSensorSize()
    {
        uint davis = 200u << 22 | 300u << 12 | 1u << 11;
        EventStream stream = EventFile.Read(Put("davis.aedat", Aedat2Bytes(davis)), new EventFileOptions { Aedat2Layout = Aedat2Layout.Davis346 });
        Assert.That(stream is { Width: 346, Height: 260 });
        Assert.That(stream.Events[0], Is.EqualTo(new DvsEvent(300, 200, 1, 0)));

        var sized = new EventFileOptions { Width = 64, Height = 48 };
        Assert.That(EventFile.Read(Put("big.bin", [60, 40, 0, 0, 1]), sized) is { Width: 64, Height: 48 });
        Assert.That(EventFile.Read(Put("big.csv", System.Text.Encoding.ASCII.GetBytes("t_us,x,y,p\n1,0,0,0\n")), sized) is { Width: 64, Height: 48 });
        Assert.That(EventFile.Read(Put("big.dat", DatBytes()), new EventFileOptions { Width = 640, Height = 480 }) is { Width: 640, Height: 480 });
    }

    [TestCase("events.txt", "'.txt'")]
    [TestCase("events.aedat5", "'.aedat5'")]
    [TestCase("events", "no extension")]
    public void UnknownExtensionIsAnInputErrorNamingIt(string name, string named)
    {
        string path = Put(name, Aedat2Bytes(0x0203));

        var ex = Assert.Throws<InputFormatException>(() => EventFile.Read(path))!;

        Assert.That(ex.File, Is.EqualTo(path));
        Assert.That(ex.Problem, Does.Contain(named).And.Contain(".aedat"));
    }

    [Test]
    public void UnsupportedAedatVersionIsRejectedAtByteZero()
    {
        string path = Put("new.aedat", new EventBytes().Text("#!AER-DAT5.0\r\n").Raw(new byte[16]).ToArray());

        var ex = Assert.Throws<InputFormatException>(() => EventFile.Read(path))!;

        Assert.That(ex.Location, Is.EqualTo("byte 0"));
        Assert.That(ex.Problem, Does.Contain("'5.0'"));
    }

    [TestCase("dv.aedat")]
    [TestCase("dv.aedat4")]
    [TestCase("dv.dat")]
    public void Aedat4MagicSelectsTheAedat4Reader(string name)
    {
        string path = Put(name, new EventBytes().Text("#!AER-DAT4.0\r\n").Raw(new byte[16]).ToArray());

        Assert.That(EventFile.DetectFormat(path), Is.EqualTo(EventFileFormat.Aedat4));
        Assert.That(Assert.Throws<InputFormatException>(() => EventFile.Read(path))!.Problem, Does.Contain("IOHeader"));
    }

    [Test]
    public void AedatExtensionWithoutMagicReportsBadMagicAtByteZero()
    {
        string path = Put("broken.aedat", [0, 1, 2, 3, 4, 5, 6, 7]);

        var ex = Assert.Throws<InputFormatException>(() => EventFile.Read(path))!;

        Assert.That(ex.Message, Does.StartWith($"{path}: byte 0: not an AEDAT 2.0 file"));
    }

    [TestCase("digit.bin", "N-MNIST .bin")]
    [TestCase("events.csv", "CSV")]
    [TestCase("dvs.aedat", "AEDAT 2.0")]
    [TestCase("gesture.aedat3", "AEDAT 3.1")]
    [TestCase("drive_td.dat", "Prophesee .dat")]
    [TestCase("davis.aedat4", "AEDAT 4.0")]
    public void EachReaderNamesItsRecordingsAsTheFormatsDisplayName(string name, string expected)
    {
        // One source for each name: the readers report EventFile.DisplayName, which kept the names people and scripts know.
        string path = name switch
        {
            "digit.bin" => Put(name, [1, 2, 0x80, 0, 5]),
            "events.csv" => Put(name, System.Text.Encoding.ASCII.GetBytes("t_us,x,y,p\n5,1,2,1\n")),
            "dvs.aedat" => Put(name, Aedat2Bytes(0x0203)),
            "gesture.aedat3" => Put(name, Aedat31Bytes()),
            "drive_td.dat" => Put(name, DatBytes()),
            _ => Neuromorphic.Tests.Traces.Events.Recordings.EventFixtures.Path(name),
        };
        var collector = new Neuromorphic.Traces.Events.Streaming.EventCollector();
        EventFile.Stream(path, collector);
        Assert.That(collector.Info!.Format, Is.EqualTo(expected));
        Assert.That(EventFile.DisplayName(EventFile.DetectFormat(path)), Is.EqualTo(expected));
    }

    [TestCase("bad.aedat4", "not an AEDAT 4.0 file")]
    [TestCase("bad.aedat3", "not an AEDAT 3.1 file")]
    [TestCase("bad.dat", "not a Prophesee .dat file")]
    public void ReadersNameTheFormatInTheirErrorsAsBefore(string name, string problem)
    {
        string path = Put(name, [0, 1, 2, 3, 4, 5, 6, 7]);
        Assert.That(Assert.Throws<InputFormatException>(() => EventFile.Read(path))!.Problem, Does.StartWith(problem));
    }
}
