using CsCheck;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Randomness;
using NUnit.Framework;
using static Neuromorphic.Tests.Hw.Macro.MacroTestBench;

namespace Neuromorphic.Tests.Hw.Macro;

/// <summary>The macro's function, error trends and timeline (issue 4's acceptance).</summary>
public sealed class RramMacroTests
{
    [Test]
    public void NoiseOffHighPrecisionEqualsIdealWithinQuantisationBound()
    {
        var gen = from rows in Gen.Int[1, 80]
                  from columns in Gen.Int[1, 12]
                  from density in Gen.Double[0, 1]
                  from weightBits in Gen.Int[1, 3]
                  from reference in Gen.Bool
                  from seed in Gen.ULong
                  select (rows, columns, density, weightBits, reference, seed);
        gen.Sample(c =>
        {
            // 10-bit ADC: no column of a 16-row group can exceed its range, so the only error is the weight quantisation.
            var p = Parameters(rows: 80, columns: 96, adcBits: 10, weightBits: c.weightBits,
                scheme: c.reference ? SignedWeightScheme.ReferenceColumn : SignedWeightScheme.DifferentialPair);
            var weights = RandomWeights(c.rows, c.columns, c.seed);
            var (macro, array, _) = Build(p, weights, c.rows, c.columns, c.seed);
            var active = RandomRows(c.rows, c.density, new DeterministicRandom(c.seed + 1));
            var exact = new double[c.columns];
            var full = new double[c.columns];
            macro.Execute(active, 0, exact, null);
            macro.Execute(active, 0, full, null, forceFullPath: true);
            var ideal = Ideal(weights, c.columns, active);
            var stored = Ideal(Stored(array), c.columns, active);
            // Half a weight step per active input bounds the quantisation error.
            var bound = active.Length * 0.5 / ((1 << c.weightBits) - 1) + 1e-9;
            for (var j = 0; j < c.columns; j++)
            {
                if (Math.Abs(full[j] - stored[j]) > 1e-9 || Math.Abs(exact[j] - full[j]) > 1e-9) return false;
                if (Math.Abs(full[j] - ideal[j]) > bound) return false;
            }
            return true;
        }, iter: 150);
    }

    private static double MeanError(double sigma, int adcBits, int parallelRows = 16, ulong seed = 5)
    {
        const int rows = 64, columns = 16;
        var p = Parameters(rows: rows, columns: 64, parallelRows: parallelRows, adcBits: adcBits, weightBits: 2, sigma: sigma);
        var weights = RandomWeights(rows, columns, seed);
        var (macro, array, _) = Build(p, weights, rows, columns, seed);
        var rng = new DeterministicRandom(seed + 7);
        var errors = new List<double>();
        for (var trial = 0; trial < 40; trial++)
        {
            var active = RandomRows(rows, 0.5, rng);
            var y = new double[columns];
            macro.Execute(active, 0, y, null);
            errors.Add(RmsError(y, Ideal(Stored(array), columns, active)));
        }
        return errors.Average();
    }

    [Test]
    public void ErrorGrowsWithProgrammingSigma()
    {
        var e0 = MeanError(0.0, 8);
        var e1 = MeanError(0.05, 8);
        var e2 = MeanError(0.2, 8);
        Assert.That(e0, Is.LessThan(1e-9));
        Assert.That(e1, Is.GreaterThan(e0));
        Assert.That(e2, Is.GreaterThan(1.5 * e1));
    }

    [Test]
    public void ErrorGrowsWithFewerAdcBits()
    {
        // 1-bit cells, 16-row groups: a column sums at most 16 levels, so 5 bits read it exactly;
        // with half the rows active (about 8 per group) 3 bits (7 codes) clip now and then, 2 bits often.
        var e5 = MeanError(0.0, 5);
        var e3 = MeanError(0.0, 3);
        var e2 = MeanError(0.0, 2);
        Assert.That(e5, Is.LessThan(1e-9));
        Assert.That(e3, Is.GreaterThan(e5 + 1e-3));
        Assert.That(e2, Is.GreaterThan(e3));
    }

    [Test]
    public void DoublingParallelRowsRaisesErrorAtFixedAdcBits()
    {
        // NeuroSim Table VII's trade-off: more rows per read, same ADC, coarser partial sums.
        Assert.That(MeanError(0.0, 4, parallelRows: 32), Is.GreaterThan(MeanError(0.0, 4, parallelRows: 16)));
    }

    [Test]
    public void LatencyDoublesWhenColumnsPerAdcDouble()
    {
        long Latency(int columnsPerAdc)
        {
            var p = Parameters(rows: 64, columns: 64, parallelRows: 16, columnsPerAdc: columnsPerAdc, adcBits: 5);
            var (macro, _, _) = Build(p, RandomWeights(64, 16, 1), 64, 16, 1);
            return macro.Execute(Enumerable.Range(0, 64).ToArray(), 0, new double[16], null).Latency;
        }
        var l8 = Latency(8);
        var l16 = Latency(16);
        // Column-bound: 4 groups x 8 (16) conversions of 6 ns dominate the 2 ns drive and 1 ns shift-add.
        Assert.That((double)l16 / l8, Is.EqualTo(2.0).Within(0.05));
    }

    [Test]
    public void EmptyGroupsReadAnywayAreOpenColumnConversions()
    {
        // NeuroSim's mode: every group is read; an empty one converts open columns (SarADC.cpp: 1 uW), not the logic power.
        var p = Parameters(rows: 64, columns: 64, parallelRows: 16) with { SkipEmptyRowGroups = false };
        var (macro, array, ledger) = Build(p, RandomWeights(64, 16, 3), 64, 16, 3);
        var op = macro.Execute([1, 2, 40], 0, new double[16], null);
        Assert.That((op.ActiveGroups, op.SkippedGroups), Is.EqualTo((4, 0)));
        Assert.That(ledger.Count(Adc.SarComponent, "layer", Adc.ConversionAction), Is.EqualTo(2L * array.PhysicalColumns));
        Assert.That(ledger.Count(Adc.SarComponent, "layer", Adc.OpenConversionAction), Is.EqualTo(2L * array.PhysicalColumns));
        var adc = new Adc(p.Adc);
        var open = adc.DefaultCosts().Single(c => c.Action == Adc.OpenConversionAction);
        Assert.That(open.EnergyPj, Is.EqualTo(1e-6 * adc.ConversionLatencyNs * 1e-9 * 1e12).Within(1e-15), "1 uW for one conversion time");
        Assert.That(open.EnergyPj, Is.LessThan(adc.LogicEnergyFj * 1e-3));
    }

    [Test]
    public void MacrosThatSkipEmptyGroupsKeepNoOpenConversionRow()
    {
        var p = Parameters(rows: 64, columns: 64, parallelRows: 16);
        var (macro, _, ledger) = Build(p, RandomWeights(64, 16, 3), 64, 16, 3);
        macro.Execute([1, 2, 40], 0, new double[16], null);
        Assert.That(ledger.Entries().Any(e => e.Key.Action == Adc.OpenConversionAction), Is.False);
    }

    [Test]
    public void EmptyGroupsAreSkippedAndCounted()
    {
        var p = Parameters(rows: 64, columns: 64, parallelRows: 16);
        var (macro, array, ledger) = Build(p, RandomWeights(64, 16, 3), 64, 16, 3);
        var op = macro.Execute([1, 2, 40], 0, new double[16], null);
        Assert.That((op.ActiveGroups, op.SkippedGroups), Is.EqualTo((2, 2)));
        Assert.That(ledger.Count(MacroCosts.MacroComponent, "layer", MacroCosts.SkippedConversionAction), Is.EqualTo(2L * array.PhysicalColumns));
        Assert.That(ledger.Count(Adc.SarComponent, "layer", Adc.ConversionAction), Is.EqualTo(2L * array.PhysicalColumns));
        var idle = macro.Execute([], 100, new double[16], null);
        Assert.That(idle.Latency, Is.Zero);
    }

    [Test]
    public void BackToBackOperationsQueueOnTheAdcs()
    {
        var p = Parameters(rows: 64, columns: 64, parallelRows: 16);
        var (macro, _, _) = Build(p, RandomWeights(64, 16, 4), 64, 16, 4);
        var all = Enumerable.Range(0, 64).ToArray();
        var first = macro.Execute(all, 0, new double[16], null);
        var second = macro.Execute(all, 0, new double[16], null);
        Assert.That(second.End, Is.GreaterThan(first.End));
        Assert.That(second.End - first.End, Is.EqualTo(first.Latency - 2 - 1).Within(first.Latency / 4));
    }
}
