using Neuromorphic.Arch.Runs;
using Neuromorphic.Sim.Workloads;
using Neuromorphic.Tests.Cli;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using Neuromorphic.Traces.Events.Formats;
using NUnit.Framework;

namespace Neuromorphic.Tests.Workloads;

/// <summary>
/// The <c>events</c> workload: a folder of class folders holding recordings in any event format
/// (N-MNIST, CSV, AEDAT 2.0, AEDAT 3.1, Prophesee) becomes the run's labelled input rasters.
/// </summary>
public sealed class EventFolderWorkloadTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-events-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private static readonly EncodingSpec Encoding = new() { Timesteps = 20, DurationUs = 300_000, Polarity = "both" };

    /// <summary>Writes class k's samples in format k (mod 5) and returns the streams written.</summary>
    private Dictionary<string, EventStream> WriteFolder(int classes, int perClass)
    {
        var generator = new SaccadeWorkload(new SaccadeWorkloadParameters { Classes = 10, SamplesPerClass = perClass, Seed = 4, DurationUs = 300_000 });
        var written = new Dictionary<string, EventStream>();
        for (var k = 0; k < classes; k++)
        {
            var folder = Directory.CreateDirectory(Path.Combine(_dir, k.ToString())).FullName;
            for (var i = 0; i < perClass; i++)
            {
                var events = generator.Sample(k, i).Events;
                var (extension, write) = (k % 5) switch
                {
                    0 => (".bin", (Action<string, EventStream>)NmnistBin.Write),
                    1 => (".csv", EventCsv.Write),
                    2 => (".dat", PropheseeDat.Write),
                    3 => (".aedat3", Aedat31.Write),
                    _ => (".aedat", (p, e) => Aedat2.Write(p, e)),
                };
                var file = Path.Combine(folder, $"s{i}{extension}");
                write(file, events);
                written[file] = events;
            }
        }
        File.WriteAllText(Path.Combine(_dir, "0", "notes.txt"), "not an event file: skipped");
        return written;
    }

    [Test]
    public void EveryFormatLoadsWithItsFolderLabel()
    {
        var written = WriteFolder(classes: 5, perClass: 2);
        var samples = WorkloadLoader.Load(new WorkloadSpec { Kind = "events", Path = _dir }, Encoding, seed: 1);
        Assert.That(samples.Select(s => s.Label), Is.EqualTo(new[] { 0, 0, 1, 1, 2, 2, 3, 3, 4, 4 }));
        // Formats that keep the recorded times and the 34 x 34 sensor give the very rasters of the original streams.
        var files = written.Keys.Order(StringComparer.Ordinal).ToList();
        for (var s = 0; s < samples.Count; s++)
        {
            var original = written[files[s]];
            var extension = Path.GetExtension(files[s]);
            if (extension is ".bin" or ".dat")
            {
                var expected = EventBinning.ToRaster(original, WorkloadLoader.Binning(Encoding, original.Width, original.Height));
                Assert.That(samples[s].Input.Data, Is.EqualTo(expected.Data), files[s]);
            }
            else
            {
                // CSV sizes the sensor by its largest coordinates; AEDAT 2.0 is a 128 x 128 DVS128; the
                // AEDAT readers start time at the first event. The number of (channel, bin) spikes survives
                // whenever the first event is at time 0, and never exceeds the event count.
                Assert.That(samples[s].Input.Data.Count(v => v != 0), Is.InRange(1, original.Events.Count), files[s]);
            }
        }
        // One workload, one sensor (issue 12, item 10): the DVS128 file's events fit the first file's 34 x 34
        // sensor, so it is read on that sensor rather than giving rasters of another width.
        Assert.That(samples.Select(s => s.Input.Channels).Distinct(), Is.EqualTo(new[] { 2 * 34 * 34 }), "the first file's sensor, both polarities");
    }

    [Test]
    public void MaxPerClassTakesTheFirstFilesByName()
    {
        WriteFolder(classes: 2, perClass: 3);
        var samples = WorkloadLoader.Load(new WorkloadSpec { Kind = "events", Path = _dir, MaxPerClass = 1 }, Encoding, seed: 1);
        Assert.That(samples.Select(s => s.Label), Is.EqualTo(new[] { 0, 1 }));
    }

    [Test]
    public void SamplesAndTheirOrderDoNotDependOnThreads()
    {
        WriteFolder(classes: 5, perClass: 3);
        var spec = new WorkloadSpec { Kind = "events", Path = _dir };
        var one = WorkloadLoader.Load(spec, Encoding, seed: 1, threads: 1);
        var builtin = new WorkloadSpec { Kind = "builtin", Classes = 3, SamplesPerClass = 4 };
        var builtinOne = WorkloadLoader.Load(builtin, Encoding, seed: 2, threads: 1);
        foreach (var threads in new[] { 2, 4 })
        {
            var many = WorkloadLoader.Load(spec, Encoding, seed: 1, threads: threads);
            Assert.That(many.Select(s => (s.Label, s.Split)), Is.EqualTo(one.Select(s => (s.Label, s.Split))), $"{threads} threads");
            for (var s = 0; s < one.Count; s++) Assert.That(many[s].Input.Data, Is.EqualTo(one[s].Input.Data), $"sample {s}, {threads} threads");
            var builtinMany = WorkloadLoader.Load(builtin, Encoding, seed: 2, threads: threads);
            Assert.That(builtinMany.Select(s => s.Label), Is.EqualTo(builtinOne.Select(s => s.Label)));
            for (var s = 0; s < builtinOne.Count; s++) Assert.That(builtinMany[s].Input.Data, Is.EqualTo(builtinOne[s].Input.Data), $"built-in sample {s}, {threads} threads");
        }
    }

    [Test]
    public void OnSeveralThreadsTheFirstBadFileInOrderIsTheOneNamed()
    {
        WriteFolder(classes: 5, perClass: 2);
        foreach (var file in new[] { Path.Combine(_dir, "4", "s1.aedat"), Path.Combine(_dir, "2", "s0.dat") })
            File.WriteAllBytes(file, File.ReadAllBytes(file)[..^3]);
        var ex = Assert.Throws<InputFormatException>(() => WorkloadLoader.Load(new WorkloadSpec { Kind = "events", Path = _dir }, Encoding, seed: 1, threads: 4));
        Assert.That(ex!.Message, Does.Contain("s0.dat"), "class 2 comes before class 4, whichever thread failed first");
    }

    [Test]
    public void CorruptFileIsNamedWithItsOffset()
    {
        WriteFolder(classes: 5, perClass: 1);
        var aedat = Path.Combine(_dir, "4", "s0.aedat");
        var bytes = File.ReadAllBytes(aedat);
        File.WriteAllBytes(aedat, bytes[..^3]);
        var ex = Assert.Throws<InputFormatException>(() => WorkloadLoader.Load(new WorkloadSpec { Kind = "events", Path = _dir }, Encoding, seed: 1));
        Assert.That(ex!.Message, Does.Contain("s0.aedat").And.Contain("byte"));
    }

    [Test]
    public void RunReadsAnEventFolderAndRejectsAnUnknownLayout()
    {
        WriteFolder(classes: 10, perClass: 2);
        var config = Path.Combine(_dir, "run.yaml");
        Neuromorphic.Arch.Architecture.Presets.TryRead("rram-lsm-40nm", out var preset, out _);
        var workload = $"workload:\n  kind: events\n  path: {_dir}\n  aedat2_layout: dvs128\n";
        var text = System.Text.RegularExpressions.Regex.Replace(preset, @"(?ms)^workload:.*?(?=^\S)", workload);
        File.WriteAllText(config, text);
        var tooFew = CliRunner.Run("run", config, "--out", Path.Combine(_dir, "few"));
        Assert.That(tooFew.Exit, Is.EqualTo(2), "two samples per class leave no test set");
        Assert.That(tooFew.Err, Does.Contain("run.yaml").And.Contain("workload").And.Contain("more samples per class"));
        Assert.That(Directory.Exists(Path.Combine(_dir, "few")), Is.False);
        WriteFolder(classes: 10, perClass: 4);
        var r = CliRunner.Run("run", config, "--out", Path.Combine(_dir, "out"), "--json");
        Assert.That(r.Exit, Is.EqualTo(0), r.Err);
        using (var summary = System.Text.Json.JsonDocument.Parse(r.Out))
            Assert.That(summary.RootElement.GetProperty("samples").GetInt32(), Is.EqualTo(40));
        File.WriteAllText(config, text.Replace("aedat2_layout: dvs128", "aedat2_layout: dvs640"));
        var bad = CliRunner.Run("run", config, "--out", Path.Combine(_dir, "bad"));
        Assert.That(bad.Exit, Is.EqualTo(2));
        Assert.That(bad.Err, Does.Contain("run.yaml").And.Contain("aedat2_layout"));
    }

    [TestCase("3/s0.aedat3", "version")]
    [TestCase("4/s0.aedat", "truncate")]
    [TestCase("2/s0.dat", "header")]
    public void BadEventFilesStopTheRunWithExitTwoNamingFileAndOffset(string file, string damage)
    {
        WriteFolder(classes: 10, perClass: 4);
        var path = Path.Combine(_dir, file);
        var bytes = File.ReadAllBytes(path);
        switch (damage)
        {
            case "version": bytes[10] = (byte)'9'; break;               // #!AER-DAT3.1 -> #!AER-DAT9.1
            case "truncate": bytes = bytes[..^5]; break;                // half an 8-byte event
            default: bytes = bytes.Where(b => b != (byte)'%').ToArray(); break; // no % header
        }
        File.WriteAllBytes(path, bytes);
        var config = Path.Combine(_dir, "run.yaml");
        Neuromorphic.Arch.Architecture.Presets.TryRead("rram-lsm-40nm", out var preset, out _);
        File.WriteAllText(config, System.Text.RegularExpressions.Regex.Replace(preset, @"(?ms)^workload:.*?(?=^\S)", $"workload:\n  kind: events\n  path: {_dir}\n"));
        var outDir = Path.Combine(_dir, "out");
        var r = CliRunner.Run("run", config, "--out", outDir);
        Assert.That(r.Exit, Is.EqualTo(2), r.Err);
        Assert.That(r.Err.Trim().Split('\n'), Has.Length.EqualTo(1), "one line");
        Assert.That(r.Err, Does.Contain(Path.GetFileName(file)).And.Contain("byte"));
        Assert.That(Directory.Exists(outDir), Is.False);
    }
}
