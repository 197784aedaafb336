using System.Text;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces;

[TestFixture]
public class RasterCsvTests
{
    private const string Name = "spikes.csv";

    private static SpikeRaster Parse(string text) => RasterCsv.Read(new StringReader(text), Name);

    private static InputFormatException ParseFails(string text)
    {
        var ex = Assert.Throws<InputFormatException>(() => Parse(text))!;
        Assert.That(ex.File, Is.EqualTo(Name));
        return ex;
    }

    private static string Format(SpikeRaster raster)
    {
        var writer = new StringWriter();
        RasterCsv.Write(writer, raster);
        return writer.ToString();
    }

    [Test]
    public void ReadsRowsAndColumns()
    {
        SpikeRaster raster = Parse("0,1,0\n1,0,0.5\n");

        Assert.That((raster.Timesteps, raster.Channels), Is.EqualTo((2, 3)));
        Assert.That(raster.Data, Is.EqualTo(new[] { 0f, 1f, 0f, 1f, 0f, 0.5f }));
    }

    [Test]
    public void AcceptsIntegersFloatsExponentsAndSpaces()
    {
        SpikeRaster raster = Parse("1,0.0,1e-3,-2.5E+2, 3 ,+4,.5,NaN,-Infinity");

        Assert.That(raster.Data, Is.EqualTo(new[] { 1f, 0f, 1e-3f, -250f, 3f, 4f, 0.5f, float.NaN, float.NegativeInfinity }));
    }

    [TestCase("1,0\r\n0,1\r\n")]
    [TestCase("1,0\n0,1")]
    [TestCase("1,0\n0,1\n\n\n")]
    [TestCase("1,0\r\n0,1\r\n\r\n  \r\n")]
    public void ToleratesLineEndingsAndTrailingBlankLines(string text)
    {
        SpikeRaster raster = Parse(text);

        Assert.That((raster.Timesteps, raster.Channels), Is.EqualTo((2, 2)));
        Assert.That(raster.Data, Is.EqualTo(new[] { 1f, 0f, 0f, 1f }));
    }

    [Test]
    public void RaggedRowReportsLine()
    {
        var ex = ParseFails("1,0,0\n0,1,0\n1,1\n0,0,0\n");

        Assert.That(ex.Location, Is.EqualTo("line 3"));
        Assert.That(ex.Message, Does.StartWith("spikes.csv: line 3: ").And.Contain("2 columns, expected 3"));
    }

    [Test]
    public void NonNumericCellReportsLineAndColumn()
    {
        var ex = ParseFails("1,0,0\n0,1,x1\n");

        Assert.That(ex.Location, Is.EqualTo("line 2, column 3"));
        Assert.That(ex.Message, Is.EqualTo("spikes.csv: line 2, column 3: 'x1' is not a number"));
    }

    [TestCase("1,,0\n", "line 1, column 2")]
    [TestCase("1,0,\n", "line 1, column 3")]
    [TestCase("0,0\n1,1,5\n", "line 2")]
    [TestCase("0;0\n", "line 1, column 1")]
    [TestCase("0,1\n\n1,0\n", "line 2")]
    [TestCase("\n0,1\n", "line 1")]
    [TestCase("1,0\n2,1e\n", "line 2, column 2")]
    [TestCase("1,0x1\n", "line 1, column 2")]
    public void MalformedRowsReportTheirLocation(string text, string location)
    {
        Assert.That(ParseFails(text).Location, Is.EqualTo(location));
    }

    [TestCase("")]
    [TestCase("\n")]
    [TestCase("\r\n \n\n")]
    public void EmptyFileIsAnError(string text)
    {
        Assert.That(ParseFails(text).Message, Does.Contain("empty"));
    }

    [Test]
    public void WritesIntegersWithoutDecimalsAndShortestRoundTrip()
    {
        var raster = new SpikeRaster(3, 3, [0, 1, 0.5f, 1, 0, -0.25f, 0.1f, 3, 1e-3f]);

        Assert.That(Format(raster), Is.EqualTo("0,1,0.5\n1,0,-0.25\n0.1,3,0.001\n"));
    }

    [Test]
    public void RoundTripPreservesEveryFloatBitForBit()
    {
        var random = new Random(12345);
        float[] data = new float[40 * 17];
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = i % 3 == 0
                ? random.Next(2)
                : BitConverter.Int32BitsToSingle(random.Next(int.MinValue, int.MaxValue));
        }

        float[] special = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, -0f, float.Epsilon, float.MaxValue, float.MinValue, 1e-45f, 16777217f, 0.1f];
        for (int i = 0; i < special.Length; i++)
        {
            data[(i * 3) + 1] = special[i];
        }

        // Random bit patterns include NaNs with payloads; those round-trip only as "NaN".
        for (int i = 0; i < data.Length; i++)
        {
            if (float.IsNaN(data[i]))
            {
                data[i] = float.NaN;
            }
        }

        var raster = new SpikeRaster(40, 17, data);
        SpikeRaster back = Parse(Format(raster));

        Assert.That(back.Data.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(data.Select(BitConverter.SingleToInt32Bits)));
    }

    [Test]
    public void FileRoundTripIsAtomicAndLoadable()
    {
        string dir = Directory.CreateTempSubdirectory("csv-").FullName;
        try
        {
            string path = Path.Combine(dir, "out.csv");
            File.WriteAllText(path, "stale");
            var raster = new SpikeRaster(2, 4, [0, 1, 0, 0, 1, 1, 0, 0.75f]);

            RasterCsv.Write(path, raster);

            Assert.That(File.ReadAllText(path), Is.EqualTo("0,1,0,0\n1,1,0,0.75\n"));
            Assert.That(RasterCsv.Read(path).Data, Is.EqualTo(raster.Data));
            Assert.That(SpikeRaster.Load(path).Data, Is.EqualTo(raster.Data));
            Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName), Is.EqualTo(new[] { "out.csv" }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void ReadsFileWithByteOrderMarkAndNamesPathInErrors()
    {
        string dir = Directory.CreateTempSubdirectory("csv-").FullName;
        try
        {
            string good = Path.Combine(dir, "bom.csv");
            File.WriteAllText(good, "1,0\r\n0,1\r\n", new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
            string bad = Path.Combine(dir, "bad.csv");
            File.WriteAllText(bad, "1,0\n0,one\n");

            Assert.That(RasterCsv.Read(good).Data, Is.EqualTo(new[] { 1f, 0f, 0f, 1f }));
            var ex = Assert.Throws<InputFormatException>(() => RasterCsv.Read(bad))!;
            Assert.That(ex.Message, Is.EqualTo($"{bad}: line 2, column 2: 'one' is not a number"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void WritingAnEmptyRasterIsRejected()
    {
        Assert.Throws<ArgumentException>(() => Format(new SpikeRaster(0, 3)));
        Assert.Throws<ArgumentException>(() => Format(new SpikeRaster(3, 0)));
    }
}
