using Neuromorphic.Traces.Vcd;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces.Vcd;

/// <summary>
/// A <see cref="VcdChangeLog"/> written later, merged with late changes, gives the file a writer gives when the same
/// changes are written directly in time order; and it refuses what the writer would.
/// </summary>
public sealed class VcdChangeLogTests
{
    private sealed record Entry(long Time, int Signal, long Value, bool Pulse, bool Late);

    /// <summary>Writes the entries once through a log (the late ones merged at the end) and once directly.</summary>
    private static (string Logged, string Direct, long Bytes) Both(IReadOnlyList<Entry> entries)
    {
        string Write(bool viaLog, out long bytes)
        {
            var text = new StringWriter();
            var w = new VcdWriter(text);
            VcdSignal[] signals = [w.Wire("chip", "busy"), w.Integer("chip", "queue", 64), w.Wire("chip.n", "spike"), w.Integer("readout", "class")];
            w.EndDefinitions();
            var log = new VcdChangeLog(w);
            var late = new List<VcdChange>();
            // Directly: at one time the late changes first, as the log merges them.
            var order = viaLog ? entries : entries.OrderBy(e => e.Time).ThenBy(e => e.Late ? 0 : 1).ToList();
            foreach (var e in order)
            {
                if (viaLog && e.Late) late.Add(new VcdChange(e.Time, signals[e.Signal], e.Value));
                else if (viaLog && e.Pulse) log.Pulse(signals[e.Signal], e.Time);
                else if (viaLog) log.Change(signals[e.Signal], e.Time, e.Value);
                else if (e.Pulse) w.Pulse(signals[e.Signal], e.Time);
                else w.Change(signals[e.Signal], e.Time, e.Value);
            }
            bytes = log.Bytes;
            if (viaLog) log.WriteTo(late);
            w.Close();
            return text.ToString();
        }
        var logged = Write(true, out var used);
        return (logged, Write(false, out _), used);
    }

    [Test]
    public void Written_later_and_merged_it_is_the_direct_file()
    {
        Entry[] entries =
        [
            new(0, 1, 3, false, false), new(2, 2, 0, true, false), new(2, 0, 1, false, false), new(5, 0, 0, false, false),
            new(5, 1, 1L << 40, false, false), new(9, 2, 0, true, false),
            new(1, 3, 7, false, true), new(2, 3, 4, false, true), new(5, 0, 1, false, true), new(12, 3, 2, false, true),
        ];
        var (logged, direct, _) = Both(entries);
        Assert.That(logged, Is.EqualTo(direct));
        Assert.That(logged, Does.Contain("#12\nb10 $\n#13\n"), "late changes after the log's last entry, then the end");
        Assert.That(logged, Does.Contain("#1\nb111 $\n#2\n1!\n1#\nb100 $\n#3\n0#\n"), "a late change between two entries, and one at an entry's time");
    }

    [Test]
    public void Many_entries_span_blocks_and_take_a_few_bytes_each()
    {
        var entries = new List<Entry>();
        for (var t = 0L; t < 60_000; t++)
        {
            entries.Add(new Entry(t * 7, (int)(t % 3), t % 3 == 1 ? t * t : t % 2, t % 3 == 2, false));
            if (t % 1000 == 0) entries.Add(new Entry(t * 7 + 3, 3, t / 1000, false, true));
        }
        var (logged, direct, bytes) = Both(entries);
        Assert.That(logged, Is.EqualTo(direct));
        Assert.That(bytes, Is.GreaterThan(1 << 16), "more than one block");
        Assert.That(bytes, Is.LessThan(6 * 60_000), "at most 6 bytes an entry here");
    }

    [Test]
    public void It_refuses_what_the_writer_would_and_writes_once()
    {
        var w = new VcdWriter(new StringWriter());
        var busy = w.Wire("chip", "busy");
        var load = w.Real("chip", "load");
        var other = new VcdWriter(new StringWriter()).Wire("chip", "busy");
        w.EndDefinitions();
        var log = new VcdChangeLog(w);
        log.Change(busy, 10, 1);
        Assert.Throws<ArgumentException>(() => log.Change(busy, 9, 0), "back in time");
        Assert.Throws<ArgumentException>(() => log.Change(other, 11, 0), "another writer's signal");
        Assert.Throws<ArgumentException>(() => log.Change(load, 11, 0), "a real");
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Change(busy, 11, -1), "a negative value");
        // As the writer refuses them, at once: not when the log is written after the run.
        Assert.That(() => log.Change(busy, 11, 2), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("does not fit in the 1-bit signal"));
        Assert.Throws<ArgumentOutOfRangeException>(() => log.Pulse(busy, VcdWriter.MaxTime + 1), "after the writer's last time");
        Assert.Throws<ArgumentException>(() => log.WriteTo([new VcdChange(5, busy, 1), new VcdChange(4, busy, 0)]), "late changes back in time");
        Assert.That(log.Count, Is.EqualTo(1));
        var fresh = new VcdChangeLog(w);
        fresh.WriteTo([]);
        Assert.Throws<InvalidOperationException>(() => fresh.WriteTo([]));
        Assert.Throws<InvalidOperationException>(() => fresh.Pulse(busy, 20));
    }
}
