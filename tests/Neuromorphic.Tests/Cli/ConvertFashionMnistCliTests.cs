using System.IO.Compression;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

/// <summary>
/// <c>convert fashion-mnist</c> on synthetic IDX files: on a terminal it shows that it is working (it
/// showed nothing for the ~15 s of 1000 images; Spectre draws the first frame after 100 ms, so the
/// work must take longer than that), nothing when redirected; and it warns when the set holds fewer
/// images than <c>--count</c>.
/// </summary>
public sealed class ConvertFashionMnistCliTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-progress-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    /// <summary>An IDX pair (gzip) of <paramref name="count"/> 28 x 28 images, labels cycling 0..9.</summary>
    private (string Images, string Labels) IdxPair(int count)
    {
        var random = new Random(1);
        var pixels = new byte[count * 28 * 28];
        for (var i = 0; i < pixels.Length; i++) pixels[i] = random.NextDouble() < 0.3 ? (byte)random.Next(256) : (byte)0;
        static void Write(string path, uint magic, int[] dims, byte[] data)
        {
            using var file = File.Create(path);
            using var gz = new GZipStream(file, CompressionLevel.Fastest);
            var header = new byte[4 + 4 * dims.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(header, magic);
            for (var d = 0; d < dims.Length; d++) System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), dims[d]);
            gz.Write(header);
            gz.Write(data);
        }
        var images = Path.Combine(_dir, "images.gz");
        var labels = Path.Combine(_dir, "labels.gz");
        Write(images, 0x803, [count, 28, 28], pixels);
        Write(labels, 0x801, [count], Enumerable.Range(0, count).Select(i => (byte)(i % 10)).ToArray());
        return (images, labels);
    }

    [Test]
    public void ConvertFashionMnistShowsItIsWorkingOnATerminalOnly()
    {
        var (images, labels) = IdxPair(40);
        string[] args = ["convert", "fashion-mnist", "--images", images, "--labels", labels, "--count", "40", "--out", Path.Combine(_dir, "events")];
        var (exit, output, error) = CliRunner.RunOnTerminal(args);
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("converting 40 images"));
        Assert.That(Directory.GetFiles(Path.Combine(_dir, "events", "Train"), "*.bin", SearchOption.AllDirectories), Has.Length.EqualTo(40));
        var (redirectedExit, redirected, _) = CliRunner.Run(args);
        Assert.That(redirectedExit, Is.EqualTo(0));
        Assert.That(redirected, Does.Not.Contain("converting"));
    }

    [Test]
    public void ConvertFashionMnistWarnsWhenTheSetHasFewerImagesThanAskedFor()
    {
        // --count 5000 on a set of 20 converted 20 without a word.
        var (images, labels) = IdxPair(20);
        var (exit, output, error) = CliRunner.Run("convert", "fashion-mnist", "--images", images, "--labels", labels, "--count", "50", "--out", Path.Combine(_dir, "events"));
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output, Does.Contain("20 files"));
        Assert.That(error.Trim(), Is.EqualTo("warning: --count 50 asked for more images than the set gave (20)"));
    }
}
