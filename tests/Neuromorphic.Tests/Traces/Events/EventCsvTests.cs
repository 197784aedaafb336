using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces.Events;

[TestFixture]
public class EventCsvTests
{
    private const string Name = "events.csv";

    private static EventStream Parse(string text, int width = 34, int height = 34) =>
        EventCsv.Read(new StringReader(text), Name, width, height);

    private static InputFormatException ParseFails(string text, int width = 34, int height = 34)
    {
        var ex = Assert.Throws<InputFormatException>(() => Parse(text, width, height))!;
        Assert.That(ex.File, Is.EqualTo(Name));
        return ex;
    }

    private static string Format(EventStream stream)
    {
        var writer = new StringWriter();
        EventCsv.Write(writer, stream);
        return writer.ToString();
    }

    [Test]
    public void WritesHeaderAndOneLinePerEvent()
    {
        var stream = new EventStream(34, 34, [new DvsEvent(5, 10, 1, 100), new DvsEvent(33, 0, 0, 9_000_000_000)]);

        Assert.That(Format(stream), Is.EqualTo("t_us,x,y,p\n100,5,10,1\n9000000000,33,0,0\n"));
    }

    [Test]
    public void RoundTrips()
    {
        var stream = new EventStream(34, 34,
        [
            new DvsEvent(0, 0, 0, 0),
            new DvsEvent(33, 33, 1, 0),
            new DvsEvent(12, 7, 1, 8_388_608),
            new DvsEvent(1, 30, 0, 123_456_789_012),
        ]);

        EventStream copy = Parse(Format(stream));

        Assert.That((copy.Width, copy.Height), Is.EqualTo((34, 34)));
        Assert.That(copy.Events, Is.EqualTo(stream.Events));
    }

    [Test]
    public void RoundTripsThroughAFile()
    {
        string folder = Directory.CreateTempSubdirectory("eventcsv-").FullName;
        try
        {
            string path = Path.Combine(folder, "events.csv");
            var stream = new EventStream(4, 3, [new DvsEvent(3, 2, 1, 5)]);

            EventCsv.Write(path, stream);
            EventStream copy = EventCsv.Read(path, 4, 3);

            Assert.That(copy.Events, Is.EqualTo(stream.Events));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void HeaderColumnsMayComeInAnyOrder()
    {
        EventStream stream = Parse("p, y ,x,t_us\n1,2,3,40\n");

        Assert.That(stream.Events, Is.EqualTo(new[] { new DvsEvent(3, 2, 1, 40) }));
    }

    [TestCase("t_us,x,y,p\r\n1,2,3,1\r\n5,6,7,0\r\n")]
    [TestCase("t_us,x,y,p\n1,2,3,1\n5,6,7,0")]
    [TestCase("t_us,x,y,p\n1,2,3,1\n5,6,7,0\n\n\n")]
    [TestCase("\uFEFFt_us,x,y,p\r\n1, 2 ,3,1\r\n5,6,7,0\r\n\r\n  \r\n")]
    public void ToleratesLineEndingsSpacesAndTrailingBlankLines(string text)
    {
        EventStream stream = Parse(text);

        Assert.That(stream.Events, Is.EqualTo(new[] { new DvsEvent(2, 3, 1, 1), new DvsEvent(6, 7, 0, 5) }));
    }

    [Test]
    public void InfersSensorSizeFromTheLargestCoordinates()
    {
        EventStream stream = Parse("t_us,x,y,p\n0,9,2,1\n1,3,20,0\n", width: 0, height: 0);

        Assert.That((stream.Width, stream.Height), Is.EqualTo((10, 21)));
    }

    [Test]
    public void BadCellReportsLineAndColumn()
    {
        var ex = ParseFails("t_us,x,y,p\n0,1,1,1\n5,abc,1,0\n");

        Assert.That(ex.Location, Is.EqualTo("line 3, column x"));
        Assert.That(ex.Message, Is.EqualTo("events.csv: line 3, column x: 'abc' is not an integer"));
    }

    [TestCase("0,1,1,1\n")]
    [TestCase("t,x,y,p\n0,1,1,1\n")]
    [TestCase("t_us,x,y\n0,1,1\n")]
    [TestCase("t_us,x,x,p\n0,1,1,1\n")]
    [TestCase("")]
    public void MissingOrWrongHeaderIsRejectedAtLine1(string text)
    {
        var ex = ParseFails(text);

        Assert.That(ex.Location, Is.EqualTo("line 1"));
        Assert.That(ex.Problem, Does.Contain("header"));
    }

    [Test]
    public void PolarityOtherThan0Or1IsRejected()
    {
        var ex = ParseFails("t_us,x,y,p\n0,1,1,2\n");

        Assert.That(ex.Location, Is.EqualTo("line 2, column p"));
        Assert.That(ex.Problem, Does.Contain("p = 2"));
    }

    [TestCase("t_us,x,y,p\n5,1,1,1\n4,1,1,1\n", "line 3, column t_us")]
    [TestCase("t_us,x,y,p\n-1,1,1,1\n", "line 2, column t_us")]
    [TestCase("t_us,x,y,p\n0,34,1,1\n", "line 2, column x")]
    [TestCase("t_us,x,y,p\n0,1,-1,1\n", "line 2, column y")]
    [TestCase("t_us,x,y,p\n0,1,1,1,0\n", "line 2")]
    [TestCase("t_us,x,y,p\n0,1,1\n", "line 2")]
    [TestCase("t_us,x,y,p\n0,1,,1\n", "line 2, column y")]
    [TestCase("t_us,x,y,p\n0,1,1,1\n\n1,1,1,1\n", "line 3")]
    public void InvalidRowsReportTheirLine(string text, string location)
    {
        var ex = ParseFails(text);

        Assert.That(ex.Location, Is.EqualTo(location));
    }

    [Test]
    public void HeaderOnlyNeedsAnExplicitSensorSize()
    {
        Assert.That(Parse("t_us,x,y,p\n").Events, Is.Empty);
        Assert.That(ParseFails("t_us,x,y,p\n", width: 0, height: 0).Problem, Does.Contain("infer"));
    }
}
