using CsCheck;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Macro;

/// <summary>
/// A macro keeps, per row, what never changes between reads (the row's read conductance, its exact
/// response) and finds a stored row in constant time. Those caches must give what recomputing gives:
/// a macro that has served many reads computes, counts and lists the same as a fresh macro doing the
/// read alone, and its ledger equals sums taken from the array itself — for random arrays in both
/// storages, every signed scheme, ideal devices and devices with variation, stuck cells and noise.
/// </summary>
[TestFixture]
public sealed class MacroRowCacheTests
{
    private sealed record Case(int Rows, int Columns, double Density, int WeightBits, SignedWeightScheme Scheme, int Device, bool Sparse,
        int ParallelRows, double AccessOhm, ulong Seed);

    private static readonly Gen<Case> Cases =
        Gen.Select(Gen.Int[1, 64], Gen.Int[1, 12], Gen.Double[0, 0.5], Gen.Int[1, 3],
                Gen.OneOf(SignedWeightScheme.DifferentialPair, SignedWeightScheme.ReferenceColumn, SignedWeightScheme.OffsetBinary),
                Gen.Int[0, 3], Gen.Bool, Gen.OneOf(Gen.Const(1), Gen.Const(4), Gen.Const(16)))
            .Select(Gen.OneOf(Gen.Const(0.0), Gen.Const(25e3)), Gen.ULong,
                (c, access, seed) => new Case(c.Item1, c.Item2, c.Item3, c.Item4, c.Item5, c.Item6, c.Item7, c.Item8, access, seed));

    /// <summary>Device 0 is ideal (the exact shortcut applies); 1 has programming variation; 2 stuck cells on an ideal device; 3 read noise.</summary>
    private static RramDeviceParameters DeviceOf(int kind) => kind switch
    {
        0 => new RramDeviceParameters(),
        1 => new RramDeviceParameters { ProgrammingSigma = 0.05, DeviceToDeviceSigma = 0.05 },
        2 => new RramDeviceParameters { StuckAtOnRate = 0.03, StuckAtOffRate = 0.03 },
        _ => new RramDeviceParameters { ReadNoiseSigma = 0.03 },
    };

    /// <summary>The case's random weights programmed on a 64 x 128 array, and the macro parameters that read it (1 GHz, 6-bit ADC).</summary>
    private static (CrossbarArray Array, MacroParameters Parameters) Programmed(Case c)
    {
        var device = new RramDevice(DeviceOf(c.Device));
        var rng = new DeterministicRandom(c.Seed);
        // Sparse weights leave many rows without a stored cell (the shared empty-row slot).
        var weights = Enumerable.Range(0, c.Rows * c.Columns)
            .Select(_ => rng.NextDouble() < c.Density ? (float)rng.NextDouble(-1.1, 1.1) : 0f).ToArray();
        var crossbar = new CrossbarParameters
        {
            Rows = 64, Columns = 128, WeightBits = c.WeightBits, SignedWeights = c.Scheme,
            SparseStorageMaxOccupancy = c.Sparse ? 1 : 0,
        };
        var array = CrossbarArray.Program(weights, c.Rows, c.Columns, crossbar, device, new DeterministicRandom(c.Seed + 1));
        var parameters = new MacroParameters
        {
            Crossbar = crossbar,
            Device = device.Parameters,
            Adc = new AdcParameters { Bits = 6, TechnologyNm = 32 },
            ParallelRows = c.ParallelRows,
            ColumnsPerAdc = 8,
            ClockHz = 1e9,
            AccessResistanceOhm = c.AccessOhm,
        };
        return (array, parameters);
    }

    private static long[] Bits(ReadOnlySpan<double> values) => values.ToArray().Select(BitConverter.DoubleToInt64Bits).ToArray();

    [Test]
    public void AMacroThatServedManyReadsComputesAndCountsLikeAFreshOne()
    {
        Cases.Sample(c =>
        {
            var (array, p) = Programmed(c);
            var warmLedger = new Ledger();
            var warm = new RramMacro(p, array, 1e9, warmLedger, "layer", 0.5);
            var adc = new Adc(p.Adc);
            var readUnitsPerSiemens = 1e9 * (p.DriveCycles + p.SettleCycles) / 1e9 * 1e9;
            var pick = new DeterministicRandom(c.Seed + 2);
            for (var op = 0; op < 12; op++)
            {
                // Mostly single rows (the spike-driven case), some groups; every third read on the full path.
                var active = op % 3 == 2
                    ? Enumerable.Range(0, c.Rows).Where(_ => pick.NextDouble() < 0.3).ToArray()
                    : [pick.NextInt(c.Rows)];
                var force = op % 4 == 3;
                var before = warmLedger.Entries().ToDictionary(e => e.Key, e => e.Count);
                warm.ResetTimeline();
                var a = new double[c.Columns];
                var opA = warm.Execute(active, 0, a, new DeterministicRandom(c.Seed + 9 + (ulong)op), forceFullPath: force);
                var touchedA = warm.Touched.ToArray();

                var freshLedger = new Ledger();
                var fresh = new RramMacro(p, array, 1e9, freshLedger, "layer", 0.5);
                var b = new double[c.Columns];
                var opB = fresh.Execute(active, 0, b, new DeterministicRandom(c.Seed + 9 + (ulong)op), forceFullPath: force);
                Assert.That(opA, Is.EqualTo(opB), $"operation {op}, {c}");
                Assert.That(Bits(a), Is.EqualTo(Bits(b)), $"outputs of rows [{string.Join(',', active)}], {c}");
                Assert.That(touchedA, Is.EqualTo(fresh.Touched.ToArray()), "touched columns");
                var delta = warmLedger.Entries().Select(e => (e.Key, Count: e.Count - before.GetValueOrDefault(e.Key))).Where(e => e.Count != 0);
                Assert.That(delta, Is.EquivalentTo(freshLedger.Entries().Where(e => e.Count != 0).Select(e => (e.Key, e.Count))), "ledger of the read");

                // The conductance the ledger prices, summed from the array (the rows in order, from zero).
                var groups = active.GroupBy(r => r / c.ParallelRows).ToArray();
                double conductance = 0;
                foreach (var r in active) conductance += array.RowReadConductance(r, c.AccessOhm);
                Assert.That(freshLedger.Count(MacroCosts.ArrayComponent, "layer", MacroCosts.ReadAction),
                    Is.EqualTo((long)Math.Round(conductance * readUnitsPerSiemens)), "array read units");
                Assert.That(freshLedger.Count(adc.Component, "layer", Adc.ColumnLoadAction), Is.EqualTo(adc.ColumnLoadUnits(conductance)), "column load units");
                Assert.That(opA.ActiveGroups, Is.EqualTo(groups.Length));
            }
        }, iter: 250);
    }

    /// <summary>
    /// The case's array and two macros programmed alike from it, each with its own ledger, at 250 MHz with NeuroSim's
    /// synchronous timing (even seeds) or the pipelined one (odd seeds).
    /// </summary>
    private static (CrossbarArray Array, RramMacro A, RramMacro B, Ledger LedgerA, Ledger LedgerB) TwinMacros(Case c)
    {
        var (array, programmed) = Programmed(c);
        var p = programmed with
        {
            ClockHz = 2.5e8,
            Timing = c.Seed % 2 == 0 ? Neuromorphic.Hw.Subarray.ReadTiming.NeuroSimSynchronous : Neuromorphic.Hw.Subarray.ReadTiming.Pipelined,
        };
        var (ledgerA, ledgerB) = (new Ledger(), new Ledger());
        return (array, new RramMacro(p, array, 1e9, ledgerA, "layer", 0.5), new RramMacro(p, array, 1e9, ledgerB, "layer", 0.5), ledgerA, ledgerB);
    }

    [Test]
    public void AOneRowReadTakesTheTimeAndCountsOfTheGeneralPath()
    {
        // The one-row exact read skips the group loop: on an ideal device it must advance the timeline and
        // count exactly as the general (converted) path does, and compute the same outputs.
        Cases.Where(c => c.Device is 0 or 2).Sample(c =>
        {
            var (_, a, b, ledgerA, ledgerB) = TwinMacros(c);
            var pick = new DeterministicRandom(c.Seed + 3);
            for (var op = 0; op < 6; op++)
            {
                int[] row = [pick.NextInt(c.Rows)];
                var ready = pick.NextInt(40);
                var (ya, yb) = (new double[c.Columns], new double[c.Columns]);
                var opA = a.Execute(row, ready, ya, null);
                var opB = b.Execute(row, ready, yb, null, forceFullPath: true);
                Assert.That(opA, Is.EqualTo(opB), $"operation {op}, {c}");
                Assert.That(ya, Is.EqualTo(yb).Within(1e-12), "outputs");
            }
            Assert.That(ledgerA.Entries().Select(e => (e.Key, e.Count)), Is.EqualTo(ledgerB.Entries().Select(e => (e.Key, e.Count))));
        }, iter: 150);
    }

    [Test]
    public void ReadsAppliedFromTheRowsDescriptionsComputeAndCountLikeTheMacrosReads()
    {
        // Callers that keep the rows' descriptions (the chip's records by input) add the responses and count the
        // reads themselves: on a macro whose reads are exact, that must give the macro's own outputs, bit for bit,
        // and its ledger, for one row and for several within each group's exact range (random ideal arrays, both
        // storages, every signed scheme, stuck cells, NeuroSim's synchronous timing or the pipelined one).
        var (single, several) = (0, 0);
        Cases.Where(c => c.Device is 0 or 2).Sample(c =>
        {
            var (array, a, b, ledgerA, ledgerB) = TwinMacros(c);
            if (!a.ReadsOneRowExactly) return;
            var pick = new DeterministicRandom(c.Seed + 5);
            var (columns, values) = (new List<int>(), new List<double>());
            for (var op = 0; op < 8; op++)
            {
                var rows = op % 2 == 0 ? [pick.NextInt(c.Rows)] : Enumerable.Range(0, c.Rows).Where(_ => pick.NextDouble() < 0.25).ToArray();
                if (rows.Length == 0 || rows.GroupBy(r => r / a.RowsPerGroup).Max(g => g.Count()) > a.ExactRowsPerGroup) continue;
                var ya = new double[c.Columns];
                a.Execute(rows, 0, ya, null);
                var touchedA = a.Touched.ToArray();

                var yb = new double[c.Columns];
                var touchedB = new List<int>();
                double conductance = 0;
                long readUnits = 0, loadUnits = 0;
                foreach (var r in rows)
                {
                    (columns, values) = ([], []);
                    var (read, load, g) = b.DescribeOneRowRead(r, columns, values);
                    Assert.That(g, Is.EqualTo(array.RowReadConductance(r, c.AccessOhm)), "a row's read conductance is the array's sum");
                    (readUnits, loadUnits, conductance) = (readUnits + read, loadUnits + load, conductance + g);
                    for (var k = 0; k < columns.Count; k++)
                    {
                        if (!touchedB.Contains(columns[k])) touchedB.Add(columns[k]);
                        yb[columns[k]] += values[k];
                    }
                }
                // One row: its own units; several: the units of their conductances' sum.
                b.CountReads(1, rows.Select(r => r / b.RowsPerGroup).Distinct().Count(), rows.Length);
                if (rows.Length > 1) (readUnits, loadUnits) = b.ReadUnitsOf(conductance);
                b.CountReadUnits(readUnits, loadUnits);
                Assert.That(Bits(yb), Is.EqualTo(Bits(ya)), $"outputs of rows [{string.Join(',', rows)}], {c}");
                Assert.That(touchedB, Is.EqualTo(touchedA), "columns in the order they are first added to");
                Assert.That(ledgerB.Entries().Select(e => (e.Key, e.Count)), Is.EqualTo(ledgerA.Entries().Select(e => (e.Key, e.Count))), $"ledger after read {op}");
                if (rows.Length == 1) Interlocked.Increment(ref single); else Interlocked.Increment(ref several);
            }
        }, iter: 250);
        Assert.That(single, Is.GreaterThan(200), "one-row reads compared");
        Assert.That(several, Is.GreaterThan(100), "several-row reads compared");
    }

    [Test]
    public void AStoredRowIsFoundInConstantTimeWhereABinarySearchFindsIt()
    {
        Gen.Int[0, 2000].HashSet[0, 300].Select(Gen.Int[0, 70], (set, extra) => (Rows: set.OrderBy(r => r).Select(r => (ushort)r).ToArray(), Extra: extra))
            .Sample(c =>
            {
                var store = new SparseCellStore(c.Rows, new int[c.Rows.Length + 1], [], []);
                var end = (c.Rows.Length == 0 ? 0 : c.Rows[^1]) + c.Extra;
                for (var row = -3; row <= end; row++)
                {
                    var expected = row < 0 || row > ushort.MaxValue ? -1 : Array.BinarySearch(c.Rows, (ushort)row);
                    if (store.RowIndex(row) != Math.Max(-1, expected)) return false;
                }
                return true;
            }, iter: 300);
    }
}
