using Neuromorphic.Arch.Execution;
using NUnit.Framework;

namespace Neuromorphic.Tests.Execution;

/// <summary>
/// The agenda's second and third lanes take an item that comes before their tail by inserting it in its place (a few items
/// moved) instead of sending it to the calendar; one that would move more than <see cref="UnitAgenda.MaxInsertShift"/>
/// still goes to the calendar. Either way items come out in (cycle, posting) order (the property test in ChipTimingTests
/// checks that on random posts); here, by hand, which side holds each item and the order of ties.
/// </summary>
public class UnitAgendaInsertTests
{
    private static List<(long Cycle, int Payload, int Source)> Drain(UnitAgenda agenda)
    {
        var order = new List<(long, int, int)>();
        while (agenda.TryPeek(out var cycle, out int source))
        {
            int payload;
            if (source == UnitAgenda.InLane) payload = agenda.PopLane();
            else if (source == UnitAgenda.InCalendar) agenda.PopCalendar(out _, out payload);
            else agenda.PopSoon(source, out _, out payload);
            order.Add((cycle, payload, source));
        }
        return order;
    }

    [Test]
    public void An_item_before_the_lanes_tail_is_inserted_after_every_item_at_or_before_its_cycle()
    {
        var agenda = new UnitAgenda();
        agenda.PostSoon(UnitAgenda.InLater, 100, 3, 0);
        agenda.PostSoon(UnitAgenda.InLater, 50, 3, 1);  // before the tail: inserted at the head
        agenda.PostSoon(UnitAgenda.InLater, 50, 3, 2);  // a tie: after the item posted before it
        agenda.PostSoon(UnitAgenda.InLater, 75, 3, 3);  // between
        agenda.PostSoon(UnitAgenda.InLater, 100, 3, 4); // at the tail's cycle: appended after it
        agenda.Post(50, 0, 5);                          // the calendar, same cycle, posted later: after both 50s
        agenda.PostSoon(UnitAgenda.InSoon, 75, 2, 6);   // the other lane, tied with item 3, posted later
        Assert.That(Drain(agenda), Is.EqualTo(new List<(long, int, int)>
        {
            (50, 1, UnitAgenda.InLater), (50, 2, UnitAgenda.InLater), (50, 5, UnitAgenda.InCalendar),
            (75, 3, UnitAgenda.InLater), (75, 6, UnitAgenda.InSoon), (100, 0, UnitAgenda.InLater), (100, 4, UnitAgenda.InLater),
        }));
    }

    [Test]
    public void An_item_that_would_move_more_than_the_most_goes_to_the_calendar()
    {
        var agenda = new UnitAgenda();
        var shift = UnitAgenda.MaxInsertShift;
        // shift + 1 items after cycle 10 in the lane (wrapping its ring of 64 once it has turned): one more item at 10 would move them all.
        for (var k = 0; k < 60; k++) agenda.PostSoon(UnitAgenda.InSoon, 0, 2, 1000 + k);
        for (var k = 0; k < 60; k++) agenda.PopSoon(UnitAgenda.InSoon, out _, out _);
        for (var k = 0; k <= shift; k++) agenda.PostSoon(UnitAgenda.InSoon, 20 + k, 2, k);
        agenda.PostSoon(UnitAgenda.InSoon, 10, 2, 100);                // would move shift + 1: the calendar
        agenda.PostSoon(UnitAgenda.InSoon, 20 + shift - 1, 2, 101); // moves 1: inserted, across the ring's end
        var expected = new List<(long, int, int)> { (10, 100, UnitAgenda.InCalendar) };
        for (var k = 0; k <= shift; k++)
        {
            expected.Add((20 + k, k, UnitAgenda.InSoon));
            if (k == shift - 1) expected.Add((20 + k, 101, UnitAgenda.InSoon));
        }
        Assert.That(Drain(agenda), Is.EqualTo(expected));
    }
}
