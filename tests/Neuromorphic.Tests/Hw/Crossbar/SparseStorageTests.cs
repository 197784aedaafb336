using CsCheck;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Crossbar;

/// <summary>
/// Sparse storage (only the cells above level 0 kept, the level-0 cells drawn when read) is a
/// simulation detail: an array and a macro give the same results to the last bit in either storage,
/// on an ideal device and with variation, faults, drift, IR drop and read noise.
/// </summary>
[TestFixture]
public sealed class SparseStorageTests
{
    private sealed record Case(int Rows, int Columns, double Density, int WeightBits, int BitsPerCell, SignedWeightScheme Scheme, int Device, bool IrDrop, ulong Seed);

    private static readonly Gen<Case> Cases =
        Gen.Select(Gen.Int[1, 24], Gen.Int[1, 12], Gen.Double[0, 0.6], Gen.Int[1, 3], Gen.Int[1, 2],
                Gen.OneOf(SignedWeightScheme.DifferentialPair, SignedWeightScheme.DifferentialPair, SignedWeightScheme.ReferenceColumn, SignedWeightScheme.OffsetBinary),
                Gen.Int[0, 5], Gen.Bool)
            .Select(Gen.ULong, (c, seed) => new Case(c.Item1, c.Item2, c.Item3, c.Item4, c.Item5, c.Item6, c.Item7, c.Item8, seed));

    /// <summary>Device 0 is ideal; the others add one or more non-idealities each.</summary>
    private static RramDeviceParameters DeviceOf(int kind, int bitsPerCell) => kind switch
    {
        0 => new RramDeviceParameters { BitsPerCell = bitsPerCell },
        1 => new RramDeviceParameters { BitsPerCell = bitsPerCell, ProgrammingSigma = 0.05 },
        2 => new RramDeviceParameters { BitsPerCell = bitsPerCell, DeviceToDeviceSigma = 0.1, StuckAtOnRate = 0.02, StuckAtOffRate = 0.03 },
        3 => new RramDeviceParameters { BitsPerCell = bitsPerCell, ReadNoiseSigma = 0.03 },
        4 => new RramDeviceParameters
        {
            BitsPerCell = bitsPerCell, DriftNu = 0.05, ReadTimeSeconds = 100,
            ProgrammingSigmaPerLevel = Enumerable.Range(0, 1 << bitsPerCell).Select(l => l == 0 ? 0 : 0.02).ToArray(),
        },
        _ => new RramDeviceParameters { BitsPerCell = bitsPerCell, StuckAtOnRate = 0.05 },
    };

    private static (CrossbarArray Dense, CrossbarArray Sparse, RramDevice Device, CrossbarParameters Parameters) Program(Case c)
    {
        var device = new RramDevice(DeviceOf(c.Device, c.BitsPerCell));
        var rng = new DeterministicRandom(c.Seed);
        var weights = Enumerable.Range(0, c.Rows * c.Columns)
            .Select(_ => rng.NextDouble() < c.Density ? (float)rng.NextDouble(-1.1, 1.1) : 0f).ToArray();
        var crossbar = new CrossbarParameters { Rows = 32, Columns = 128, WeightBits = c.WeightBits, SignedWeights = c.Scheme, IrDrop = c.IrDrop };
        var dense = CrossbarArray.Program(weights, c.Rows, c.Columns, crossbar with { SparseStorageMaxOccupancy = 0 }, device, new DeterministicRandom(c.Seed + 1));
        var sparse = CrossbarArray.Program(weights, c.Rows, c.Columns, crossbar with { SparseStorageMaxOccupancy = 1 }, device, new DeterministicRandom(c.Seed + 1));
        return (dense, sparse, device, crossbar);
    }

    private static long[] Bits(ReadOnlySpan<double> values) => values.ToArray().Select(BitConverter.DoubleToInt64Bits).ToArray();

    [Test]
    public void AddingAStepRepeatedlyInClosedFormRoundsAsAddingItOneByOne()
    {
        // A sparse row's read conductance adds its runs of level-0 cells in closed form: it must equal the
        // additions one by one to the last bit, for sums and steps of a crossbar's size, for steps that are
        // ties on a binade's grid (their rounding depends on the sum's parity), and for any doubles.
        var ties = Gen.Select(Gen.Double[1, 2], Gen.Long[0, 1L << 20], (x, k) => (X: x, Step: (2 * k + 1) * Math.ScaleB(1.0, -53)));
        var onGrid = Gen.Select(Gen.Double[1, 2], Gen.Long[1, 1L << 30], (x, k) => (X: x, Step: k * Math.ScaleB(1.0, -52)));
        var sized = Gen.Select(Gen.OneOf(Gen.Const(0.0), Gen.Double[0, 1e-2]), Gen.Double[1e-12, 1e-3], (x, step) => (X: x, Step: step));
        var any = Gen.Select(Gen.Double, Gen.Double, (x, step) => (X: x, Step: step));
        Gen.Select(Gen.OneOf(sized, sized, ties, onGrid, any), Gen.Int[0, 3000]).Sample(c =>
        {
            var ((x, step), n) = c;
            var plain = x;
            for (var k = 0; k < n; k++) plain += step;
            return BitConverter.DoubleToInt64Bits(CrossbarArray.AddRepeatedly(x, step, n)) == BitConverter.DoubleToInt64Bits(plain);
        }, iter: 3000);
    }

    [Test]
    public void BothStoragesHoldTheSameCellsAndReadTheSameCurrents()
    {
        Cases.Sample(c =>
        {
            var (dense, sparse, device, _) = Program(c);
            Assert.That(dense.SparseStorage, Is.False);
            Assert.That(sparse.SparseStorage, Is.True);
            Assert.That(sparse.Stats, Is.EqualTo(dense.Stats), "programming statistics");
            Assert.That(Bits(sparse.Conductances), Is.EqualTo(Bits(dense.Conductances)), "programmed conductances");
            Assert.That(sparse.QuantisedSteps(), Is.EqualTo(dense.QuantisedSteps()));
            Assert.That(sparse.CellsOnLevels, Is.EqualTo(dense.CellsOnLevels), $"cells on levels, {c}");
            Assert.That(sparse.StoredCells, Is.LessThanOrEqualTo(dense.StoredCells));
            for (var r = 0; r < c.Rows; r++)
                foreach (var access in new[] { 25e3, 0 })
                    Assert.That(BitConverter.DoubleToInt64Bits(sparse.RowReadConductance(r, access)), Is.EqualTo(BitConverter.DoubleToInt64Bits(dense.RowReadConductance(r, access))));

            var pick = new DeterministicRandom(c.Seed + 2);
            for (var read = 0; read < 4; read++)
            {
                var active = Enumerable.Range(0, c.Rows).Where(_ => pick.NextDouble() < 0.5).ToArray();
                var a = new double[dense.PhysicalColumns];
                var b = new double[sparse.PhysicalColumns];
                dense.ReadCurrents(active, a, new DeterministicRandom(c.Seed + 3 + (ulong)read));
                sparse.ReadCurrents(active, b, new DeterministicRandom(c.Seed + 3 + (ulong)read));
                Assert.That(Bits(b), Is.EqualTo(Bits(a)), $"currents of rows [{string.Join(',', active)}]");
                for (var column = 0; column < dense.PhysicalColumns; column++)
                    Assert.That(sparse.ActiveColumnConductance(active, column), Is.EqualTo(dense.ActiveColumnConductance(active, column)));
                var inputs = Enumerable.Range(0, c.Rows).Select(_ => pick.NextInt(8)).ToArray();
                dense.ReadBitSerial(inputs, 3, a, new DeterministicRandom(c.Seed + 9));
                sparse.ReadBitSerial(inputs, 3, b, new DeterministicRandom(c.Seed + 9));
                Assert.That(Bits(b), Is.EqualTo(Bits(a)), "bit-serial read");
            }
        }, iter: 300);
    }

    [Test]
    public void MacrosOnBothStoragesComputeAndCountTheSame()
    {
        Cases.Sample(c =>
        {
            var (dense, sparse, device, crossbar) = Program(c);
            MacroParameters Parameters(CrossbarParameters x) => new()
            {
                Crossbar = x,
                Device = device.Parameters,
                Adc = new AdcParameters { Bits = 4, TechnologyNm = 32 },
                ParallelRows = 8,
                ColumnsPerAdc = 8,
                ClockHz = 1e9,
                AccessResistanceOhm = 25e3,
            };
            var ledgerA = new Ledger();
            var ledgerB = new Ledger();
            var macroA = new RramMacro(Parameters(crossbar with { SparseStorageMaxOccupancy = 0 }), dense, 1e9, ledgerA, "layer", 0.75);
            // The sparse macro shares its buffers with a bigger one, as a chip's macros do.
            var scratch = new MacroScratch(256, 128, 32);
            var macroB = new RramMacro(Parameters(crossbar with { SparseStorageMaxOccupancy = 1 }), sparse, 1e9, ledgerB, "layer", 0.75, scratch);
            var pick = new DeterministicRandom(c.Seed + 5);
            for (var op = 0; op < 6; op++)
            {
                var active = Enumerable.Range(0, c.Rows).Where(_ => pick.NextDouble() < (op % 3 == 0 ? 0.05 : 0.4)).ToArray();
                var force = op % 2 == 1;
                var a = new double[c.Columns];
                var b = new double[c.Columns];
                var opA = macroA.Execute(active, op * 100, a, new DeterministicRandom(c.Seed + 7 + (ulong)op), forceFullPath: force);
                var touchedA = macroA.Touched.ToArray();
                var opB = macroB.Execute(active, op * 100, b, new DeterministicRandom(c.Seed + 7 + (ulong)op), forceFullPath: force);
                Assert.That(opB, Is.EqualTo(opA));
                Assert.That(Bits(b), Is.EqualTo(Bits(a)), $"outputs of rows [{string.Join(',', active)}], full path {force}");
                Assert.That(macroB.Touched.ToArray(), Is.EqualTo(touchedA));
            }
            Assert.That(ledgerB.Entries().Select(e => (e.Key, e.Count)), Is.EqualTo(ledgerA.Entries().Select(e => (e.Key, e.Count))));
        }, iter: 200);
    }

    [Test]
    public void ASparseArrayKeepsOnlyItsCellsAboveLevelZero()
    {
        // 3 weights of 4 magnitude steps each (binary cells, 2 bits: digits 1 and 1) on differential pairs: 6 cells.
        var device = new RramDevice(new RramDeviceParameters());
        var crossbar = new CrossbarParameters { Rows = 512, Columns = 512, WeightBits = 2 };
        var array = CrossbarArray.ProgramSparse([0, 7, 300], [3, 100, 127], [1f, -1f, 1f], 400, 128, crossbar, device, new DeterministicRandom(1));
        Assert.Multiple(() =>
        {
            Assert.That(array.SparseStorage, Is.True);
            Assert.That(array.StoredCells, Is.EqualTo(6));
            Assert.That(array.Stats.CellsProgrammed, Is.EqualTo(400L * 512));
            Assert.That(array.CellConductance(7, 100 * 4 + 1), Is.EqualTo(device.GMax), "the negative cell of slice 0");
            Assert.That(array.CellConductance(7, 100 * 4 + 3), Is.EqualTo(device.GMax), "the negative cell of slice 1");
            Assert.That(array.CellConductance(7, 100 * 4), Is.EqualTo(device.GMin));
            Assert.That(array.CellConductance(399, 511), Is.EqualTo(device.GMin));
        });
    }

    [Test]
    public void LevelZeroCellsAreCountedAtTheirExpectedProgrammingActivity()
    {
        // Ideal cells, pulse spread 0.25, tolerance 5 %: a level-0 pulse is accepted unless it overshoots by
        // more than 5 % (it is clamped at GMin from below): p = Phi(0.05 / 0.25), pulses (1 - (1 - p)^20) / p.
        var device = new RramDevice(new RramDeviceParameters());
        var p = 0.5792597094391030; // Phi(0.2)
        var expected = (1 - Math.Pow(1 - p, 20)) / p;
        Assert.That(device.LevelZeroProgramming.Pulses, Is.EqualTo(expected).Within(1e-6));
        var crossbar = new CrossbarParameters { Rows = 64, Columns = 64 };
        var array = CrossbarArray.Program(new float[64 * 32], 64, 32, crossbar, device, new DeterministicRandom(3));
        Assert.That(array.Stats.Pulses, Is.EqualTo((long)Math.Round(64 * 64 * expected)));
        // Measured over many level-0 cells, the counter-based write-verify loop agrees with the expectation.
        var mean = Enumerable.Range(0, 20000).Average(i => device.Program(0, 42, i / 100, i % 100).Pulses);
        Assert.That(mean, Is.EqualTo(expected).Within(0.03));
    }
}
