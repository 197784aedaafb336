using CsCheck;
using Neuromorphic.Tests.Traces.Events.Recordings;
using Neuromorphic.Traces.Events;
using Neuromorphic.Traces.Events.Conversion;
using Neuromorphic.Traces.Events.Formats;
using Neuromorphic.Traces.Events.Streaming;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

public sealed class ConvertEventsCliTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-convert-ev-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private static readonly DvsEvent[] AllDavis = EventFile.Read(EventFixtures.Path("davis.aedat4")).Events.ToArray();

    [TestCase("cut.bin")]
    [TestCase("cut.aedat")]
    [TestCase("cut.aedat3")]
    [TestCase("cut.csv")]
    public void ConvertCutsTheWindowCropAndResolutionIntoEveryFormat(string name)
    {
        string output = Path.Combine(_dir, name);
        var (exit, text, error) = CliRunner.Run("convert", "events", EventFixtures.Path("davis.aedat4"), output,
            "--crop", "100,0,200,200", "--time", "10ms:60ms", "--downsample", "2");
        Assert.That(exit, Is.EqualTo(0), error);

        // The expectation, computed here from the fixture's events (times from the first event).
        var expected = AllDavis
            .Where(e => e.TimeUs >= 10_000 && e.TimeUs < 60_000 && e.X >= 100 && e.X < 300 && e.Y < 200)
            .Select(e => new DvsEvent((ushort)((e.X - 100) / 2), (ushort)(e.Y / 2), e.Polarity, e.TimeUs - 10_000))
            .ToArray();
        var read = EventFile.Read(output, new EventFileOptions { Width = 100, Height = 100 });
        long shift = name.StartsWith("cut.aedat", StringComparison.Ordinal) ? expected[0].TimeUs : 0; // AEDAT readers start at 0
        Assert.That(read.Events, Is.EqualTo(expected.Select(e => e with { TimeUs = e.TimeUs - shift }).ToArray()));
        Assert.That(text, Does.Contain($"{expected.Length:N0} of 117,667 events"));
    }

    [Test]
    public void NmnistTimesAreKeptAsRecordedSoAConvertedRecordingBinsAsTheOriginal()
    {
        // convert events shifted N-MNIST times to the first event (60004.bin starts at 581 us), while runs keep them as
        // recorded: run --input 60004.bin took 309 steps of 1 ms and replay of the converted .h5 308.
        var bin = Neuromorphic.Tests.Chip.ChipTestData.Nmnist;
        var original = EventFile.Read(bin).Events.ToArray();
        Assert.That(original[0].TimeUs, Is.GreaterThan(0), "the fixture's first event is not at time 0");
        var csv = Path.Combine(_dir, "same.csv");
        Assert.That(CliRunner.Run("convert", "events", bin, csv).Exit, Is.EqualTo(0));
        Assert.That(EventFile.Read(csv).Events.ToArray(), Is.EqualTo(original));
        var h5 = Path.Combine(_dir, "same.h5");
        Assert.That(CliRunner.Run("convert", "events", bin, h5).Exit, Is.EqualTo(0));
        var steps = Neuromorphic.Sim.Nir.NirGraphData.Read(h5, 1e-3)[Neuromorphic.Sim.Nir.NirEventDataWriter.NodeName].Timesteps;
        Assert.That(steps, Is.EqualTo((int)Math.Ceiling((original[^1].TimeUs + 1) / 1000.0)));
        // A window counts from that origin too: 100 ms to the end, times from 100 ms.
        var cut = Path.Combine(_dir, "cut.csv");
        Assert.That(CliRunner.Run("convert", "events", bin, cut, "--time", "100ms:").Exit, Is.EqualTo(0));
        Assert.That(EventFile.Read(cut).Events.ToArray(),
            Is.EqualTo(original.Where(e => e.TimeUs >= 100_000).Select(e => e with { TimeUs = e.TimeUs - 100_000 }).ToArray()));
    }

    [Test]
    public void AnAedat2FileWeWroteReadsBackInItsLayoutWithoutBeingTold()
    {
        // convert events davis.aedat4 x.aedat wrote the DAVIS346 layout, and inspect x.aedat refused it ("sets bits 16-30
        // ... use the DAVIS346 layout") until given --aedat2-layout davis346.
        var aedat = Path.Combine(_dir, "x.aedat");
        Assert.That(CliRunner.Run("convert", "events", EventFixtures.Path("davis.aedat4"), aedat, "--time", ":20ms").Exit, Is.EqualTo(0));
        var (exit, output, error) = CliRunner.Run("inspect", aedat, "--json");
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("346").And.Contain("260"));
        var expected = AllDavis.Where(e => e.TimeUs < 20_000).ToArray();
        Assert.That(EventFile.Read(aedat).Events.ToArray(), Is.EqualTo(expected.Select(e => e with { TimeUs = e.TimeUs - expected[0].TimeUs }).ToArray()));
        // A layout other than the default still wins: the caller knows the camera.
        var jaer = EventFile.Read(aedat, new EventFileOptions { Aedat2Layout = Aedat2Layout.Davis346Jaer }).Events;
        Assert.That(jaer[0].X, Is.EqualTo(345 - expected[0].X));
    }

    [Test]
    public void ConvertWritesNumpyAndNirEventData()
    {
        string npy = Path.Combine(_dir, "all.npy");
        string h5 = Path.Combine(_dir, "all.h5");
        Assert.That(CliRunner.Run("convert", "events", EventFixtures.Path("davis.aedat4"), npy).Exit, Is.EqualTo(0));
        Assert.That(CliRunner.Run("convert", "events", EventFixtures.Path("davis.aedat4"), h5, "--time", ":5ms").Exit, Is.EqualTo(0));
        byte[] bytes = File.ReadAllBytes(npy);
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 10, headerLength), Does.Contain("'shape': (117667,)").And.Contain(NpyEventWriter.Descr));
        Assert.That((bytes.Length - 10 - headerLength) % NpyEventWriter.RecordSize, Is.Zero);
        Assert.That((10 + headerLength) % 64, Is.Zero);
        var spikes = Neuromorphic.Sim.Nir.NirGraphData.Read(h5, 1e-3)[Neuromorphic.Sim.Nir.NirEventDataWriter.NodeName];
        Assert.That(spikes.Channels, Is.EqualTo(2 * 346 * 260));
        Assert.That(spikes.Timesteps, Is.EqualTo(5));
    }

    [Test]
    public void UnrepresentableEventsAndBadOptionsExitTwo()
    {
        var (exit, _, error) = CliRunner.Run("convert", "events", EventFixtures.Path("davis.aedat4"), Path.Combine(_dir, "x.bin"));
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("8-bit coordinates"));
        Assert.That(File.Exists(Path.Combine(_dir, "x.bin")), Is.False);
        Assert.That(CliRunner.Run("convert", "events", EventFixtures.Path("davis.aedat4"), Path.Combine(_dir, "x.csv"), "--crop", "300,0,100,10").Exit, Is.EqualTo(2));
        Assert.That(CliRunner.Run("convert", "events", EventFixtures.Path("davis.aedat4"), Path.Combine(_dir, "x.csv"), "--time", "5ms:2ms").Exit, Is.EqualTo(2));
        Assert.That(CliRunner.Run("convert", "events", EventFixtures.Path("davis.aedat4"), Path.Combine(_dir, "x.xyz")).Exit, Is.EqualTo(2));
        Assert.That(Directory.GetFiles(_dir), Is.Empty);
    }

    [Test]
    public void WritersRoundTripAnyEvents()
    {
        var gen = Gen.Select(Gen.UShort[0, 127], Gen.UShort[0, 127], Gen.Byte[0, 1], Gen.Long[0, 20_000_000]).Array[0, 50];
        gen.Sample(raw =>
        {
            long t = 0;
            var events = raw.Select(r => new DvsEvent(r.Item1, (ushort)(r.Item2 == 240 ? 0 : r.Item2), r.Item3, t += r.Item4)).ToArray();
            var stream = new EventStream(128, 128, events);
            foreach (var (make, read, relative) in Formats())
            {
                var bytes = new MemoryStream();
                make(bytes).WriteAll(stream);
                bytes.Position = 0;
                var back = read(bytes);
                long shift = relative && events.Length > 0 ? events[0].TimeUs : 0;
                Assert.That(back, Is.EqualTo(events.Select(e => e with { TimeUs = e.TimeUs - shift }).ToArray()));
            }
        }, iter: 100);
    }

    [TestCase(Aedat2Layout.Dvs128Jaer)]
    [TestCase(Aedat2Layout.Davis346Jaer)]
    public void JaerLayoutsFollowJaersBitFields(Aedat2Layout layout)
    {
        // DVS128 (jAER): x = 127 - bits 1-7, y = bits 8-14, ON when bit 0 is clear.
        // DAVIS346 (jAER): x = 345 - bits 12-21, y = bits 22-30, polarity bit 11.
        uint address = layout == Aedat2Layout.Dvs128Jaer ? (5u << 8 | 9u << 1 | 0u) : (7u << 22 | 10u << 12 | 1u << 11);
        var expected = layout == Aedat2Layout.Dvs128Jaer ? new DvsEvent(118, 5, 1, 0) : new DvsEvent(335, 7, 1, 0);
        var bytes = new EventBytesForLayouts(address).ToArray();
        Assert.That(Aedat2.Read(new MemoryStream(bytes), "j.aedat", layout).Events, Is.EqualTo(new[] { expected }));
        Assert.That(Aedat2.Address(expected, layout), Is.EqualTo(address));
    }

    private sealed class EventBytesForLayouts(uint address)
    {
        public byte[] ToArray() =>
            new Neuromorphic.Tests.Traces.Events.Formats.EventBytes().Text("#!AER-DAT2.0\r\n").BigEndianEvent(address, 77).ToArray();
    }

    private static IEnumerable<(Func<Stream, EventWriter> Make, Func<Stream, IReadOnlyList<DvsEvent>> Read, bool Relative)> Formats()
    {
        yield return (s => new NmnistBinWriter(s), s => NmnistBin.Read(s, "t.bin", 128, 128).Events, false);
        yield return (s => new Aedat2Writer(s, Aedat2Layout.Dvs128Jaer), s => Aedat2.Read(s, "t.aedat", Aedat2Layout.Dvs128Jaer).Events, true);
        yield return (s => new Aedat31Writer(s), s => Aedat31.Read(s, "t.aedat3").Events, true);
        yield return (s => new CsvEventWriter(s), s => EventCsv.Read(new StreamReader(s), "t.csv", 128, 128).Events, false);
    }
}
