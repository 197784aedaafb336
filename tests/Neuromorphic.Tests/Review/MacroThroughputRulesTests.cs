using CsCheck;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;
using NUnit.Framework;

namespace Neuromorphic.Tests.Review;

/// <summary>
/// Where a macro's documented back-to-back rate holds (<see cref="MacroUnit"/>'s summary, docs/architecture.md: n reads
/// from idle end after D + R + S + (n - 1) max(D, R), one read per max(drive + settle, conversions)). Each read's word
/// lines are driven on a macro clock edge (every E base cycles) while its sample is taken when the ADC bank frees, which
/// need not be an edge. With D whole macro cycles (as the chip's are: drive and settle are counted in macro cycles) the
/// closed form is exact when the array sets the pace (R &lt;= D), when R is whole macro cycles, or when R &gt;= D + E - 1 (a
/// drive, at most E - 1 cycles late, has settled before the bank frees); otherwise a read can wait up to E - 1 cycles
/// for its edge and the macro ends later, by at most (n - 1)(E - 1). The functional macro's timeline, RramMacro (what
/// `inspect` reports), drives on edges too and ends there with the chip (checked below on the example, and on random
/// macros and operations in <see cref="MacroTimelineAgreementTests"/>); every preset's macros, at any number of conversion
/// rounds, are in the exact cases (checked below).
/// </summary>
public sealed class MacroThroughputRulesTests
{
    private sealed class Client : IUnitClient
    {
        public void Completed(long token, Scheduler scheduler) { }
    }

    /// <summary>Queues the reads on the macro from a kernel event at the request's cycle.</summary>
    private sealed class Requester(MacroUnit macro, int reads) : IComponent
    {
        public long Done { get; private set; }

        public void OnEvent(in SimEvent ev, Scheduler scheduler) => Done = macro.Reserve(scheduler, reads);
    }

    /// <summary>When <paramref name="reads"/> reads queued at <paramref name="at"/> on an idle macro end.</summary>
    private static long Done(long driveSettle, long convert, long shiftAdd, long edge, int reads, long at)
    {
        var scheduler = new Scheduler();
        var macro = new MacroUnit(scheduler, new UnitStatistics("m", "macro"), driveSettle, convert, shiftAdd, edge, new Client());
        var requester = new Requester(macro, reads);
        scheduler.ScheduleAt(scheduler.Register(requester), at);
        scheduler.RunUntilIdle();
        return requester.Done;
    }

    [Test]
    public void Back_to_back_reads_keep_the_closed_form_where_it_holds_and_are_late_by_less_than_an_edge_a_read_elsewhere()
    {
        long exact = 0, late = 0;
        Gen.Select(Gen.Int[1, 5], Gen.Int[0, 4], Gen.Int[1, 60], Gen.Int[0, 8], Gen.Int[1, 20], Gen.Int[0, 30]).Sample((edge, macroCycles, convert, shiftAdd, reads, at) =>
        {
            long d = macroCycles * edge, r = convert, s = shiftAdd, e = edge;
            var first = (at + e - 1) / e * e; // the first drive: the first edge from the request
            var closed = d + r + s + (reads - 1) * Math.Max(d, r);
            var took = Done(d, r, s, e, reads, at) - first;
            if (r <= d || r % e == 0 || r >= d + e - 1)
            {
                Interlocked.Increment(ref exact);
                return took == closed;
            }
            if (took > closed) Interlocked.Increment(ref late);
            return took >= closed && took <= closed + (reads - 1) * (e - 1);
        }, iter: 3000);
        // Both kinds of case must be met (else the property shows nothing about one of them).
        Assert.That(exact, Is.GreaterThan(1000));
        Assert.That(late, Is.GreaterThan(20));
    }

    /// <summary>A macro on a 1 GHz base clock (programmed with seeded weights) built as the chip builds its macros.</summary>
    private static RramMacro Macro(MacroParameters p, int rows, int logicalColumns)
    {
        var chip = new ChipModel(new ArchitectureSpec { Name = "review", TechnologyNm = 40, BaseClockHz = 1e9, Macro = p });
        var rng = new DeterministicRandom(7);
        var weights = Enumerable.Range(0, rows * logicalColumns).Select(_ => (float)rng.NextDouble(-1, 1)).ToArray();
        return chip.CreateMacro(CrossbarArray.Program(weights, rows, logicalColumns, p.Crossbar, chip.Device, rng), new Ledger(), "layer");
    }

    [Test]
    public void The_functional_macros_timeline_reads_as_late_as_the_chips_timing_where_reads_wait_for_their_edges()
    {
        // D = (1 drive + 1 settle) x 5 (a 200 MHz macro clock on 1 GHz) = 10; R = 2 rounds (2 columns per ADC) of a 5-bit
        // SAR's 6 ns = 12; S = 1 macro cycle = 5. Three groups (rows 0, 16, 32 with 16 parallel rows).
        var p = EdgeWaitMacro.Parameters(shiftAddCycles: 1);
        var macro = Macro(p, 64, 16);
        Assert.That(macro.ConversionCycles, Is.EqualTo(6));
        var op = macro.Execute([0, 16, 32], 0, new double[16], null);
        Assert.That(op.ActiveGroups, Is.EqualTo(3));
        // The chip's timing of the same reads: read 3 is taken at 22 and drives on the edge at 25, so the conversions end at
        // 47 (Conversions_between_whole_macro_cycles_make_a_read_wait_for_its_edge) and the shift-add at 52, a cycle after
        // the closed form's 10 + 2 x 12 + 12 + 5 = 51. What `inspect` reports, the functional macro's timeline: the same 52.
        Assert.That(Done(10, 12, 5, 5, 3, 0), Is.EqualTo(52));
        Assert.That(op.End, Is.EqualTo(52));
    }

    [Test]
    public void Every_preset_reads_back_to_back_at_the_closed_forms_rate()
    {
        // The chip's macro timings as the executor builds them (MacroTiming.Of: pipelined, D = (drive + settle) x E, R = the
        // macro's conversion cycles x its rounds, min(physical columns, columns per ADC), any of 1 .. columns per ADC;
        // synchronous, D = rounds x NeuroSim's clock and R = 0, back to back one read per D, as the closed form says).
        // Every preset: the architectures and the run configurations' own (a run may change its architecture's macro).
        var specs = Presets.ArchitectureNames.Select(n => (n, ArchitectureLoader.Load(n)))
            .Concat(Presets.RunNames.Select(n => (n, RunConfigLoader.Load(n).Architecture))).ToList();
        Assert.That(specs, Has.Count.EqualTo(Presets.Names.Count).And.Count.GreaterThan(5));
        foreach (var (name, spec) in specs)
        {
            var e = (long)Math.Round(spec.BaseClockHz / spec.Macro.ClockHz);
            var chip = new ChipModel(spec);
            var rng = new DeterministicRandom(1);
            var array = CrossbarArray.Program([0.5f], 1, 1, spec.Macro.Crossbar, chip.Device, rng);
            var macro = chip.CreateMacro(array, new Ledger(), "layer");
            for (var rounds = 1; rounds <= spec.Macro.ColumnsPerAdc; rounds++)
            {
                var timing = MacroTiming.Of(name, macro, spec.Macro, rounds, e);
                var (d, r) = (timing.DriveSettle, timing.Convert);
                if (!timing.Synchronous) Assert.That((d, r), Is.EqualTo(((spec.Macro.DriveCycles + spec.Macro.SettleCycles) * e, macro.ConversionCycles * rounds)));
                Assert.That(r <= d || r % e == 0 || r >= d + e - 1, $"preset {name}: D = {d}, R = {r} ({rounds} rounds), E = {e}: reads would wait for edges");
            }
        }
    }

    [Test]
    public void Conversions_between_whole_macro_cycles_make_a_read_wait_for_its_edge()
    {
        // D = 10 (two macro cycles of 5), R = 12: read 1 drives at 0, is sampled at 10, converted by 22; read 2 drives at 10
        // (the array freed on an edge), settles by 20, is sampled when the bank frees at 22, converted by 34; read 3 is
        // taken at 22 but drives on the edge at 25, settles by 35 (the bank is free from 34), converted by 47: one cycle
        // later than the closed form's 10 + 12 + 2 x 12 = 46.
        Assert.That(Done(10, 12, 0, 5, 3, 0), Is.EqualTo(47));
        // R = 15 >= D + E - 1: the bank sets the pace, a read every 15 cycles.
        Assert.That(Done(10, 15, 0, 5, 3, 0), Is.EqualTo(10 + 15 + 2 * 15));
    }
}
