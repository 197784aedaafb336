using CsCheck;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;
using NUnit.Framework;

namespace Neuromorphic.Tests.Review;

/// <summary>
/// Design-review invariants of one RRAM macro (<see cref="RramMacro"/>) on small random arrays and spike vectors:
/// its read timeline against the closed form docs/architecture.md gives, and how its time, counts and priced energy
/// move when a user sweeps the macro clock, the ADC's clock and bits, column sharing, parallel rows and bit slicing.
/// </summary>
public sealed class MacroScalingPropertyTests
{
    private const double BaseClockHz = 1e9;

    /// <summary>Weight columns of the test arrays: 16 weights of 2 bits on pairs fill a 64-column array.</summary>
    private const int Width = 16;

    /// <summary>Pairs of clocks dividing the 1 GHz base clock where the faster one's edges include every edge of the slower.</summary>
    private static readonly Gen<(double Slow, double Fast)> HarmonicClocks = Gen.OneOf(
        Gen.Const((100e6, 200e6)), Gen.Const((100e6, 500e6)), Gen.Const((100e6, 1e9)), Gen.Const((125e6, 250e6)), Gen.Const((125e6, 1e9)),
        Gen.Const((200e6, 1e9)), Gen.Const((250e6, 500e6)), Gen.Const((250e6, 1e9)), Gen.Const((500e6, 1e9)), Gen.Const((200e6, 200e6)));

    private static readonly Gen<SignedWeightScheme> Scheme = Gen.OneOf(Gen.Const(SignedWeightScheme.DifferentialPair),
        Gen.Const(SignedWeightScheme.ReferenceColumn), Gen.Const(SignedWeightScheme.OffsetBinary));

    /// <summary>A small macro's parameters; everything the properties vary is an argument.</summary>
    private static MacroParameters Parameters(int rows = 64, int columns = 64, int parallelRows = 16, int columnsPerAdc = 8, int adcBits = 5,
        double adcClockHz = 1e9, double clockHz = 200e6, int weightBits = 2, int bitsPerCell = 1, SignedWeightScheme scheme = SignedWeightScheme.DifferentialPair,
        int drive = 1, int settle = 1, int shiftAdd = 1) => new()
    {
        Crossbar = new CrossbarParameters { Rows = rows, Columns = columns, WeightBits = weightBits, SignedWeights = scheme },
        Device = new RramDeviceParameters { BitsPerCell = bitsPerCell },
        Adc = new AdcParameters { Bits = adcBits, ClockHz = adcClockHz, TechnologyNm = 40, ReadVoltage = 0.2 },
        ParallelRows = parallelRows,
        ColumnsPerAdc = columnsPerAdc,
        ClockHz = clockHz,
        DriveCycles = drive,
        SettleCycles = settle,
        ShiftAddCycles = shiftAdd,
    };

    /// <summary>A chip around <paramref name="p"/> (its cost table prices the macro's ledger) and the macro, programmed with seeded random weights.</summary>
    private static (ChipModel Chip, RramMacro Macro, Ledger Ledger) Build(MacroParameters p, int rows, int logicalColumns, ulong seed)
    {
        var chip = new ChipModel(new ArchitectureSpec { Name = "review", TechnologyNm = 40, BaseClockHz = BaseClockHz, Macro = p });
        var rng = new DeterministicRandom(seed);
        var weights = Enumerable.Range(0, rows * logicalColumns).Select(_ => rng.NextDouble() < 0.4 ? 0f : (float)rng.NextDouble(-1, 1)).ToArray();
        var array = CrossbarArray.Program(weights, rows, logicalColumns, p.Crossbar, chip.Device, rng);
        var ledger = new Ledger();
        return (chip, chip.CreateMacro(array, ledger, "layer"), ledger);
    }

    /// <summary>Operations with their ready cycles: a spike vector (ascending rows) arriving at a growing cycle.</summary>
    private static readonly Gen<(int[] Rows, long Ready)[]> Operations =
        from count in Gen.Int[1, 6]
        from ops in Gen.Select(Gen.Int[0, 64].HashSet[0, 24], Gen.Int[0, 120]).Array[count]
        select Sequence(ops);

    private static (int[] Rows, long Ready)[] Sequence((HashSet<int> Rows, int Gap)[] ops)
    {
        long ready = 0;
        return ops.Select(o => (o.Rows.Where(r => r < 64).Order().ToArray(), ready += o.Gap)).ToArray();
    }

    /// <summary>Runs the operations on the macro; returns each operation's end cycle.</summary>
    private static long[] Run(RramMacro macro, (int[] Rows, long Ready)[] ops, int logicalColumns)
    {
        var outputs = new double[logicalColumns];
        return ops.Select(o => macro.Execute(o.Rows, o.Ready, outputs, null).End).ToArray();
    }

    private static Dictionary<string, long> Counts(Ledger ledger) =>
        ledger.Entries().Where(e => e.Count != 0).ToDictionary(e => $"{e.Key.Unit}.{e.Key.Action}", e => e.Count);

    private static double EnergyOf(ChipModel chip, Ledger ledger, string component) =>
        EnergyAccount.Compute(ledger, chip.Costs, new Dictionary<string, long>(), 0).Lines.Where(l => l.Component == component).Sum(l => l.DynamicPj);

    [Test]
    public void One_read_from_idle_takes_the_documented_pipeline_time()
    {
        // docs/architecture.md: drive + settle on the array, then the ADC bank converts every column (columns_per_adc
        // rounds of a conversion each), then the shift-add; back to back one group every max(drive + settle, conversions)
        // where each group can drive on the macro clock edge its array frees at (MacroThroughputRulesTests: conversions at
        // most drive + settle, or whole macro cycles, or at least drive + settle + an edge less a cycle); elsewhere a group
        // may wait for its edge, up to an edge less a cycle each.
        var gen = from rows in Gen.Int[0, 64].HashSet[1, 40] from parallel in Gen.OneOf(Gen.Const(4), Gen.Const(8), Gen.Const(16), Gen.Const(64))
                  from k in Gen.Int[1, 16] from bits in Gen.Int[1, 8] from clocks in HarmonicClocks from drive in Gen.Int[0, 3] from settle in Gen.Int[0, 3]
                  from shift in Gen.Int[0, 3] from seed in Gen.ULong select (rows, parallel, k, bits, clock: clocks.Slow, drive, settle, shift, seed);
        gen.Sample(c =>
        {
            var p = Parameters(parallelRows: c.parallel, columnsPerAdc: c.k, adcBits: c.bits, clockHz: c.clock, drive: c.drive, settle: c.settle, shiftAdd: c.shift);
            var (_, macro, _) = Build(p, 64, Width, c.seed);
            var active = c.rows.Where(r => r < 64).Order().ToArray();
            if (active.Length == 0) return true;
            var op = macro.Execute(active, 0, new double[Width], null);
            var ratio = (long)(BaseClockHz / c.clock);
            long driveSettle = (c.drive + c.settle) * ratio, shiftAdd = c.shift * ratio;
            long convert = Math.Min(macro.Array.PhysicalColumns, c.k) * (long)(c.bits + 1); // a SAR takes bits + 1 ns at 1 GHz
            var groups = active.Select(r => r / c.parallel).Distinct().Count();
            var expected = driveSettle + (groups - 1) * Math.Max(driveSettle, convert) + convert + shiftAdd;
            var exact = convert <= driveSettle || convert % ratio == 0 || convert >= driveSettle + ratio - 1;
            var timed = exact ? op.End == expected : op.End >= expected && op.End <= expected + (groups - 1) * (ratio - 1);
            return op.Start == 0 && timed && op.ActiveGroups == groups && op.Conversions == (long)groups * macro.Array.PhysicalColumns
                && macro.ConversionCycles == c.bits + 1;
        }, iter: 300);
    }

    [Test]
    public void A_faster_macro_clock_never_ends_an_operation_later_and_counts_the_same_work()
    {
        // With the faster clock's edges a superset of the slower's, every wait for an edge and every phase is no longer.
        (from clocks in HarmonicClocks from ops in Operations from k in Gen.Int[1, 16] from seed in Gen.ULong select (clocks, ops, k, seed)).Sample(c =>
        {
            var (_, slow, slowLedger) = Build(Parameters(clockHz: c.clocks.Slow, columnsPerAdc: c.k), 64, Width, c.seed);
            var (_, fast, fastLedger) = Build(Parameters(clockHz: c.clocks.Fast, columnsPerAdc: c.k), 64, Width, c.seed);
            var (a, b) = (Run(slow, c.ops, Width), Run(fast, c.ops, Width));
            // The array-read units count conductance x drive time, which a faster clock shortens; they cost nothing
            // (the ADC's column term holds the cells' I^2R). Every other count is the same work.
            var (ca, cb) = (Counts(slowLedger), Counts(fastLedger));
            ca.Remove("rram_array.read");
            cb.Remove("rram_array.read");
            return a.Zip(b).All(x => x.Second <= x.First) && ca.Count == cb.Count && ca.All(kv => cb.GetValueOrDefault(kv.Key) == kv.Value);
        }, iter: 150);
    }

    [Test]
    public void A_faster_ADC_clock_never_ends_an_operation_later_nor_raises_the_ADC_energy()
    {
        var adcClocks = Gen.OneOf(Gen.Const((0.25e9, 0.5e9)), Gen.Const((0.5e9, 1e9)), Gen.Const((1e9, 2e9)), Gen.Const((0.25e9, 2e9)));
        (from clocks in adcClocks from ops in Operations from bits in Gen.Int[1, 8] from seed in Gen.ULong select (clocks, ops, bits, seed)).Sample(c =>
        {
            var (chipSlow, slow, slowLedger) = Build(Parameters(adcBits: c.bits, adcClockHz: c.clocks.Item1), 64, Width, c.seed);
            var (chipFast, fast, fastLedger) = Build(Parameters(adcBits: c.bits, adcClockHz: c.clocks.Item2), 64, Width, c.seed);
            var (a, b) = (Run(slow, c.ops, Width), Run(fast, c.ops, Width));
            var component = chipSlow.Adc.Component;
            return a.Zip(b).All(x => x.Second <= x.First)
                && EnergyOf(chipFast, fastLedger, component) <= EnergyOf(chipSlow, slowLedger, component) * (1 + 1e-12);
        }, iter: 150);
    }

    [Test]
    public void More_ADC_bits_never_end_an_operation_sooner_nor_lower_the_ADC_energy_and_convert_the_same_columns()
    {
        (from ops in Operations from bits in Gen.Int[1, 10] from more in Gen.Int[1, 4] from seed in Gen.ULong select (ops, bits, more, seed)).Sample(c =>
        {
            var (chipLo, lo, loLedger) = Build(Parameters(adcBits: c.bits), 64, Width, c.seed);
            var (chipHi, hi, hiLedger) = Build(Parameters(adcBits: c.bits + c.more), 64, Width, c.seed);
            var (a, b) = (Run(lo, c.ops, Width), Run(hi, c.ops, Width));
            var component = chipLo.Adc.Component;
            var conversions = (Ledger l) => l.Count(component, "layer", Adc.ConversionAction);
            var (eLo, eHi) = (EnergyOf(chipLo, loLedger, component), EnergyOf(chipHi, hiLedger, component));
            return a.Zip(b).All(x => x.Second >= x.First) && conversions(loLedger) == conversions(hiLedger) && eHi >= eLo * (1 - 1e-12)
                && chipHi.Adc.DefaultComponentCosts().Single().AreaUm2 > chipLo.Adc.DefaultComponentCosts().Single().AreaUm2;
        }, iter: 150);
    }

    [Test]
    public void Sharing_each_ADC_among_more_columns_never_speeds_a_read_and_converts_the_same_columns_on_fewer_ADCs()
    {
        (from ops in Operations from k in Gen.Int[1, 32] from more in Gen.Int[1, 32] from seed in Gen.ULong select (ops, k, more, seed)).Sample(c =>
        {
            var (chipA, a, la) = Build(Parameters(columnsPerAdc: c.k), 64, Width, c.seed);
            var (chipB, b, lb) = Build(Parameters(columnsPerAdc: c.k + c.more), 64, Width, c.seed);
            var (ea, eb) = (Run(a, c.ops, Width), Run(b, c.ops, Width));
            var conversions = (Ledger l) => l.Count(chipA.Adc.Component, "layer", Adc.ConversionAction);
            return ea.Zip(eb).All(x => x.Second >= x.First) && conversions(la) == conversions(lb) && b.AdcCount <= a.AdcCount
                && a.AdcCount == (a.Array.PhysicalColumns + c.k - 1) / c.k;
        }, iter: 150);
    }

    [Test]
    public void More_parallel_rows_never_read_more_row_groups_for_the_same_spikes_and_drive_the_same_rows()
    {
        // NeuroSim V1.4 Table VII's trend (32 -> 64 parallel rows, fewer conversions, more TOPS/W) starts here.
        (from ops in Operations from log in Gen.Int[0, 5] from seed in Gen.ULong select (ops, p: 1 << log, seed)).Sample(c =>
        {
            var (chip, a, la) = Build(Parameters(parallelRows: c.p), 64, Width, c.seed);
            var (_, b, lb) = Build(Parameters(parallelRows: 2 * c.p), 64, Width, c.seed);
            Run(a, c.ops, Width);
            Run(b, c.ops, Width);
            var conv = (Ledger l) => l.Count(chip.Adc.Component, "layer", Adc.ConversionAction);
            var drives = (Ledger l) => l.Count(WordLineDriver.Component, "layer", WordLineDriver.RowDriveAction);
            return conv(lb) <= conv(la) && drives(la) == drives(lb) && drives(la) == c.ops.Sum(o => (long)o.Rows.Length);
        }, iter: 150);
    }

    [Test]
    public void Bit_slicing_multiplies_the_columns_and_every_per_column_action_as_documented()
    {
        // docs/architecture.md and CrossbarArray: a weight of weight_bits magnitude bits (one more for the offset schemes) takes
        // ceil(bits / bits_per_cell) cells per polarity; pairs double them; reference columns add one per slice. Every
        // active row group converts, selects and shift-adds each physical column once.
        (from scheme in Scheme from weightBits in Gen.Int[1, 8] from bitsPerCell in Gen.Int[1, 3] from logical in Gen.Int[1, 12]
         from ops in Operations from seed in Gen.ULong select (scheme, weightBits, bitsPerCell, logical, ops, seed)).Sample(c =>
        {
            var p = Parameters(columns: 512, weightBits: c.weightBits, bitsPerCell: c.bitsPerCell, scheme: c.scheme);
            var (chip, macro, ledger) = Build(p, 64, c.logical, c.seed);
            var encoded = c.scheme == SignedWeightScheme.DifferentialPair ? c.weightBits : c.weightBits + 1;
            var slices = (encoded + c.bitsPerCell - 1) / c.bitsPerCell;
            var expectedColumns = c.logical * slices * (c.scheme == SignedWeightScheme.DifferentialPair ? 2 : 1)
                + (c.scheme == SignedWeightScheme.ReferenceColumn ? slices : 0);
            var outputs = new double[c.logical];
            long groups = 0;
            foreach (var o in c.ops) groups += macro.Execute(o.Rows, o.Ready, outputs, null).ActiveGroups;
            var columns = (long)macro.Array.PhysicalColumns;
            return macro.Array.Slices == slices && columns == expectedColumns
                && ledger.Count(chip.Adc.Component, "layer", Adc.ConversionAction) == groups * columns
                && ledger.Count(ColumnMux.Component, "layer", ColumnMux.SelectAction) == groups * columns
                && ledger.Count(ShiftAdd.Component, "layer", ShiftAdd.AddAction) == groups * columns;
        }, iter: 200);
    }

    [Test]
    public void More_ADC_bits_never_lower_a_macros_energy_per_conversion_nor_its_area_in_the_inspected_figures()
    {
        // What `inspect ARCH` prints (MacroFigures) on a small macro: the sweep a user runs over macro.adc.bits.
        var spec = ArchitectureLoader.Load("rram-40nm-256kb");
        spec = spec with { Macro = spec.Macro with { Crossbar = spec.Macro.Crossbar with { Rows = 64, Columns = 64 } } };
        MacroFigures At(int bits) => MacroFigures.Measure(new ChipModel(spec with { Macro = spec.Macro with { Adc = spec.Macro.Adc with { Bits = bits } } }), 0.2, vectors: 8);
        var figures = Enumerable.Range(1, 10).Select(At).ToList();
        for (var i = 1; i < figures.Count; i++)
        {
            Assert.That(figures[i].EnergyPerConversionFj, Is.GreaterThan(figures[i - 1].EnergyPerConversionFj), $"{i + 1} bits");
            Assert.That(figures[i].AreaUm2, Is.GreaterThan(figures[i - 1].AreaUm2), $"{i + 1} bits");
            Assert.That(figures[i].PeakTops, Is.LessThanOrEqualTo(figures[i - 1].PeakTops), $"{i + 1} bits: conversions are longer");
        }
    }

    [Test]
    public void A_larger_array_never_lowers_a_macros_capacity_and_its_area_grows_with_its_cells()
    {
        (from rows in Gen.Int[8, 256] from columns in Gen.Int[16, 256] from moreRows in Gen.Int[0, 128] from moreColumns in Gen.Int[0, 128]
         select (rows, columns, moreRows, moreColumns)).Sample(c =>
        {
            ChipModel Chip(int r, int col) => new(new ArchitectureSpec
            {
                Name = "review", TechnologyNm = 40, Macro = Parameters(rows: r, columns: col, parallelRows: Math.Min(8, r), columnsPerAdc: 8),
            });
            var (small, large) = (Chip(c.rows, c.columns), Chip(c.rows + c.moreRows, c.columns + c.moreColumns));
            double Area(ChipModel chip) => chip.Instances(1, 0, chip.Mux.AdcsFor(chip.Spec.Macro.Crossbar.Columns))
                .Sum(p => (chip.Costs.InstanceOf(p.Key)?.AreaUm2 ?? 0) * p.Value);
            return large.LogicalColumnsPerMacro >= small.LogicalColumnsPerMacro && Area(large) >= Area(small);
        }, iter: 100);
    }
}
