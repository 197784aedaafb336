using CsCheck;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Review;

/// <summary>
/// Where a macro's documented back-to-back rate holds (<see cref="MacroUnit"/>'s summary, docs/architecture.md: n reads
/// from idle end after D + R + S + (n - 1) max(D, R), one read per max(drive + settle, conversions)). Each read's word
/// lines are driven on a macro clock edge (every E base cycles) while its sample is taken when the ADC bank frees, which
/// need not be an edge. With D whole macro cycles (as the chip's are: drive and settle are counted in macro cycles) the
/// closed form is exact when the array sets the pace (R &lt;= D), when R is whole macro cycles, or when R &gt;= D + E - 1 (a
/// drive, at most E - 1 cycles late, has settled before the bank frees); otherwise a read can wait up to E - 1 cycles
/// for its edge and the macro ends later, by at most (n - 1)(E - 1). (The functional macro's timeline, RramMacro, drives
/// a group as soon as the array frees, edge or not, so there the closed form holds always; the presets never meet the
/// difference: their conversions are whole macro cycles or bound the pace by an edge or more.)
/// </summary>
public class MacroThroughputRulesTests
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
