using System.Text.Json;
using Neuromorphic.Tests.Traces.Events.Recordings;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

public sealed class RecordingInspectionCliTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-inspect-rec-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void InspectDavisFixturePrintsWhatItsAuthorsAssert()
    {
        var (exit, output, error) = CliRunner.Run("inspect", EventFixtures.Path("davis.aedat4"));
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("AEDAT 4.0").And.Contain("346 x 260").And.Contain("117,667")
            .And.Contain("t = 1633953690975950 us, x = 218, y = 15"));
    }

    [Test]
    public void InspectJsonAndPlot()
    {
        string png = Path.Combine(_dir, "davis.png");
        var (exit, output, error) = CliRunner.Run("inspect", EventFixtures.Path("davis.aedat4"), "--json", "--plot", png);
        Assert.That(exit, Is.EqualTo(0), error);
        using var json = JsonDocument.Parse(output);
        JsonElement root = json.RootElement;
        Assert.That(root.GetProperty("events").GetInt64(), Is.EqualTo(117_667));
        Assert.That(root.GetProperty("on").GetInt64() + root.GetProperty("off").GetInt64(), Is.EqualTo(117_667));
        Assert.That(root.GetProperty("first_t_us").GetInt64(), Is.EqualTo(1633953690975950));
        Assert.That(root.GetProperty("counts").GetProperty("skipped.packets.IMUS").GetInt64(), Is.EqualTo(13));
        // Peak rate can't be below the mean; the mean is events over the duration in ms.
        double mean = root.GetProperty("mean_rate_per_ms").GetDouble();
        Assert.That(mean, Is.EqualTo(117_667 / (root.GetProperty("duration_us").GetInt64() / 1000.0)).Within(1e-9));
        Assert.That(root.GetProperty("peak_rate_per_ms").GetInt64(), Is.GreaterThanOrEqualTo((long)mean));
        byte[] bytes = File.ReadAllBytes(png);
        Assert.That(bytes[..8], Is.EqualTo(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 13, 10, 26, 10 }));
    }

    [Test]
    public void AStreamIdForAnotherFormatNamesTheFormatAsInspectDoes()
    {
        // The error named the enum: "(this is NmnistBin)".
        var file = Path.Combine(_dir, "one.bin");
        File.WriteAllBytes(file, [0x05, 0x06, 0x80, 0x00, 0x10]);
        var (exit, _, error) = CliRunner.Run("inspect", file, "--stream", "2");
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("a stream id applies to AEDAT 4.0 files only (this is N-MNIST .bin)"));
        foreach (var format in Enum.GetValues<Neuromorphic.Traces.Events.Formats.EventFileFormat>())
            Assert.That(Neuromorphic.Traces.Events.Formats.EventFile.DisplayName(format), Does.Contain(" ").Or.EqualTo("CSV"), format.ToString());
    }

    [Test]
    public void InspectOfATruncatedRecordingExitsTwoNamingTheByte()
    {
        byte[] whole = File.ReadAllBytes(EventFixtures.Path("davis.aedat4"));
        string cut = Path.Combine(_dir, "cut.aedat4");
        File.WriteAllBytes(cut, whole[..100_000]);
        var (exit, _, error) = CliRunner.Run("inspect", cut);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("cut.aedat4: byte "));

        string raw = Path.Combine(_dir, "cut.raw");
        File.WriteAllBytes(raw, EvtWords.Evt3().Time3(5).AddrY(1).AddrX(1, 1).Raw(0x42).ToArray());
        (exit, _, error) = CliRunner.Run("inspect", raw);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("cut.raw: byte ").And.Contain("truncated word (1 of 2 bytes)"));
    }

    [Test]
    public void InspectEvt3CountsSkippedAndInvalidWords()
    {
        string raw = Path.Combine(_dir, "cam.raw");
        File.WriteAllBytes(raw, EvtWords.Evt3(320, 240).Time3(5).AddrY(1).AddrX(1, 1).W16(0xA, 1).W16(0xC, 0).ToArray());
        var (exit, output, error) = CliRunner.Run("inspect", raw, "--json");
        Assert.That(exit, Is.EqualTo(0), error);
        using var json = JsonDocument.Parse(output);
        Assert.That(json.RootElement.GetProperty("format").GetString(), Is.EqualTo("EVT 3.0"));
        Assert.That(json.RootElement.GetProperty("skipped").GetInt64(), Is.EqualTo(1));
        Assert.That(json.RootElement.GetProperty("invalid").GetInt64(), Is.EqualTo(1));
    }
}
