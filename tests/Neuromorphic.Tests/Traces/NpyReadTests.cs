using System.Text;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces;

[TestFixture]
public class NpyReadTests
{
    private const string Name = "test.npy";

    private static NpyArray ReadBytes(byte[] bytes) => Npy.Read(new MemoryStream(bytes), Name);

    private static InputFormatException ReadFails(byte[] bytes)
    {
        var ex = Assert.Throws<InputFormatException>(() => ReadBytes(bytes))!;
        Assert.That(ex.File, Is.EqualTo(Name));
        return ex;
    }

    private static IEnumerable<TestCaseData> DtypeCases()
    {
        double[] signed8 = [-128, -1, 0, 1, 127, 5];
        double[] signed16 = [-32768, -1, 0, 1, 32767, 300];
        double[] unsigned16 = [0, 1, 65535, 256, 2, 3];
        double[] signed32 = [int.MinValue, -1, 0, 1, int.MaxValue, 70000];
        double[] unsigned32 = [0, 1, uint.MaxValue, 65536, 2, 3];
        double[] signed64 = [-(1L << 53), -1, 0, 1, 1L << 53, 1e12];
        double[] unsigned64 = [0, 1, 1L << 53, 1e15, 2, 3];
        double[] half = [0, 1, -2, 0.5, 65504, -0.25];
        double[] single = [0, 1, -1.25, (double)0.1f, (double)3.0e38f, (double)1e-3f];
        double[] dbl = [0, 1, -1.25, 0.1, -1e300, 5e-324];

        yield return new TestCaseData("|b1", new double[] { 1, 0, 1, 1, 0, 0 });
        yield return new TestCaseData("|u1", new double[] { 0, 1, 255, 7, 128, 3 });
        yield return new TestCaseData("|i1", signed8);
        yield return new TestCaseData("<i2", signed16);
        yield return new TestCaseData(">i2", signed16);
        yield return new TestCaseData("<u2", unsigned16);
        yield return new TestCaseData(">u2", unsigned16);
        yield return new TestCaseData("<i4", signed32);
        yield return new TestCaseData(">i4", signed32);
        yield return new TestCaseData("<u4", unsigned32);
        yield return new TestCaseData("<i8", signed64);
        yield return new TestCaseData(">i8", signed64);
        yield return new TestCaseData("<u8", unsigned64);
        yield return new TestCaseData("<f2", half);
        yield return new TestCaseData(">f2", half);
        yield return new TestCaseData("<f4", single);
        yield return new TestCaseData(">f4", single);
        yield return new TestCaseData("<f8", dbl);
        yield return new TestCaseData(">f8", dbl);
    }

    [TestCaseSource(nameof(DtypeCases))]
    public void ReadsEachDtypeAndByteOrder(string descr, double[] values)
    {
        byte[] file = NpyBytes.Build(NpyBytes.Dict(descr, "(2, 3)"), NpyBytes.Encode(descr, values));

        NpyArray array = ReadBytes(file);

        Assert.Multiple(() =>
        {
            Assert.That(array.Shape, Is.EqualTo(new[] { 2, 3 }));
            Assert.That(array.Rank, Is.EqualTo(2));
            Assert.That(array.Length, Is.EqualTo(6));
            Assert.That(array.Descr, Is.EqualTo(descr));
            Assert.That(array.FortranOrder, Is.False);
            Assert.That(array.ToDoubleArray(), Is.EqualTo(values));
            Assert.That(array.ToSingleArray(), Is.EqualTo(values.Select(v => (float)v).ToArray()));
        });
    }

    [TestCase("=f4")]
    [TestCase("|f4")]
    [TestCase("f4")]
    [TestCase("<u1")]
    [TestCase("=i2")]
    public void NativeAndNotApplicableByteOrders(string descr)
    {
        double[] values = [1, 2, 3];
        string encodeAs = "<" + descr.TrimStart('=', '|', '<'); // this machine is little-endian
        Assume.That(BitConverter.IsLittleEndian, Is.True);
        byte[] file = NpyBytes.Build(NpyBytes.Dict(descr, "(3,)"), NpyBytes.Encode(encodeAs, values));

        Assert.That(ReadBytes(file).ToDoubleArray(), Is.EqualTo(values));
    }

    [Test]
    public void LiteralVersion1FileWithoutPadding()
    {
        // Written out in full: magic, version 1.0, header length 0x003A (58), header, 2 x <f4.
        string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }\n";
        Assert.That(header, Has.Length.EqualTo(58));
        byte[] bytes =
        [
            0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 0x01, 0x00, 0x3A, 0x00,
            .. Encoding.ASCII.GetBytes(header),
            0x00, 0x00, 0x80, 0x3F, // 1.0f
            0x00, 0x00, 0x20, 0xC0, // -2.5f
        ];

        Assert.That(ReadBytes(bytes).ToSingleArray(), Is.EqualTo(new[] { 1f, -2.5f }));
    }

    [Test]
    public void FortranOrder2DIsTransposedToCOrder()
    {
        // C-order matrix [[1, 2, 3], [4, 5, 6]] stored column by column.
        double[] columnMajor = [1, 4, 2, 5, 3, 6];
        byte[] file = NpyBytes.Build(NpyBytes.Dict("<f8", "(2, 3)", fortran: true), NpyBytes.Encode("<f8", columnMajor));

        NpyArray array = ReadBytes(file);

        Assert.Multiple(() =>
        {
            Assert.That(array.FortranOrder, Is.True);
            Assert.That(array.Shape, Is.EqualTo(new[] { 2, 3 }));
            Assert.That(array.ToDoubleArray(), Is.EqualTo(new double[] { 1, 2, 3, 4, 5, 6 }));
            Assert.That(array.ToSingleArray(), Is.EqualTo(new float[] { 1, 2, 3, 4, 5, 6 }));
        });
    }

    [TestCase("<i4", 1)]
    [TestCase(">f8", 2)]
    [TestCase("<f2", 3)]
    public void FortranOrder3DIsTransposedToCOrder(string descr, int major)
    {
        // Element (i, j, k) has value 100 i + 10 j + k; Fortran order varies i fastest.
        var fortran = new List<double>();
        for (int k = 0; k < 4; k++)
        {
            for (int j = 0; j < 3; j++)
            {
                for (int i = 0; i < 2; i++)
                {
                    fortran.Add((100 * i) + (10 * j) + k);
                }
            }
        }

        var expected = new List<double>();
        for (int i = 0; i < 2; i++)
        {
            for (int j = 0; j < 3; j++)
            {
                for (int k = 0; k < 4; k++)
                {
                    expected.Add((100 * i) + (10 * j) + k);
                }
            }
        }

        byte[] file = NpyBytes.Build(NpyBytes.Dict(descr, "(2, 3, 4)", fortran: true), NpyBytes.Encode(descr, fortran), major);

        Assert.That(ReadBytes(file).ToDoubleArray(), Is.EqualTo(expected));
    }

    [TestCase(2)]
    [TestCase(3)]
    public void Versions2And3UseA32BitHeaderLength(int major)
    {
        byte[] file = NpyBytes.Build(NpyBytes.Dict("<i2", "(3,)"), NpyBytes.Encode("<i2", [7, -8, 9]), major);
        Assert.That(file[6], Is.EqualTo((byte)major));

        Assert.That(ReadBytes(file).ToDoubleArray(), Is.EqualTo(new double[] { 7, -8, 9 }));
    }

    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", true)]
    [TestCase("{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3)}", true)]
    [TestCase("{'shape': (2L, 3L), 'fortran_order': False, 'descr': '<f4'}", false)]
    [TestCase("{ 'descr' : u'<f4' ,'fortran_order':False,'shape':(2,3,) }", false)]
    [TestCase("{'descr': '<f4',\n 'fortran_order': False,\n 'shape': (2, 3)}", true)]
    public void HeaderSpellingVariants(string dict, bool align)
    {
        double[] values = [1, 2, 3, 4, 5, 6];
        byte[] file = NpyBytes.Build(dict, NpyBytes.Encode("<f4", values), align: align);

        NpyArray array = ReadBytes(file);

        Assert.That(array.Shape, Is.EqualTo(new[] { 2, 3 }));
        Assert.That(array.ToDoubleArray(), Is.EqualTo(values));
    }

    [Test]
    public void ScalarShape()
    {
        byte[] file = NpyBytes.Build(NpyBytes.Dict("<f8", "()"), NpyBytes.Encode("<f8", [3.5]));

        NpyArray array = ReadBytes(file);

        Assert.Multiple(() =>
        {
            Assert.That(array.Shape, Is.Empty);
            Assert.That(array.Rank, Is.Zero);
            Assert.That(array.Length, Is.EqualTo(1));
            Assert.That(array.ToDoubleArray(), Is.EqualTo(new[] { 3.5 }));
        });
    }

    [Test]
    public void OneTupleShapeAndRasterOfOneChannel()
    {
        byte[] file = NpyBytes.Build(NpyBytes.Dict("|u1", "(5,)"), NpyBytes.Encode("|u1", [0, 1, 0, 0, 1]));

        Assert.That(ReadBytes(file).Shape, Is.EqualTo(new[] { 5 }));
        SpikeRaster raster = Npy.ReadRaster(new MemoryStream(file), Name);
        Assert.Multiple(() =>
        {
            Assert.That(raster.Timesteps, Is.EqualTo(5));
            Assert.That(raster.Channels, Is.EqualTo(1));
            Assert.That(raster.CountNonZero(), Is.EqualTo(2));
            Assert.That(raster[4, 0], Is.EqualTo(1f));
        });
    }

    [Test]
    public void EmptyArray()
    {
        byte[] file = NpyBytes.Build(NpyBytes.Dict("<f4", "(0, 3)"), []);

        NpyArray array = ReadBytes(file);
        SpikeRaster raster = Npy.ReadRaster(new MemoryStream(file), Name);

        Assert.That(array.Length, Is.Zero);
        Assert.That(array.ToDoubleArray(), Is.Empty);
        Assert.That((raster.Timesteps, raster.Channels), Is.EqualTo((0, 3)));
    }

    [Test]
    public void RasterFromBoolMatrix()
    {
        double[] values = [0, 1, 1, 0, 0, 1];
        byte[] file = NpyBytes.Build(NpyBytes.Dict("|b1", "(3, 2)"), NpyBytes.Encode("|b1", values));

        SpikeRaster raster = Npy.ReadRaster(new MemoryStream(file), Name);

        Assert.That((raster.Timesteps, raster.Channels), Is.EqualTo((3, 2)));
        Assert.That(raster.Row(1).ToArray(), Is.EqualTo(new float[] { 1, 0 }));
        Assert.That(raster.Data, Is.EqualTo(values.Select(v => (float)v).ToArray()));
    }

    [Test]
    public void ReadsFromNonSeekableStream()
    {
        double[] values = [1, 2, 3, 4, 5, 6];
        byte[] file = NpyBytes.Build(NpyBytes.Dict(">f4", "(3, 2)"), NpyBytes.Encode(">f4", values));

        NpyArray array = Npy.Read(new NonSeekableStream(file), Name);

        Assert.That(array.ToDoubleArray(), Is.EqualTo(values));
    }

    [Test]
    public void TrailingBytesAfterDataAreIgnored()
    {
        byte[] file = NpyBytes.Build(NpyBytes.Dict("<i4", "(2,)"), [.. NpyBytes.Encode("<i4", [5, 6]), 0xFF, 0xFF]);

        Assert.That(ReadBytes(file).ToDoubleArray(), Is.EqualTo(new double[] { 5, 6 }));
    }

    [Test]
    public void RejectsBadMagicAtByte0()
    {
        byte[] file = NpyBytes.Build(NpyBytes.Dict("<f4", "(1,)"), new byte[4]);
        file[5] = (byte)'X';

        var ex = ReadFails(file);

        Assert.That(ex.Location, Is.EqualTo("byte 0"));
        Assert.That(ex.Message, Does.StartWith("test.npy: byte 0: ").And.Contain("magic"));
    }

    [Test]
    public void RejectsEmptyAndTextFilesAtByte0()
    {
        Assert.That(ReadFails([]).Location, Is.EqualTo("byte 0"));
        Assert.That(ReadFails(Encoding.ASCII.GetBytes("0,1\n1,0\n")).Location, Is.EqualTo("byte 0"));
        Assert.That(ReadFails(NpyBytes.Magic).Location, Is.EqualTo("byte 6"));
    }

    [TestCase(4, 0)]
    [TestCase(1, 1)]
    [TestCase(0, 0)]
    public void RejectsUnsupportedVersionAtByte6(int major, int minor)
    {
        byte[] file = NpyBytes.Build(NpyBytes.Dict("<f4", "(1,)"), new byte[4]);
        file[6] = (byte)major;
        file[7] = (byte)minor;

        var ex = ReadFails(file);

        Assert.That(ex.Location, Is.EqualTo("byte 6"));
        Assert.That(ex.Message, Does.Contain($"version {major}.{minor}"));
    }

    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), ", 1, "byte 10")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)} extra", 1, "byte 10")]
    [TestCase("{'descr': '<f4' 'fortran_order': False, 'shape': (2, 3)}", 2, "byte 12")]
    [TestCase("{'descr': '<f4', 'fortran_order': false, 'shape': (2, 3)}", 3, "byte 12")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (2.0, 3)}", 1, "byte 10")]
    [TestCase("", 1, "byte 10")]
    public void RejectsHeaderThatDoesNotParse(string dict, int major, string location)
    {
        var ex = ReadFails(NpyBytes.Build(dict, new byte[24], major));

        Assert.That(ex.Location, Is.EqualTo(location));
        Assert.That(ex.Message, Does.Contain("header does not parse"));
    }

    [TestCase("[1, 2]", "not a dictionary")]
    [TestCase("{'descr': '<f4', 'shape': (2,)}", "'fortran_order'")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), 'extra': 1}", "'extra'")]
    [TestCase("{'descr': '<c8', 'fortran_order': False, 'shape': (2,)}", "'<c8'")]
    [TestCase("{'descr': '<U5', 'fortran_order': False, 'shape': (2,)}", "'<U5'")]
    [TestCase("{'descr': '|O', 'fortran_order': False, 'shape': (2,)}", "'|O'")]
    [TestCase("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,)}", "structured")]
    [TestCase("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", "fortran_order")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (2)}", "shape is not a tuple")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': [2]}", "shape is not a tuple")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1)}", "(2, -1)")]
    [TestCase("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999,)}", "99999999999")]
    public void RejectsInvalidHeaderContent(string dict, string mentioned)
    {
        var ex = ReadFails(NpyBytes.Build(dict, new byte[8]));

        Assert.That(ex.Location, Is.EqualTo("byte 10"));
        Assert.That(ex.Message, Does.Contain(mentioned));
    }

    [Test]
    public void RejectsInvalidUtf8HeaderInVersion3()
    {
        byte[] file = NpyBytes.Build(NpyBytes.Dict("<f4", "(1,)"), new byte[4], major: 3);
        file[13] = 0xFF;

        Assert.That(ReadFails(file).Location, Is.EqualTo("byte 12"));
    }

    [Test]
    public void RejectsTruncatedHeader()
    {
        byte[] file = NpyBytes.Build(NpyBytes.Dict("<f4", "(1,)"), []);

        var ex = ReadFails(file[..40]);

        Assert.That(ex.Location, Is.EqualTo("byte 10"));
        Assert.That(ex.Message, Does.Contain("header truncated: expected 118 bytes, found 30"));
    }

    [Test]
    public void RejectsTruncatedDataWithOffset([Values] bool seekable)
    {
        byte[] file = NpyBytes.Build(NpyBytes.Dict("<f4", "(2, 3)"), new byte[10]);
        Assert.That(file, Has.Length.EqualTo(128 + 10)); // a 61-character dict needs 128 bytes of preamble

        Stream stream = seekable ? new MemoryStream(file) : new NonSeekableStream(file);
        var ex = Assert.Throws<InputFormatException>(() => Npy.Read(stream, Name))!;

        Assert.That(ex.Location, Is.EqualTo("byte 128"));
        Assert.That(ex.Message, Is.EqualTo("test.npy: byte 128: expected 24 bytes of data, found 10"));
    }

    [Test]
    public void RasterRejectsRankAbove2NamingTheShape()
    {
        byte[] file = NpyBytes.Build(NpyBytes.Dict("<f4", "(2, 3, 4)"), new byte[96]);

        var ex = Assert.Throws<InputFormatException>(() => Npy.ReadRaster(new MemoryStream(file), Name))!;

        Assert.That(ex.Message, Does.Contain("(2, 3, 4)"));
        Assert.That(ex.Location, Is.EqualTo("byte 10"));
    }

    [Test]
    public void RasterRejectsScalar()
    {
        byte[] file = NpyBytes.Build(NpyBytes.Dict("<f4", "()"), new byte[4]);

        var ex = Assert.Throws<InputFormatException>(() => Npy.ReadRaster(new MemoryStream(file), Name))!;

        Assert.That(ex.Message, Does.Contain("shape ()"));
    }

    [Test]
    public void ReadsFromPathAndNamesThePathInErrors()
    {
        string dir = Directory.CreateTempSubdirectory("npy-read-").FullName;
        try
        {
            string good = Path.Combine(dir, "good.npy");
            File.WriteAllBytes(good, NpyBytes.Build(NpyBytes.Dict("<i8", "(2, 2)"), NpyBytes.Encode("<i8", [1, 0, 0, 1])));
            string bad = Path.Combine(dir, "bad.npy");
            File.WriteAllBytes(bad, [1, 2, 3]);

            Assert.That(Npy.Read(good).ToSingleArray(), Is.EqualTo(new float[] { 1, 0, 0, 1 }));
            Assert.That(Npy.ReadRaster(good).CountNonZero(), Is.EqualTo(2));
            var ex = Assert.Throws<InputFormatException>(() => Npy.Read(bad))!;
            Assert.That(ex.File, Is.EqualTo(bad));
            Assert.That(ex.Message, Does.StartWith(bad + ": byte 0: "));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
