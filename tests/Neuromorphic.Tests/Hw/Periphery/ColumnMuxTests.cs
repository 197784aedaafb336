using Neuromorphic.Hw.Periphery;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Periphery;

[TestFixture]
public sealed class ColumnMuxTests
{
    [Test]
    public void GroupsAdjacentColumnsOnOneAdc()
    {
        var mux = new ColumnMux(new ColumnMuxParameters { ColumnsPerAdc = 8 });
        Assert.That(mux.AdcsFor(128), Is.EqualTo(16));
        Assert.That(mux.AdcsFor(130), Is.EqualTo(17));
        Assert.That(mux.AdcsFor(0), Is.Zero);
        Assert.That(mux.RoundsFor(128), Is.EqualTo(8));
        Assert.That(mux.RoundsFor(5), Is.EqualTo(5));
        Assert.That((mux.AdcOf(0), mux.RoundOf(0)), Is.EqualTo((0, 0)));
        Assert.That((mux.AdcOf(13), mux.RoundOf(13)), Is.EqualTo((1, 5)));
    }

    [Test]
    public void DoublingColumnsPerAdcDoublesRoundsAndHalvesAdcs()
    {
        var k8 = new ColumnMux(new ColumnMuxParameters { ColumnsPerAdc = 8 });
        var k16 = new ColumnMux(new ColumnMuxParameters { ColumnsPerAdc = 16 });
        Assert.That(k16.RoundsFor(512), Is.EqualTo(2 * k8.RoundsFor(512)));
        Assert.That(k16.AdcsFor(512), Is.EqualTo(k8.AdcsFor(512) / 2));
    }

    [Test]
    public void SelectIsCheapAndCited()
    {
        var mux = new ColumnMux(new ColumnMuxParameters());
        var row = mux.DefaultCosts().Single();
        Assert.That(row.Key, Is.EqualTo("column_mux.select"));
        Assert.That(row.EnergyPj, Is.GreaterThan(0).And.LessThan(0.01));
        Assert.That(row.Source, Does.StartWith("assumed:"));
        var e = Assert.Throws<ArgumentException>(() => new ColumnMux(new ColumnMuxParameters { ColumnsPerAdc = 0 }));
        Assert.That(e!.Message, Does.Contain("ColumnsPerAdc"));
    }
}
