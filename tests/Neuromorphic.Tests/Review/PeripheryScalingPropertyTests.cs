using CsCheck;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Hw.Subarray;
using NUnit.Framework;

namespace Neuromorphic.Tests.Review;

/// <summary>
/// Design-review invariants of the periphery's cost models, over random parameters: the figures a user sweeps
/// (ADC bits and clock, column sharing, array width, node, word widths) move the way the circuits and their cited
/// sources say they must. A model that breaks one would put a wrong trend into every sweep built on it.
/// </summary>
public sealed class PeripheryScalingPropertyTests
{
    // A node inside NeuroSim's fitted range (22-130 nm) or outside it (clamped there), and a column conductance of
    // 0 to 512 low-resistance cells of 100 kOhm (0 to 5.12 mS).
    private static readonly Gen<double> Node = Gen.Double[5, 180];
    private static readonly Gen<double> Conductance = Gen.OneOf(Gen.Const(0.0), Gen.Double[0, 5.12e-3]);
    private static readonly Gen<AdcKind> Converter = Gen.OneOf(Gen.Const(AdcKind.Sar), Gen.Const(AdcKind.Flash));
    private static readonly Gen<double> AdcClock = Gen.OneOf(Gen.Const(0.25e9), Gen.Const(0.5e9), Gen.Const(1e9), Gen.Const(2e9));

    private static Adc AdcOf(AdcKind kind, int bits, double node, double clockHz = 1e9, double readVoltage = 0.2) =>
        new(new AdcParameters { Kind = kind, Bits = bits, TechnologyNm = node, ClockHz = clockHz, ReadVoltage = readVoltage });

    [Test]
    public void One_more_ADC_bit_never_lowers_the_energy_per_conversion_its_time_or_its_area()
    {
        (from kind in Converter from bits in Gen.Int[1, 15] from node in Node from g in Conductance from clock in AdcClock select (kind, bits, node, g, clock))
            .Sample(c =>
            {
                var (lo, hi) = (AdcOf(c.kind, c.bits, c.node, c.clock), AdcOf(c.kind, c.bits + 1, c.node, c.clock));
                var (areaLo, areaHi) = (lo.DefaultComponentCosts().Single().AreaUm2, hi.DefaultComponentCosts().Single().AreaUm2);
                var open = (Func<Adc, double>)(a => a.DefaultCosts().Single(e => e.Action == Adc.OpenConversionAction).EnergyPj);
                return hi.ConversionEnergyFj(c.g) >= lo.ConversionEnergyFj(c.g) && hi.LogicEnergyFj > lo.LogicEnergyFj
                    && hi.ConversionLatencyNs >= lo.ConversionLatencyNs && areaHi > areaLo && open(hi) >= open(lo)
                    && hi.MaxCode == 2 * lo.MaxCode + 1;
            }, iter: 400);
    }

    [Test]
    public void A_SAR_conversion_takes_bits_plus_one_cycles_and_costs_NeuroSims_fit_times_that_time()
    {
        // REFERENCE.md: NeuroSim SarADC.cpp, (bits + 1) ns per conversion at 1 GHz, power (a bits + b) uW + c / R_col.
        (from bits in Gen.Int[1, 16] from node in Node from clock in AdcClock select (bits, node, clock)).Sample(c =>
        {
            var adc = AdcOf(AdcKind.Sar, c.bits, c.node, c.clock);
            var fit = SarAdcFit.ForNode(c.node);
            var expectedNs = (c.bits + 1) * 1e9 / c.clock;
            return adc.ConversionCycles == c.bits + 1 && Math.Abs(adc.ConversionLatencyNs - expectedNs) <= 1e-9 * expectedNs
                && Math.Abs(adc.LogicEnergyFj - fit.LogicPowerUw(c.bits) * (c.bits + 1)) <= 1e-9 * adc.LogicEnergyFj;
        }, iter: 300);
    }

    [Test]
    public void A_faster_ADC_clock_shortens_a_conversion_keeps_its_switching_energy_and_never_raises_its_column_energy()
    {
        (from kind in Converter from bits in Gen.Int[1, 12] from node in Node from g in Conductance
         from slow in AdcClock from factor in Gen.Int[1, 4] select (kind, bits, node, g, slow, factor))
            .Sample(c =>
            {
                var (slow, fast) = (AdcOf(c.kind, c.bits, c.node, c.slow), AdcOf(c.kind, c.bits, c.node, c.slow * c.factor));
                return Math.Abs(fast.ConversionLatencyNs * c.factor - slow.ConversionLatencyNs) <= 1e-9 * slow.ConversionLatencyNs
                    && fast.LogicEnergyFj == slow.LogicEnergyFj
                    && fast.ColumnEnergyFj(c.g) <= slow.ColumnEnergyFj(c.g) * (1 + 1e-12);
            }, iter: 300);
    }

    [Test]
    public void More_driven_conductance_and_a_higher_read_voltage_never_lower_a_conversions_energy()
    {
        (from kind in Converter from bits in Gen.Int[1, 10] from node in Node from g in Conductance from more in Gen.Double[0, 1e-3]
         from v in Gen.Double[0.05, 1.0] from dv in Gen.Double[0, 0.5] select (kind, bits, node, g, more, v, dv))
            .Sample(c =>
            {
                var adc = AdcOf(c.kind, c.bits, c.node, readVoltage: c.v);
                var higher = AdcOf(c.kind, c.bits, c.node, readVoltage: c.v + c.dv);
                return adc.ConversionEnergyFj(c.g + c.more) >= adc.ConversionEnergyFj(c.g)
                    && higher.ConversionEnergyFj(c.g) >= adc.ConversionEnergyFj(c.g) * (1 - 1e-12);
            }, iter: 300);
    }

    [Test]
    public void The_column_load_a_ledger_counts_prices_to_the_models_column_energy_within_its_rounding()
    {
        // A run prices conversions as count x energy per unit: units x energy per unit must be the model's column term,
        // off by at most half a unit of rounding.
        (from kind in Converter from bits in Gen.Int[1, 12] from node in Node from g in Conductance from clock in AdcClock
         select (kind, bits, node, g, clock)).Sample(c =>
        {
            var adc = AdcOf(c.kind, c.bits, c.node, c.clock);
            var priced = adc.ColumnLoadUnits(c.g) * adc.ColumnLoadEnergyPjPerUnit * 1e3;
            var unit = adc.DefaultCosts().Single(e => e.Action == Adc.ColumnLoadAction).EnergyPj;
            return Math.Abs(priced - adc.ColumnEnergyFj(c.g)) <= 0.5 * adc.ColumnLoadEnergyPjPerUnit * 1e3 * (1 + 1e-9)
                && unit == adc.ColumnLoadEnergyPjPerUnit;
        }, iter: 300);
    }

    [Test]
    public void An_older_node_never_makes_a_converter_cheaper_or_smaller()
    {
        (from kind in Converter from bits in Gen.Int[1, 12] from node in Node from step in Gen.Double[0, 60] from g in Conductance
         select (kind, bits, node, older: Math.Min(180, node + step), g)).Sample(c =>
        {
            var (a, b) = (AdcOf(c.kind, c.bits, c.node), AdcOf(c.kind, c.bits, c.older));
            return b.ConversionEnergyFj(c.g) >= a.ConversionEnergyFj(c.g) * (1 - 1e-12)
                && b.DefaultComponentCosts().Single().AreaUm2 >= a.DefaultComponentCosts().Single().AreaUm2;
        }, iter: 300);
    }

    [Test]
    public void Sharing_an_ADC_among_more_columns_means_fewer_ADCs_more_rounds_and_never_a_cheaper_select()
    {
        (from columns in Gen.Int[1, 2048] from k in Gen.Int[1, 256] from node in Node select (columns, k, node)).Sample(c =>
        {
            var (a, b) = (new ColumnMux(new ColumnMuxParameters { ColumnsPerAdc = c.k, TechnologyNm = c.node }),
                new ColumnMux(new ColumnMuxParameters { ColumnsPerAdc = c.k + 1, TechnologyNm = c.node }));
            // Every column has an ADC, and no ADC serves more than k columns.
            var covers = (long)a.AdcsFor(c.columns) * c.k >= c.columns && (long)(a.AdcsFor(c.columns) - 1) * c.k < c.columns;
            return covers && b.AdcsFor(c.columns) <= a.AdcsFor(c.columns) && b.RoundsFor(c.columns) >= a.RoundsFor(c.columns)
                && a.RoundsFor(c.columns) == Math.Min(c.columns, c.k) && b.SelectEnergyPj >= a.SelectEnergyPj;
        }, iter: 400);
    }

    [Test]
    public void A_longer_word_line_costs_more_to_drive()
    {
        (from columns in Gen.Int[1, 4096] from more in Gen.Int[1, 4096] from node in Node select (columns, more, node)).Sample(c =>
        {
            var (a, b) = (new WordLineDriver(new WordLineDriverParameters { Columns = c.columns, TechnologyNm = c.node }),
                new WordLineDriver(new WordLineDriverParameters { Columns = c.columns + c.more, TechnologyNm = c.node }));
            // C V^2 with C linear in the cells on the line: the energy per cell is the same at any length.
            var perCell = Math.Abs(b.RowDriveEnergyPj / (c.columns + c.more) - a.RowDriveEnergyPj / c.columns) <= 1e-9 * a.RowDriveEnergyPj / c.columns;
            // (Its area is the macro's row of switch matrix and level shifters, MacroArea, whatever the line's length.)
            return b.RowDriveEnergyPj > a.RowDriveEnergyPj && perCell;
        }, iter: 300);
    }

    [Test]
    public void Wider_arithmetic_and_larger_memories_never_cost_less_per_operation()
    {
        (from bits in Gen.Int[ShiftAddParameters.MinBits, 61] from node in Node from bytes in Gen.Long[64, 1 << 22] from lanes in Gen.Int[1, 256]
         from membrane in Gen.Int[4, 31] select (bits, node, bytes, lanes, membrane)).Sample(c =>
        {
            var add = new ShiftAdd(new ShiftAddParameters { Bits = c.bits, TechnologyNm = c.node }).EnergyPerAddPj;
            var wider = new ShiftAdd(new ShiftAddParameters { Bits = c.bits + 1, TechnologyNm = c.node }).EnergyPerAddPj;
            var sram = new SramBuffer(new SramBufferParameters { CapacityBytes = c.bytes, TechnologyNm = c.node });
            var bigger = new SramBuffer(new SramBufferParameters { CapacityBytes = 2 * c.bytes, TechnologyNm = c.node });
            DigitalNeuronUnit Core(int bits, int lanes) =>
                new(new DigitalNeuronUnitParameters { MembraneBits = bits, FractionBits = Math.Min(8, bits - 1), Lanes = lanes, TechnologyNm = c.node });
            var (core, widerCore, moreLanes) = (Core(c.membrane, c.lanes), Core(c.membrane + 1, c.lanes), Core(c.membrane, c.lanes + 1));
            return wider > add && bigger.ReadEnergyPjPerBit > sram.ReadEnergyPjPerBit
                && bigger.DefaultComponentCosts().Single().AreaUm2 > sram.DefaultComponentCosts().Single().AreaUm2
                && widerCore.LifUpdateEnergyPj > core.LifUpdateEnergyPj && widerCore.CubaLifUpdateEnergyPj > core.CubaLifUpdateEnergyPj
                && moreLanes.CyclesFor(1000) <= core.CyclesFor(1000)
                && moreLanes.DefaultComponentCosts().Single().AreaUm2 > core.DefaultComponentCosts().Single().AreaUm2;
        }, iter: 300);
    }

    [Test]
    public void In_NeuroSims_subarray_model_more_ADC_bits_or_more_driven_rows_never_make_a_read_cheaper_faster_or_smaller()
    {
        // `inspect --workload` (docs/architecture.md, the side-by-side with NeuroSim V1.4): the same trends as the run path.
        (from bits in Gen.Int[1, 7] from node in Gen.Double[22, 130] from rows in Gen.Int[0, 127] from more in Gen.Int[1, 128]
         from synchronous in Gen.Bool from cells in Gen.Double[0, 1].Array[128] select (bits, node, rows, more, synchronous, cells)).Sample(c =>
        {
            SubarrayModel Model(int bits) => new(new SubarrayParameters
            {
                AdcBits = bits, TechnologyNm = c.node, Timing = TimingOf(c.synchronous), CellsPerWeight = 8,
            });
            var (lo, hi) = (Model(c.bits), Model(c.bits + 1));
            var more = Math.Min(128, c.rows + c.more);
            // Each column's driven cells: the first k rows' cells, each on (10 uS) with the drawn probability, else off.
            double[] Columns(int k) => c.cells.Select(p => k * (0.1e-4 * p + 0.1e-4 / 17 * (1 - p))).Select(g => g <= 0 ? 0 : lo.WithAccess(g)).ToArray();
            var (a, b) = (lo.Read(c.rows, Columns(c.rows)), hi.Read(c.rows, Columns(c.rows)));
            var busier = lo.Read(more, Columns(more));
            return b.TotalPj >= a.TotalPj * (1 - 1e-12) && b.LatencyNs >= a.LatencyNs && hi.Area().TotalUm2 > lo.Area().TotalUm2
                && busier.TotalPj >= a.TotalPj * (1 - 1e-12) && busier.LatencyNs == a.LatencyNs;
        }, iter: 200);
    }

    private static ReadTiming TimingOf(bool synchronous) => synchronous ? ReadTiming.NeuroSimSynchronous : ReadTiming.Pipelined;
}
