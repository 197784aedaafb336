using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces;

[TestFixture]
public class SpikeRasterTests
{
    [Test]
    public void NewRasterIsZeroFilledAndRowMajor()
    {
        var raster = new SpikeRaster(3, 4);
        raster[1, 2] = 1;
        raster.MutableRow(2)[3] = 0.5f;

        Assert.Multiple(() =>
        {
            Assert.That(raster.Timesteps, Is.EqualTo(3));
            Assert.That(raster.Channels, Is.EqualTo(4));
            Assert.That(raster.Data, Has.Length.EqualTo(12));
            Assert.That(raster.Data[(1 * 4) + 2], Is.EqualTo(1f));
            Assert.That(raster[2, 3], Is.EqualTo(0.5f));
            Assert.That(raster.Row(1).ToArray(), Is.EqualTo(new float[] { 0, 0, 1, 0 }));
            Assert.That(raster.Row(0).ToArray(), Is.All.Zero);
            Assert.That(raster.CountNonZero(), Is.EqualTo(2));
        });
    }

    [Test]
    public void WrapsDataWithoutCopying()
    {
        float[] data = [1, 0, 0, 1, 1, 0];
        var raster = new SpikeRaster(2, 3, data);
        data[5] = 7;

        Assert.That(raster[1, 2], Is.EqualTo(7f));
        Assert.That(raster.CountNonZero(), Is.EqualTo(4));
    }

    [Test]
    public void ValidatesArguments()
    {
        Assert.Throws<ArgumentException>(() => new SpikeRaster(2, 3, new float[5]));
        Assert.Throws<ArgumentNullException>(() => new SpikeRaster(2, 3, null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SpikeRaster(-1, 3));
        Assert.Throws<ArgumentException>(() => new SpikeRaster(int.MaxValue, 3));

        var raster = new SpikeRaster(2, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = raster[2, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = raster[0, 3]);
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = raster[-1, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => raster.Row(2));
    }

    [TestCase("spikes.txt", "'.txt'")]
    [TestCase("spikes.h5", "'.h5'")]
    [TestCase("spikes", "no extension")]
    public void LoadRejectsUnknownExtensionNamingIt(string file, string mentioned)
    {
        var ex = Assert.Throws<InputFormatException>(() => SpikeRaster.Load(file))!;

        Assert.That(ex.File, Is.EqualTo(file));
        Assert.That(ex.Message, Does.Contain(mentioned));
    }

    [Test]
    public void LoadDispatchesOnExtensionCaseInsensitively()
    {
        string dir = Directory.CreateTempSubdirectory("raster-").FullName;
        try
        {
            string csv = Path.Combine(dir, "a.CSV");
            File.WriteAllText(csv, "0,1\n1,1\n");
            string npy = Path.Combine(dir, "b.Npy");
            File.WriteAllBytes(npy, NpyBytes.Build(NpyBytes.Dict("|u1", "(2, 2)"), [1, 0, 0, 0]));

            Assert.That(SpikeRaster.Load(csv).CountNonZero(), Is.EqualTo(3));
            Assert.That(SpikeRaster.Load(npy).CountNonZero(), Is.EqualTo(1));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void ConcatenateStacksRastersInTime()
    {
        var a = new SpikeRaster(2, 3, [1, 0, 0, 0, 1, 0]);
        var b = new SpikeRaster(1, 3, [0, 0, 1]);
        var both = SpikeRaster.Concatenate([a, b]);
        Assert.That(both.Timesteps, Is.EqualTo(3));
        Assert.That(both.Data, Is.EqualTo(new float[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 }));
        Assert.Throws<ArgumentException>(() => SpikeRaster.Concatenate([a, new SpikeRaster(1, 2)]));
        Assert.Throws<ArgumentException>(() => SpikeRaster.Concatenate([]));
    }
}
