using Neuromorphic.Hw.Periphery;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Periphery;

[TestFixture]
public sealed class WordLineDriverTests
{
    [Test]
    public void EnergyIsLineCapacitanceTimesVoltageSquared()
    {
        var d = new WordLineDriver(new WordLineDriverParameters { Columns = 128, TechnologyNm = 32, Voltage = 1.0 });
        // Per cell: 1 fF/um x 4 F + 0.2 fF/um x 12 F with F = 0.032 um.
        double cellFf = 4 * 0.032 + 0.2 * 12 * 0.032;
        Assert.That(d.CellCapacitanceFf, Is.EqualTo(cellFf).Within(1e-12));
        Assert.That(d.RowDriveEnergyPj, Is.EqualTo(128 * cellFf * 1e-3).Within(1e-15));
        var row = d.DefaultCosts().Single();
        Assert.That(row.Key, Is.EqualTo("word_line_driver.row_drive"));
        Assert.That(row.Source, Does.StartWith("assumed:"));
    }

    [Test]
    public void EnergyScalesWithColumnsAndVoltage()
    {
        var p = new WordLineDriverParameters { Columns = 128, TechnologyNm = 40 };
        double e = new WordLineDriver(p).RowDriveEnergyPj;
        Assert.That(new WordLineDriver(p with { Columns = 512 }).RowDriveEnergyPj, Is.EqualTo(4 * e).Within(1e-12));
        double v = p.EffectiveVoltage;
        Assert.That(new WordLineDriver(p with { Voltage = 2 * v }).RowDriveEnergyPj, Is.EqualTo(4 * e).Within(1e-12));
        Assert.That(v, Is.InRange(0.9, 1.0), "40 nm nominal supply lies between the 32 and 45 nm points");
    }

    [Test]
    public void ValidateNamesTheBadField()
    {
        var e = Assert.Throws<ArgumentException>(() => new WordLineDriver(new WordLineDriverParameters { Columns = 0 }));
        Assert.That(e!.Message, Does.Contain("Columns"));
        e = Assert.Throws<ArgumentException>(() => new WordLineDriver(new WordLineDriverParameters { Voltage = -1 }));
        Assert.That(e!.Message, Does.Contain("Voltage"));
    }
}
