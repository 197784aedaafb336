using System.Buffers.Binary;
using CsCheck;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Recording;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces.Recording;

public sealed class TraceFileTests
{
    private static SpikeTrace Sample(int samples = 2)
    {
        var rng = new Random(3);
        SpikeRaster Random(int t, int n)
        {
            var r = new SpikeRaster(t, n);
            for (var i = 0; i < t; i++) for (var j = 0; j < n; j++) if (rng.NextDouble() < 0.2) r.MutableRow(i)[j] = 1;
            return r;
        }
        return new SpikeTrace
        {
            Populations = [new("input", 7), new("reservoir", 130)],
            Timesteps = 5,
            Dt = 1e-3,
            Samples = Enumerable.Range(0, samples).Select(s => new TraceSample(s - 1, [Random(5, 7), Random(5, 130)])).ToList(),
            Metadata = new Dictionary<string, string> { ["seed"] = "9", ["network_hash"] = "abc" },
        };
    }

    private static byte[] Bytes(SpikeTrace trace)
    {
        var stream = new MemoryStream();
        TraceFile.Write(stream, trace);
        return stream.ToArray();
    }

    [Test]
    public void RoundTripKeepsEverySpikeAndTheMetadata()
    {
        Gen.Int[0, 4].Sample(n =>
        {
            var trace = Sample(n);
            var back = TraceFile.Read(Bytes(trace), "t.nmtrace");
            if (back.Samples.Count != n || back.Metadata["network_hash"] != "abc" || back.Dt != 1e-3) return false;
            for (var s = 0; s < n; s++)
            {
                if (back.Samples[s].Label != trace.Samples[s].Label) return false;
                for (var p = 0; p < 2; p++)
                    if (!back.Samples[s].Populations[p].Data.SequenceEqual(trace.Samples[s].Populations[p].Data)) return false;
            }
            return true;
        }, iter: 20);
    }

    [Test]
    public void LayoutStartsWithMagicVersionAndHeaderAndEndsWithCrc()
    {
        var bytes = Bytes(Sample());
        Assert.That(bytes[..8], Is.EqualTo("NMTRACE\0"u8.ToArray()));
        Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)), Is.EqualTo(1));
        var headerLength = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(12));
        Assert.That(System.Text.Encoding.UTF8.GetString(bytes, 16, (int)headerLength), Does.StartWith("{\"populations\""));
        Assert.That(BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(bytes.Length - 4)), Is.EqualTo(Crc32.Compute(bytes.AsSpan(8, bytes.Length - 12))));
        // The zlib / PNG check value of "123456789".
        Assert.That(Crc32.Compute("123456789"u8), Is.EqualTo(0xCBF43926u));
    }

    [Test]
    public void BadMagicVersionTruncationAndCorruptionNameTheOffset()
    {
        var bytes = Bytes(Sample());
        var bad = (byte[])bytes.Clone();
        bad[0] = (byte)'X';
        Assert.That(() => TraceFile.Read(bad, "t"), Throws.TypeOf<InputFormatException>().With.Message.Contains("byte 0"));
        var version = (byte[])bytes.Clone();
        version[8] = 9;
        Assert.That(() => TraceFile.Read(version, "t"), Throws.TypeOf<InputFormatException>().With.Message.Contains("byte 8"));
        var truncated = bytes[..(bytes.Length - 10)];
        Assert.That(() => TraceFile.Read(truncated, "t"), Throws.TypeOf<InputFormatException>().With.Message.Contains($"byte {truncated.Length - 4}"));
        var flipped = (byte[])bytes.Clone();
        flipped[^20] ^= 0x40;
        Assert.That(() => TraceFile.Read(flipped, "t"), Throws.TypeOf<InputFormatException>().With.Message.Contains("checksum"));
    }
}
