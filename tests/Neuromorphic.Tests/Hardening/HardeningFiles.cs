using System.Buffers.Binary;
using System.Text;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Tests.Cli;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Recording;
using NUnit.Framework;
using PureHDF;
using static Neuromorphic.Tests.Nir.NirTestData;

namespace Neuromorphic.Tests.Hardening;

/// <summary>Damaged and extreme inputs the hardening tests feed the command line, written to a temporary folder.</summary>
internal sealed class HardeningFiles(string dir)
{
    public string Dir { get; } = dir;

    public string Path(string name) => System.IO.Path.Combine(Dir, name);

    public string Write(string name, string text)
    {
        var path = Path(name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>The default LSM preset cut to a fast workload (10 classes x 8 samples), with <paramref name="edit"/> applied to its text.</summary>
    public string Config(Func<string, string>? edit = null, string name = "run.yaml")
    {
        Presets.TryRead("rram-lsm-40nm", out var text, out _);
        text = text.Replace("classes: 12", "classes: 10").Replace("samples_per_class: 60", "samples_per_class: 8");
        return Write(name, edit is null ? text : edit(text));
    }

    /// <summary>The default architecture preset with <paramref name="edit"/> applied.</summary>
    public string Architecture(Func<string, string> edit, string name = "arch.yaml")
    {
        Presets.TryRead("rram-40nm-256kb", out var text, out _);
        return Write(name, edit(text));
    }

    /// <summary>input (3) -> fc (2 x 3) -> lif (2) -> output (2).</summary>
    public string SmallNir(string name = "net.nir") => Neuromorphic.Tests.Nir.NirTestData.Write(Path(name), Graph(SmallNodes(), SmallEdges()));

    /// <summary>input (2) -> d (NIR Delay of <paramref name="seconds"/>) -> output (2).</summary>
    public string DelayNir(double seconds, string name = "delay.nir") => Neuromorphic.Tests.Nir.NirTestData.Write(Path(name), Graph(new H5Group
    {
        ["input"] = Io("Input", 2),
        ["d"] = new H5Group { ["type"] = "Delay", ["delay"] = new[] { seconds, 0.001 } },
        ["output"] = Io("Output", 2),
    }, new[,] { { "input", "d" }, { "d", "output" } }));

    /// <summary>A raster CSV of <paramref name="rows"/> rows of <paramref name="channels"/> ones.</summary>
    public string OnesCsv(int rows, int channels, string name = "in.csv") =>
        Write(name, string.Concat(Enumerable.Repeat(string.Join(",", Enumerable.Repeat("1", channels)) + "\n", rows)));

    /// <summary>A trace file's bytes with its header replaced by <paramref name="header"/> (UTF-8 bytes) and the checksum made valid again.</summary>
    public static byte[] WithHeader(byte[] trace, byte[] header)
    {
        var oldLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(trace.AsSpan(12));
        var body = trace.AsSpan(16 + oldLength, trace.Length - 4 - 16 - oldLength).ToArray();
        var bytes = new List<byte>();
        bytes.AddRange(trace.AsSpan(0, 12).ToArray());
        var length = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)header.Length);
        bytes.AddRange(length);
        bytes.AddRange(header);
        bytes.AddRange(body);
        return WithChecksum(bytes.ToArray());
    }

    /// <summary>The bytes with a checksum that matches them (the last four bytes replaced).</summary>
    public static byte[] WithChecksum(byte[] bytes)
    {
        var crc = Crc32.Compute(bytes.AsSpan(8, bytes.Length - 12));
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4), crc);
        return bytes;
    }

    /// <summary>The header JSON of a trace file.</summary>
    public static string HeaderOf(byte[] trace) =>
        Encoding.UTF8.GetString(trace.AsSpan(16, (int)BinaryPrimitives.ReadUInt32LittleEndian(trace.AsSpan(12))));

    /// <summary>A small valid trace: populations a (3) and b (2), 4 timesteps, 2 samples.</summary>
    public static byte[] SmallTrace()
    {
        var rasters = new[] { new SpikeRaster(4, 3), new SpikeRaster(4, 2) };
        rasters[0].MutableRow(1)[2] = 1;
        var trace = new SpikeTrace
        {
            Populations = [new("a", 3), new("b", 2)],
            Timesteps = 4,
            Dt = 1e-3,
            Samples = [new TraceSample(0, rasters), new TraceSample(1, rasters)],
            Metadata = new Dictionary<string, string> { ["kind"] = "test" },
        };
        var stream = new MemoryStream();
        TraceFile.Write(stream, trace);
        return stream.ToArray();
    }

    /// <summary>Runs the command line and checks the error contract: exit 2, one printable line under 300 characters.</summary>
    public static string FailsWithBadInput(params string[] args)
    {
        var (exit, _, error) = CliRunner.Run(args);
        Assert.That(exit, Is.EqualTo(2), $"exit code of '{string.Join(' ', args)}': {error}");
        AssertOneLine(error);
        return error;
    }

    /// <summary>One line (plus its newline), printable, under 300 characters.</summary>
    public static void AssertOneLine(string error)
    {
        var line = error.TrimEnd('\n');
        Assert.That(line, Does.Not.Contain("\n"), "one line");
        Assert.That(line.Length, Is.LessThan(300), "under 300 characters");
        Assert.That(line.All(c => c >= 0x20 && c != 0x7F), "printable characters only: " + line);
    }
}
