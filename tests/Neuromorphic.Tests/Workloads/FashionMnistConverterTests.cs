using Neuromorphic.Sim.Workloads;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using NUnit.Framework;

namespace Neuromorphic.Tests.Workloads;

public sealed class FashionMnistConverterTests
{
    private string _dir = "";

    [SetUp]
    public void CreateFolder() => _dir = Directory.CreateTempSubdirectory("fashion-test-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_dir, recursive: true);

    /// <summary>Twelve 28 x 28 images (a bright block whose width grows with the index), labels 0,1,2,0,1,2,...</summary>
    private (string Images, string Labels) WriteIdx()
    {
        const int n = 12;
        var pixels = new byte[n * 28 * 28];
        for (var i = 0; i < n; i++)
            for (var y = 6; y < 22; y++)
                for (var x = 6; x < 8 + i; x++)
                    pixels[i * 784 + y * 28 + x] = 255;
        var labels = Enumerable.Range(0, n).Select(i => (byte)(i % 3)).ToArray();
        var images = Path.Combine(_dir, "images-idx3-ubyte.gz");
        var labelFile = Path.Combine(_dir, "labels-idx1-ubyte");
        File.WriteAllBytes(images, IdxReaderTests.Gzip(IdxReaderTests.Idx(0x803, [n, 28, 28], pixels)));
        File.WriteAllBytes(labelFile, IdxReaderTests.Idx(0x801, [n], labels));
        return (images, labelFile);
    }

    [Test]
    public void WritesBalancedNmnistLayoutFilesThatReadBackAndIsIdempotent()
    {
        var (images, labels) = WriteIdx();
        var outDir = Path.Combine(_dir, "out");
        var result = FashionMnistConverter.Convert(images, labels, outDir, "Train", 5, seed: 2);

        Assert.That(result.PerClass, Is.EqualTo(new[] { 2, 2, 1 }));
        Assert.That(result.Files, Is.EqualTo(5));
        // First two of label 0 (indices 0, 3), of label 1 (1, 4), first of label 2 (2).
        var expected = new[] { "0/00000.bin", "0/00003.bin", "1/00001.bin", "1/00004.bin", "2/00002.bin" };
        var written = Directory.GetFiles(Path.Combine(outDir, "Train"), "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Path.Combine(outDir, "Train"), f).Replace('\\', '/')).Order().ToArray();
        Assert.That(written, Is.EqualTo(expected));

        long total = 0;
        var first = new Dictionary<string, byte[]>();
        foreach (var f in expected)
        {
            var path = Path.Combine(outDir, "Train", f);
            var events = NmnistBin.Read(path);
            Assert.That(events.Events, Is.Not.Empty, f);
            total += events.Events.Count;
            first[f] = File.ReadAllBytes(path);
        }
        Assert.That(result.Events, Is.EqualTo(total));

        // The file holds exactly what ImageToEvents gives for that image.
        var direct = new ImageToEvents(2).Convert(IdxReader.ReadImages(images).Image(3), 28, 28, "fashion-mnist.Train.3");
        Assert.That(NmnistBin.Read(Path.Combine(outDir, "Train", "0", "00003.bin")).Events, Is.EqualTo(direct.Events));

        // Again, on three threads: the same files.
        FashionMnistConverter.Convert(images, labels, outDir, "Train", 5, seed: 2, threads: 3);
        foreach (var f in expected) Assert.That(File.ReadAllBytes(Path.Combine(outDir, "Train", f)), Is.EqualTo(first[f]), f);
    }

    [Test]
    public void MismatchedFilesAndBadArgumentsAreRejected()
    {
        var (images, _) = WriteIdx();
        var fewLabels = Path.Combine(_dir, "few-labels");
        File.WriteAllBytes(fewLabels, IdxReaderTests.Idx(0x801, [3], [0, 1, 2]));
        Assert.That(() => FashionMnistConverter.Convert(images, fewLabels, _dir, "Train", 3, 1),
            Throws.InstanceOf<InputFormatException>().With.Message.Contains("3 labels for 12 images"));
        Assert.That(() => FashionMnistConverter.Convert(images, fewLabels, _dir, "../x", 3, 1), Throws.ArgumentException.With.Message.Contains("split"));
        Assert.That(() => FashionMnistConverter.Convert(images, fewLabels, _dir, "Train", 0, 1), Throws.ArgumentException.With.Message.Contains("count"));
    }

    [Test]
    public void SelectionTakesTheFirstImagesOfEachClass()
    {
        byte[] labels = [1, 1, 1, 0, 2, 1, 0, 2, 0];
        Assert.That(FashionMnistConverter.SelectBalanced(labels, 6), Is.EqualTo(new[] { 0, 1, 3, 4, 6, 7 }));
        Assert.That(FashionMnistConverter.SelectBalanced(labels, 4), Is.EqualTo(new[] { 0, 3, 4, 6 }), "quotas 2, 1, 1");
    }
}
