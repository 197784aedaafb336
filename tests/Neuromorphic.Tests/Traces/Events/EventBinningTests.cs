using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces.Events;

[TestFixture]
public class EventBinningTests
{
    private static EventStream Stream(int width, int height, params DvsEvent[] events) => new(width, height, events);

    /// <summary>The (bin, channel) pairs that are not zero, with their values.</summary>
    private static List<(int Bin, int Channel, float Value)> NonZero(SpikeRaster raster)
    {
        var cells = new List<(int, int, float)>();
        for (int t = 0; t < raster.Timesteps; t++)
        {
            for (int c = 0; c < raster.Channels; c++)
            {
                if (raster[t, c] != 0f)
                {
                    cells.Add((t, c, raster[t, c]));
                }
            }
        }

        return cells;
    }

    [Test]
    public void CountsOrMarksEventsPerBinAndChannel()
    {
        EventStream stream = Stream(2, 1,
            new DvsEvent(0, 0, 1, 0), new DvsEvent(0, 0, 1, 3), new DvsEvent(1, 0, 1, 5), new DvsEvent(0, 0, 1, 12));
        var counts = new BinningOptions { BinUs = 10, Polarity = PolarityMode.On, Binary = false };

        SpikeRaster counted = EventBinning.ToRaster(stream, counts);
        SpikeRaster binary = EventBinning.ToRaster(stream, counts with { Binary = true });

        Assert.That((counted.Timesteps, counted.Channels), Is.EqualTo((2, 2)));
        Assert.That(counted.Data, Is.EqualTo(new[] { 2f, 1f, 1f, 0f }));
        Assert.That(binary.Data, Is.EqualTo(new[] { 1f, 1f, 1f, 0f }));
    }

    [Test]
    public void EventOnABinBoundaryGoesToTheLaterBin()
    {
        EventStream stream = Stream(1, 1, new DvsEvent(0, 0, 1, 9), new DvsEvent(0, 0, 1, 10), new DvsEvent(0, 0, 1, 25));

        SpikeRaster raster = EventBinning.ToRaster(stream, new BinningOptions { BinUs = 10, Polarity = PolarityMode.On });

        Assert.That(raster.Data, Is.EqualTo(new[] { 1f, 1f, 1f }));
    }

    [Test]
    public void LastEventAtTheEndOfTheWindowIsInTheLastBin()
    {
        // Duration 100 us: BinUs 10 gives 10 bins and the event at t = 100 (the end) lands in bin 9;
        // Bins = 4 gives boundaries 25, 50, 75 and t = 50 goes to the later bin 2.
        EventStream stream = Stream(1, 1, new DvsEvent(0, 0, 1, 0), new DvsEvent(0, 0, 1, 50), new DvsEvent(0, 0, 1, 100));

        SpikeRaster byWidth = EventBinning.ToRaster(stream, new BinningOptions { BinUs = 10, Polarity = PolarityMode.On });
        SpikeRaster byCount = EventBinning.ToRaster(stream, new BinningOptions { Bins = 4, Polarity = PolarityMode.On });

        Assert.That(NonZero(byWidth), Is.EqualTo(new[] { (0, 0, 1f), (5, 0, 1f), (9, 0, 1f) }));
        Assert.That(NonZero(byCount), Is.EqualTo(new[] { (0, 0, 1f), (2, 0, 1f), (3, 0, 1f) }));
    }

    [Test]
    public void FixedDurationSetsTheBinsAndDropsLaterEvents()
    {
        EventStream stream = Stream(1, 1, new DvsEvent(0, 0, 1, 5), new DvsEvent(0, 0, 1, 31), new DvsEvent(0, 0, 1, 500));

        SpikeRaster raster = EventBinning.ToRaster(
            stream, new BinningOptions { BinUs = 10, DurationUs = 35, Polarity = PolarityMode.On });

        Assert.That(raster.Data, Is.EqualTo(new[] { 1f, 0f, 0f, 1f }));
    }

    [Test]
    public void CentreCropOf34To16KeepsColumnsAndRows9To24()
    {
        EventStream stream = Stream(34, 34,
            new DvsEvent(8, 9, 1, 0),   // column left of the crop
            new DvsEvent(9, 9, 1, 0),   // first column and row -> pixel (0, 0)
            new DvsEvent(24, 24, 1, 0), // last column and row -> pixel (15, 15)
            new DvsEvent(25, 24, 1, 0), // column right of the crop
            new DvsEvent(9, 25, 1, 0)); // row below the crop
        var options = new BinningOptions { Bins = 1, CropWidth = 16, CropHeight = 16, Polarity = PolarityMode.On };

        SpikeRaster raster = EventBinning.ToRaster(stream, options);

        Assert.That(raster.Channels, Is.EqualTo(256));
        Assert.That(NonZero(raster), Is.EqualTo(new[] { (0, 0, 1f), (0, 255, 1f) }));
    }

    [Test]
    public void ExplicitCropOffsetMovesTheRegion()
    {
        EventStream stream = Stream(34, 34, new DvsEvent(0, 0, 1, 0), new DvsEvent(3, 2, 1, 0));
        var options = new BinningOptions { Bins = 1, CropWidth = 4, CropHeight = 3, CropX = 0, CropY = 0, Polarity = PolarityMode.On };

        SpikeRaster raster = EventBinning.ToRaster(stream, options);

        Assert.That(NonZero(raster), Is.EqualTo(new[] { (0, 0, 1f), (0, 2 * 4 + 3, 1f) }));
    }

    [Test]
    public void DownsampleBy2SumsEach2x2Block()
    {
        EventStream stream = Stream(4, 4,
            new DvsEvent(0, 0, 1, 0), new DvsEvent(1, 0, 1, 1), new DvsEvent(0, 1, 1, 2), new DvsEvent(1, 1, 1, 3),
            new DvsEvent(2, 0, 1, 4),  // block (1, 0)
            new DvsEvent(3, 3, 1, 5)); // block (1, 1)
        var options = new BinningOptions { Bins = 1, Downsample = 2, Polarity = PolarityMode.On, Binary = false };

        SpikeRaster raster = EventBinning.ToRaster(stream, options);

        Assert.That(raster.Data, Is.EqualTo(new[] { 4f, 1f, 0f, 1f }));
    }

    [Test]
    public void DownsampleKeepsAPartialEdgeBlock()
    {
        Assert.That(EventBinning.Channels(new BinningOptions { Bins = 1, Downsample = 2, Polarity = PolarityMode.On }, 5, 3), Is.EqualTo(3 * 2));
    }

    [Test]
    public void PolarityChannelsAreOffBlockThenOnBlock()
    {
        // 3 x 2 sensor: 6 pixels; pixel (2, 1) is 1 * 3 + 2 = 5.
        EventStream stream = Stream(3, 2, new DvsEvent(2, 1, 0, 0), new DvsEvent(2, 1, 1, 0));

        SpikeRaster both = EventBinning.ToRaster(stream, new BinningOptions { Bins = 1 });
        SpikeRaster on = EventBinning.ToRaster(stream, new BinningOptions { Bins = 1, Polarity = PolarityMode.On });
        SpikeRaster off = EventBinning.ToRaster(stream, new BinningOptions { Bins = 1, Polarity = PolarityMode.Off });

        Assert.That(NonZero(both), Is.EqualTo(new[] { (0, 5, 1f), (0, 6 + 5, 1f) }));
        Assert.That(NonZero(on), Is.EqualTo(new[] { (0, 5, 1f) }));
        Assert.That(NonZero(off), Is.EqualTo(new[] { (0, 5, 1f) }));
        Assert.That((both.Channels, on.Channels, off.Channels), Is.EqualTo((12, 6, 6)));
    }

    [Test]
    public void ChannelsCombinesCropDownsampleAndPolarity()
    {
        var options = new BinningOptions { Bins = 1, CropWidth = 16, CropHeight = 16, Downsample = 2 };

        Assert.That(EventBinning.Channels(options, 34, 34), Is.EqualTo(2 * 8 * 8));
        Assert.That(EventBinning.Channels(new BinningOptions { Bins = 1 }, 34, 34), Is.EqualTo(2 * 34 * 34));
    }

    [Test]
    public void EmptyStreamGivesZeroRows()
    {
        SpikeRaster raster = EventBinning.ToRaster(Stream(2, 2), new BinningOptions { Bins = 3 });

        Assert.That((raster.Timesteps, raster.Channels, raster.CountNonZero()), Is.EqualTo((3, 8, 0)));
    }

    [TestCase(0L, 0)]
    [TestCase(10L, 5)]
    [TestCase(-1L, 0)]
    public void RequiresExactlyOneOfBinUsAndBins(long binUs, int bins)
    {
        Assert.Throws<ArgumentException>(() =>
            EventBinning.ToRaster(Stream(1, 1), new BinningOptions { BinUs = binUs, Bins = bins }));
    }

    [Test]
    public void RejectsCropsAndFactorsThatDoNotFit()
    {
        Assert.Throws<ArgumentException>(() => EventBinning.Channels(new BinningOptions { Bins = 1, CropWidth = 35 }, 34, 34));
        Assert.Throws<ArgumentException>(() => EventBinning.Channels(new BinningOptions { Bins = 1, CropWidth = 16, CropX = 20 }, 34, 34));
        Assert.Throws<ArgumentException>(() => EventBinning.Channels(new BinningOptions { Bins = 1, Downsample = 0 }, 34, 34));
    }
}
