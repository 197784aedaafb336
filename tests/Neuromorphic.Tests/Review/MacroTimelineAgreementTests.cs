using CsCheck;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Hw.Subarray;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;
using NUnit.Framework;

namespace Neuromorphic.Tests.Review;

/// <summary>
/// The functional macro's timeline (<see cref="RramMacro"/>, what <c>inspect</c> reports) and the chip's cycle-level macro
/// (<see cref="MacroUnit"/>, driven through the kernel as the executor drives it) give the same end for every operation:
/// both drive each row group's word lines on a macro clock edge, sample when the ADC bank frees and convert all columns.
/// The case where they once differed (conversions between drive + settle and drive + settle + an edge less a cycle, not a
/// whole number of macro cycles: reads wait for their edges) is met on purpose. Both read timings: pipelined, and NeuroSim's
/// synchronous clock (each read holds array and ADCs together for a synchronous cycle per round, no overlap, only an
/// operation's arrival on a macro edge), which the executor once timed as pipelined. The chip's unit is built as the
/// executor builds it (<see cref="MacroTiming.Of"/>).
/// </summary>
public sealed class MacroTimelineAgreementTests
{
    private const double BaseClockHz = 1e9;

    private sealed class Client : IUnitClient
    {
        public void Completed(long token, Scheduler scheduler) { }
    }

    /// <summary>Queues one operation's reads on the macro from a kernel event at its ready cycle.</summary>
    private sealed class Requester(MacroUnit macro, int reads) : IComponent
    {
        public long Done { get; private set; } = -1;

        public void OnEvent(in SimEvent ev, Scheduler scheduler) => Done = macro.Reserve(scheduler, reads);
    }

    /// <summary>
    /// What one sample varies: the macro's clocks, timing knobs and geometry, and its operations. <c>Conversion</c> is the
    /// base cycles one conversion should take at the ADC clock <c>AdcClockHz</c>, worked out when the sample is drawn.
    /// </summary>
    private sealed record Case(int Edge, int Drive, int Settle, int ShiftAdd, AdcKind Kind, int AdcBits, double AdcClockHz, long Conversion,
        int ColumnsPerAdc, int ParallelRows, int Groups, int LogicalColumns, bool SkipEmpty, (int[] Rows, long Ready)[] Operations, ulong Seed,
        bool Synchronous = false);

    private static MacroParameters Parameters(Case c) => new()
    {
        Crossbar = new CrossbarParameters { Rows = c.ParallelRows * c.Groups, Columns = 64, WeightBits = 2, SignedWeights = SignedWeightScheme.DifferentialPair },
        Device = new RramDeviceParameters { BitsPerCell = 1 },
        Adc = new AdcParameters { Kind = c.Kind, Bits = c.AdcBits, ClockHz = c.AdcClockHz, TechnologyNm = 40, ReadVoltage = 0.2 },
        ParallelRows = c.ParallelRows,
        ColumnsPerAdc = c.ColumnsPerAdc,
        ClockHz = BaseClockHz / c.Edge,
        DriveCycles = c.Drive,
        SettleCycles = c.Settle,
        ShiftAddCycles = c.ShiftAdd,
        SkipEmptyRowGroups = c.SkipEmpty,
        Timing = c.Synchronous ? ReadTiming.NeuroSimSynchronous : ReadTiming.Pipelined,
    };

    /// <summary>The functional macro of <paramref name="p"/> on a 1 GHz base clock, programmed with seeded random weights as the chip programs one.</summary>
    private static RramMacro Macro(MacroParameters p, int rows, int logicalColumns, ulong seed)
    {
        var chip = new ChipModel(new ArchitectureSpec { Name = "agreement", TechnologyNm = 40, BaseClockHz = BaseClockHz, Macro = p });
        var rng = new DeterministicRandom(seed);
        var weights = Enumerable.Range(0, rows * logicalColumns).Select(_ => rng.NextDouble() < 0.4 ? 0f : (float)rng.NextDouble(-1, 1)).ToArray();
        return chip.CreateMacro(CrossbarArray.Program(weights, rows, logicalColumns, p.Crossbar, chip.Device, rng), new Ledger(), "layer");
    }

    /// <summary>When each operation's last read ends on a <see cref="MacroUnit"/> of these times, the operations queued at their ready cycles.</summary>
    private static long[] ChipEnds(long driveSettle, long convert, long shiftAdd, long edge, IReadOnlyList<(int Reads, long Ready)> operations) =>
        ChipEnds(new MacroTiming("m", driveSettle, convert, shiftAdd, edge), operations);

    /// <inheritdoc cref="ChipEnds(long, long, long, long, IReadOnlyList{ValueTuple{int, long}})"/>
    private static long[] ChipEnds(MacroTiming timing, IReadOnlyList<(int Reads, long Ready)> operations)
    {
        var scheduler = new Scheduler();
        var macro = timing.CreateUnit(scheduler, new Client());
        var requesters = operations.Select(o =>
        {
            var requester = new Requester(macro, o.Reads);
            scheduler.ScheduleAt(scheduler.Register(requester), o.Ready);
            return requester;
        }).ToList();
        scheduler.RunUntilIdle();
        return requesters.Select(r => r.Done).ToArray();
    }

    /// <summary>
    /// The ends the operations would have if each read drove as soon as the array freed, edge or not (only the operation's
    /// first drive on an edge): the rule the functional macro had before session 28, kept to show which samples meet the
    /// case where it differs.
    /// </summary>
    private static long[] AsSoonAsFree(long driveSettle, long convert, long shiftAdd, long edge, IReadOnlyList<(int Reads, long Ready)> operations)
    {
        long arrayFree = 0, bankFree = 0;
        return operations.Select(o =>
        {
            var drive = Math.Max((o.Ready + edge - 1) / edge * edge, arrayFree);
            for (var k = 0; k < o.Reads; k++)
            {
                var sampled = Math.Max(drive + driveSettle, bankFree);
                (arrayFree, bankFree, drive) = (sampled, sampled + convert, sampled);
            }
            return bankFree + shiftAdd;
        }).ToArray();
    }

    private static readonly Gen<(int[] Rows, long Ready)[]> Operations =
        from count in Gen.Int[1, 6]
        from ops in Gen.Select(Gen.Int[0, 63].HashSet[1, 24], Gen.Int[0, 40], Gen.Bool).Array[count]
        select Sequence(ops);

    /// <summary>Ready cycles growing by the gaps; a single row now and then (the functional macro's one-row path).</summary>
    private static (int[] Rows, long Ready)[] Sequence((HashSet<int> Rows, int Gap, bool Single)[] ops)
    {
        long ready = 0;
        return ops.Select(o => (o.Single ? [o.Rows.Min()] : o.Rows.Order().ToArray(), ready += o.Gap)).ToArray();
    }

    /// <summary>
    /// Random macros; in about half of them with an edge of 3 or more, conversions picked between drive + settle and drive +
    /// settle + an edge less a cycle (one column per ADC, the ADC clock set to give them), where reads wait for their edges.
    /// The other ADC clocks are ratios of the base clock (numerator / denominator): conversions of any whole number of cycles.
    /// A third of the macros read synchronously, on macro clocks up to 24 base cycles, so that reads shorter than an edge (a
    /// synchronous cycle per round) are met too.
    /// </summary>
    private static readonly Gen<Case> Cases =
        from edge in Gen.Int[1, 8]
        from drive in Gen.Int[0, 3]
        from settle in Gen.Int[0, 3]
        from shiftAdd in Gen.Int[0, 2]
        from kind in Gen.Frequency((4, Gen.Const(AdcKind.Sar)), (1, Gen.Const(AdcKind.Flash)))
        from bits in Gen.Int[1, 6]
        from numerator in Gen.Int[1, 4]
        from denominator in Gen.Int[1, 4]
        from targeted in Gen.Bool
        from offset in Gen.Int[0, 5]
        from columnsPerAdc in Gen.Int[1, 6]
        from parallelRows in Gen.OneOf(Gen.Const(1), Gen.Const(2), Gen.Const(4), Gen.Const(8))
        from groups in Gen.Int[1, 8]
        from logical in Gen.Int[1, 3]
        from skip in Gen.Frequency((3, Gen.Const(true)), (1, Gen.Const(false)))
        from ops in Operations
        from seed in Gen.ULong
        from synchronous in Gen.Frequency((2, Gen.Const(false)), (1, Gen.Const(true)))
        select Draw(edge, drive, settle, shiftAdd, kind, bits, numerator, denominator, targeted && edge >= 3 && !synchronous, offset, columnsPerAdc,
            parallelRows, groups, logical, skip, ops, seed) with { Synchronous = synchronous, Edge = synchronous ? 3 * edge : edge };

    private static Case Draw(int edge, int drive, int settle, int shiftAdd, AdcKind kind, int bits, int numerator, int denominator, bool targeted,
        int offset, int columnsPerAdc, int parallelRows, int groups, int logical, bool skip, (int[] Rows, long Ready)[] ops, ulong seed)
    {
        var adcCycles = kind == AdcKind.Sar ? bits + 1 : 1; // a SAR takes bits + 1 ADC cycles, a flash one
        if (targeted)
        {
            // R = D + 1 .. D + E - 2 with one round: never a multiple of E (D is).
            var conversion = (drive + settle) * edge + 1 + offset % (edge - 2);
            return new Case(edge, drive, settle, shiftAdd, kind, bits, BaseClockHz * adcCycles / conversion, conversion, 1, parallelRows, groups,
                logical, skip, ops, seed);
        }
        // adcCycles / (base x numerator / denominator) seconds, rounded up to base cycles.
        return new Case(edge, drive, settle, shiftAdd, kind, bits, BaseClockHz * numerator / denominator,
            ((long)adcCycles * denominator + numerator - 1) / numerator, columnsPerAdc, parallelRows, groups, logical, skip, ops, seed);
    }

    [Test]
    public void The_functional_macros_timeline_ends_every_operation_when_the_chips_macro_unit_does()
    {
        long late = 0, samples = 0, synchronous = 0, unitRuleNeeded = 0;
        Cases.Sample(c =>
        {
            var rows = c.ParallelRows * c.Groups;
            var p = Parameters(c);
            var macro = Macro(p, rows, c.LogicalColumns, c.Seed);
            var ops = c.Operations.Select(o => (Rows: o.Rows.Where(r => r < rows).ToArray(), o.Ready)).Where(o => o.Rows.Length > 0).ToList();
            if (ops.Count == 0) return true;
            // The chip's times worked out here from the knobs: D and S whole macro cycles, R = one conversion's base cycles x
            // rounds (one per column an ADC serves, at most the columns there are); synchronous, T = NeuroSim's clock in base
            // cycles (rounded up) x rounds. The chip's unit is the executor's (MacroTiming.Of), checked against them.
            long e = c.Edge, d = (c.Drive + c.Settle) * e, s = c.ShiftAdd * e;
            var rounds = Math.Min(macro.Array.PhysicalColumns, c.ColumnsPerAdc);
            var r = c.Conversion * rounds;
            var t = (long)Math.Ceiling(RramMacro.SynchronousClockNs(p, macro.Array) - 1e-9) * rounds; // 1 GHz: ns = cycles
            var timing = MacroTiming.Of("m", macro, p, rounds, e);
            var expected = c.Synchronous ? new MacroTiming("m", t, 0, s, e, true) : new MacroTiming("m", d, r, s, e);
            var reads = ops.Select(o => c.SkipEmpty ? o.Rows.Select(x => x / c.ParallelRows).Distinct().Count() : c.Groups).ToArray();
            var queued = ops.Select((o, k) => (reads[k], o.Ready)).ToList();
            var chip = ChipEnds(timing, queued);
            var functional = ops.Select(o => macro.Execute(o.Rows, o.Ready, new double[c.LogicalColumns], null)).ToList();
            Interlocked.Increment(ref samples);
            if (c.Synchronous)
            {
                Interlocked.Increment(ref synchronous);
                // Where the pipelined rule's best stand-in (no drive stage, T of conversions) ends elsewhere, the unit's
                // synchronous rule is needed: it rounds only the arrival up to an edge, not the time the macro frees.
                if (!ChipEnds(new MacroTiming("m", 0, t, s, e), queued).SequenceEqual(chip)) Interlocked.Increment(ref unitRuleNeeded);
            }
            // Where driving as soon as the array frees (the functional macro's rule before session 28) would end sooner, reads
            // waited for their edges: the case where the two models once disagreed.
            else if (!AsSoonAsFree(d, r, s, e, queued).SequenceEqual(chip)) Interlocked.Increment(ref late);
            return macro.ConversionCycles == c.Conversion
                && timing == expected
                && functional.Select(f => f.ActiveGroups).SequenceEqual(reads)
                && functional.Select(f => f.End).SequenceEqual(chip);
        }, iter: 2000);
        TestContext.Out.WriteLine($"{late} of {samples - synchronous} pipelined samples with reads that wait for their edge; "
            + $"{unitRuleNeeded} of {synchronous} synchronous samples the pipelined rule cannot time");
        // Every kind of case met: reads that wait for an edge (where the two once disagreed), the rest, synchronous macros, and
        // synchronous macros whose reads the pipelined rule would round up to edges.
        Assert.That(late, Is.GreaterThan(150), $"{late} of {samples} samples where reads wait for their edge: too few");
        Assert.That(samples - synchronous - late, Is.GreaterThan(500), $"{samples - synchronous - late} of {samples} samples where no read waits for its edge: too few");
        Assert.That(synchronous, Is.GreaterThan(400), $"{synchronous} of {samples} synchronous samples: too few");
        Assert.That(unitRuleNeeded, Is.GreaterThan(20), $"{unitRuleNeeded} of {synchronous} synchronous samples the pipelined rule cannot time: too few");
    }

    [Test]
    public void Three_reads_with_conversions_between_macro_cycles_end_at_the_hand_counted_cycle()
    {
        // D = (1 drive + 1 settle) x E = 10 with E = 5 (a 200 MHz macro clock on 1 GHz); R = 2 rounds (2 columns per ADC) of
        // a 5-bit SAR's 6 ns = 12; no shift-add. By hand, each read driven on a multiple of 5:
        //   read 1: drives at 0, settles by 10, sampled at 10 (the bank is idle), converted by 10 + 12 = 22; array free at 10.
        //   read 2: taken at 10, an edge: drives at 10, settles by 20, waits for the bank (free at 22): sampled at 22,
        //           converted by 34; array free at 22.
        //   read 3: taken at 22, between edges: drives at 25, settles by 35 (the bank has been free since 34): sampled at 35,
        //           converted by 47.
        // So 47, one cycle after the closed form's 10 + 12 + 2 x max(10, 12) = 46.
        var p = EdgeWaitMacro.Parameters(shiftAddCycles: 0);
        var macro = Macro(p, 64, 16, 7);
        Assert.That(macro.ConversionCycles, Is.EqualTo(6));
        var op = macro.Execute([0, 16, 32], 0, new double[16], null);
        Assert.That((op.Start, op.End, op.ActiveGroups), Is.EqualTo((0L, 47L, 3)));
        Assert.That(ChipEnds(10, 12, 0, 5, [(3, 0)]), Is.EqualTo(new[] { 47L }));
        // A fourth operation of one read queued at once behind them: taken at 35, drives on the edge at 35, settles by 45,
        // sampled when the bank frees at 47, converted by 59.
        var next = macro.Execute([48], 0, new double[16], null);
        Assert.That((next.Start, next.End), Is.EqualTo((35L, 59L)));
    }
}
