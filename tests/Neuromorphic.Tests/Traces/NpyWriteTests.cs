using System.Buffers.Binary;
using System.Text;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces;

[TestFixture]
public class NpyWriteTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("npy-write-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void HeaderMatchesNumpyLayout()
    {
        var stream = new MemoryStream();
        Npy.Write(stream, new float[] { 1, 2, 3, 4, 5, -6.5f }, [2, 3]);
        byte[] bytes = stream.ToArray();

        // numpy: dict, then 21 - len("2") spaces of growth room, then pad to 64 with spaces and '\n'.
        string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        string expectedHeader = dict + new string(' ', 20);
        expectedHeader += new string(' ', 128 - 10 - expectedHeader.Length - 1) + "\n";

        Assert.Multiple(() =>
        {
            Assert.That(bytes[..6], Is.EqualTo(NpyBytes.Magic));
            Assert.That(bytes[6..8], Is.EqualTo(new byte[] { 1, 0 }));
            Assert.That(BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)), Is.EqualTo(118));
            Assert.That(Encoding.ASCII.GetString(bytes, 10, 118), Is.EqualTo(expectedHeader));
            Assert.That(bytes, Has.Length.EqualTo(128 + 24));
            Assert.That(BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(128)), Is.EqualTo(1f));
            Assert.That(BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(128 + 20)), Is.EqualTo(-6.5f));
        });
    }

    [TestCase(new int[0])]
    [TestCase(new[] { 1 })]
    [TestCase(new[] { 7 })]
    [TestCase(new[] { 3, 5 })]
    [TestCase(new[] { 2, 3, 4 })]
    [TestCase(new[] { 0, 3 })]
    [TestCase(new[] { 123456, 0, 2 })]
    [TestCase(new[] { 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2 })]
    public void DataStartsAtMultipleOf64(int[] shape)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        var stream = new MemoryStream();
        Npy.Write(stream, new double[count], shape);
        byte[] bytes = stream.ToArray();

        int headerLength = BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8));
        Assert.That((10 + headerLength) % 64, Is.Zero);
        Assert.That(bytes[10 + headerLength - 1], Is.EqualTo((byte)'\n'));
        Assert.That(bytes, Has.Length.EqualTo(10 + headerLength + (8 * count)));
    }

    [TestCase(new int[0])]
    [TestCase(new[] { 5 })]
    [TestCase(new[] { 3, 4 })]
    [TestCase(new[] { 2, 3, 4 })]
    [TestCase(new[] { 0, 3 })]
    public void FloatRoundTripThroughFile(int[] shape)
    {
        int count = shape.Aggregate(1, (a, b) => a * b);
        var random = new Random(count);
        float[] data = Enumerable.Range(0, count).Select(_ => (float)((random.NextDouble() * 20) - 10)).ToArray();
        if (count >= 4)
        {
            data[0] = float.NaN;
            data[1] = -0f;
            data[2] = float.NegativeInfinity;
            data[3] = float.Epsilon;
        }

        string path = Path.Combine(_dir, "a.npy");
        Npy.Write(path, data, shape);
        NpyArray array = Npy.Read(path);

        Assert.Multiple(() =>
        {
            Assert.That(array.Descr, Is.EqualTo("<f4"));
            Assert.That(array.FortranOrder, Is.False);
            Assert.That(array.Shape, Is.EqualTo(shape));
            Assert.That(Bits(array.ToSingleArray()), Is.EqualTo(Bits(data)));
        });
    }

    [Test]
    public void DoubleRoundTripThroughFile()
    {
        double[] data = [0.1, -1e300, double.NaN, 5e-324, double.PositiveInfinity, 42];
        string path = Path.Combine(_dir, "d.npy");

        Npy.Write(path, data, [3, 2]);
        NpyArray array = Npy.Read(path);

        Assert.That(array.Descr, Is.EqualTo("<f8"));
        Assert.That(array.Shape, Is.EqualTo(new[] { 3, 2 }));
        Assert.That(array.ToDoubleArray().Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(data.Select(BitConverter.DoubleToInt64Bits)));
    }

    [Test]
    public void RasterRoundTripAndLoadByExtension()
    {
        var raster = new SpikeRaster(4, 3);
        raster[0, 0] = 1;
        raster[2, 1] = 1;
        raster[3, 2] = 0.25f;
        string path = Path.Combine(_dir, "spikes.npy");

        Npy.Write(path, raster);
        SpikeRaster back = SpikeRaster.Load(path);

        Assert.That((back.Timesteps, back.Channels), Is.EqualTo((4, 3)));
        Assert.That(back.Data, Is.EqualTo(raster.Data));
    }

    [Test]
    public void OverwritesAtomicallyWithoutLeavingTemporaryFiles()
    {
        string path = Path.Combine(_dir, "x.npy");
        File.WriteAllText(path, "old content");

        Npy.Write(path, new float[] { 1, 2 }, [2]);

        Assert.That(Npy.Read(path).ToSingleArray(), Is.EqualTo(new float[] { 1, 2 }));
        Assert.That(Directory.GetFiles(_dir).Select(Path.GetFileName), Is.EqualTo(new[] { "x.npy" }));
    }

    [Test]
    public void RejectsShapeThatDoesNotMatchDataAndWritesNothing()
    {
        string path = Path.Combine(_dir, "bad.npy");

        var ex = Assert.Throws<ArgumentException>(() => Npy.Write(path, new float[5], [2, 3]))!;
        Assert.That(ex.Message, Does.Contain("(2, 3)"));
        Assert.Throws<ArgumentException>(() => Npy.Write(path, new double[0], [-1, 0]));
        Assert.Throws<ArgumentNullException>(() => Npy.Write(path, new double[1], null!));
        Assert.That(Directory.GetFiles(_dir), Is.Empty);
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();
}
