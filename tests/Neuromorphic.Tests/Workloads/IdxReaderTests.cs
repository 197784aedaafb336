using System.Buffers.Binary;
using System.IO.Compression;
using Neuromorphic.Sim.Workloads;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Workloads;

public sealed class IdxReaderTests
{
    /// <summary>An IDX file: magic, big-endian sizes, then the bytes.</summary>
    internal static byte[] Idx(int magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(bytes, magic);
        for (var i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    internal static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gz.Write(bytes);
        return output.ToArray();
    }

    private static readonly byte[] Pixels = Enumerable.Range(0, 3 * 2 * 4).Select(i => (byte)(i * 10)).ToArray();

    [TestCase(false)]
    [TestCase(true)]
    public void ReadsImagesAndLabelsPlainOrGzipped(bool gzip)
    {
        var images = Idx(0x803, [3, 2, 4], Pixels);
        var labels = Idx(0x801, [3], [7, 0, 9]);
        if (gzip) (images, labels) = (Gzip(images), Gzip(labels));

        var set = IdxReader.ReadImages(new MemoryStream(images), "images");
        Assert.That(set.Count, Is.EqualTo(3));
        Assert.That(set.Rows, Is.EqualTo(2));
        Assert.That(set.Columns, Is.EqualTo(4));
        Assert.That(set.Image(1).ToArray(), Is.EqualTo(Pixels.Skip(8).Take(8).ToArray()));
        Assert.That(IdxReader.ReadLabels(new MemoryStream(labels), "labels"), Is.EqualTo(new byte[] { 7, 0, 9 }));
    }

    [Test]
    public void ReadsFromFiles()
    {
        var dir = Directory.CreateTempSubdirectory("idx-test-").FullName;
        try
        {
            var path = Path.Combine(dir, "train-images-idx3-ubyte.gz");
            File.WriteAllBytes(path, Gzip(Idx(0x803, [3, 2, 4], Pixels)));
            Assert.That(IdxReader.ReadImages(path).Image(2).ToArray(), Is.EqualTo(Pixels.Skip(16).ToArray()));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void TruncatedDataIsRejectedWithItsByteOffset()
    {
        var file = Idx(0x803, [3, 2, 4], Pixels)[..30]; // header 16 bytes + 14 of 24 pixels
        var e = Assert.Throws<InputFormatException>(() => IdxReader.ReadImages(new MemoryStream(file), "short.idx"))!;
        Assert.That(e.File, Is.EqualTo("short.idx"));
        Assert.That(e.Location, Is.EqualTo("byte 30"));
        Assert.That(e.Message, Does.Contain("truncated"));

        var gz = Assert.Throws<InputFormatException>(() => IdxReader.ReadImages(new MemoryStream(Gzip(file)), "short.gz"))!;
        Assert.That(gz.Location, Is.EqualTo("byte 30"));

        var header = Assert.Throws<InputFormatException>(() => IdxReader.ReadLabels(new MemoryStream(new byte[] { 0, 0, 8, 1, 0, 0 }), "l"))!;
        Assert.That(header.Location, Is.EqualTo("byte 6"));
    }

    [Test]
    public void AWrongMagicNumberIsRejected()
    {
        var labelsAsImages = Idx(0x801, [3], [1, 2, 3]);
        var e = Assert.Throws<InputFormatException>(() => IdxReader.ReadImages(new MemoryStream(labelsAsImages), "x"))!;
        Assert.That(e.Location, Is.EqualTo("byte 0"));
        Assert.That(e.Message, Does.Contain("0x00000801").And.Contain("0x00000803"));
    }

    [Test]
    public void CorruptGzipIsRejected()
    {
        var gz = Gzip(Idx(0x801, [40], new byte[40]));
        gz[12] ^= 0xFF;
        gz[13] ^= 0xFF;
        Assert.That(() => IdxReader.ReadLabels(new MemoryStream(gz), "bad.gz"), Throws.InstanceOf<InputFormatException>());
    }
}
