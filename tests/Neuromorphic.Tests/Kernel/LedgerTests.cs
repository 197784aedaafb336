using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Kernel;

[TestFixture]
public sealed class LedgerTests
{
    [Test]
    public void RegisterIsIdempotentAndDense()
    {
        var l = new Ledger();
        int a = l.Register("macro", "fc1", "adc_convert");
        int b = l.Register("macro", "fc1", "row_drive");
        int c = l.Register("macro", "", "adc_convert");
        Assert.That((a, b, c), Is.EqualTo((0, 1, 2)));
        Assert.That(l.Register("macro", "fc1", "adc_convert"), Is.EqualTo(a));
        Assert.That(l.Register("macro", "", "adc_convert"), Is.EqualTo(c));
        Assert.That(l.KeyCount, Is.EqualTo(3));
    }

    [Test]
    public void AddAndCountByHandleAndByName()
    {
        var l = new Ledger();
        int h = l.Register("neuron", "lif1", "update");
        l.Add(h);
        l.Add(h, 41);
        l.Add(h, 0);
        Assert.That(l.Count(h), Is.EqualTo(42));
        Assert.That(l.Count("neuron", "lif1", "update"), Is.EqualTo(42));
        Assert.That(l.Count("neuron", "lif2", "update"), Is.Zero);
        Assert.That(l.Count("neuron", "LIF1", "update"), Is.Zero, "names are case-sensitive");
    }

    [Test]
    public void EntriesAreSortedOrdinallyByUnitLayerAction()
    {
        var l = new Ledger();
        string[][] keys =
        [
            ["tile1", "fc2", "b"],
            ["tile1", "fc2", "a"],
            ["tile10", "", "x"],
            ["Tile1", "fc1", "z"],
            ["tile1", "", "z"],
            ["tile1", "fc1", "z"],
            ["tile2", "a", "a"],
        ];
        for (int i = 0; i < keys.Length; i++)
        {
            l.Add(l.Register(keys[i][0], keys[i][1], keys[i][2]), i + 1);
        }

        var names = l.Entries().Select(e => e.Key.DottedName).ToList();
        // Ordinal: uppercase before lowercase; "tile1" < "tile10" < "tile2"; empty layer first.
        Assert.That(names, Is.EqualTo(new[]
        {
            "Tile1.fc1.z", "tile1.z", "tile1.fc1.z", "tile1.fc2.a", "tile1.fc2.b", "tile10.x", "tile2.a.a",
        }));
        Assert.That(l.Entries().Single(e => e.Key == new LedgerKey("tile1", "fc2", "b")).Count, Is.EqualTo(1));
    }

    [Test]
    public void Entries_follow_keys_registered_and_counts_added_after_an_earlier_call()
    {
        // Entries() keeps its sorted order between calls: a key registered later must still land in its place, and
        // counts added later must show.
        var l = new Ledger();
        var b = l.Register("u", "", "b");
        l.Add(l.Register("u", "", "d"), 4);
        Assert.That(l.Entries().Select(e => e.Key.Action), Is.EqualTo(new[] { "b", "d" }));
        l.Add(b, 2);
        l.Add(l.Register("u", "", "c"), 3);
        l.Add(l.Register("u", "", "a"), 1);
        Assert.That(l.Entries().Select(e => (e.Key.Action, e.Count)), Is.EqualTo(new[] { ("a", 1L), ("b", 2L), ("c", 3L), ("d", 4L) }));
        l.Add(b, 5);
        Assert.That(l.Entries().Select(e => e.Count), Is.EqualTo(new[] { 1L, 7L, 3L, 4L }));
        var merged = new Ledger();
        merged.Register("u", "", "z");
        merged.Entries();
        merged.AddFrom(l);
        Assert.That(merged.Entries().Select(e => e.Key.Action), Is.EqualTo(new[] { "a", "b", "c", "d", "z" }));
    }

    [Test]
    public void DottedNameOmitsAnEmptyLayer()
    {
        Assert.That(new LedgerKey("noc", "", "hop").DottedName, Is.EqualTo("noc.hop"));
        Assert.That(new LedgerKey("noc", "conv1", "hop").DottedName, Is.EqualTo("noc.conv1.hop"));
    }

    [Test]
    public void AddFromMergesByKey()
    {
        var a = new Ledger();
        var b = new Ledger();
        a.Add(a.Register("u", "l", "x"), 5);
        a.Add(a.Register("u", "l", "y"), 1);
        // b registers in a different order and has a key a lacks.
        b.Add(b.Register("v", "", "z"), 7);
        b.Add(b.Register("u", "l", "x"), 10);
        b.Register("u", "l", "w");

        a.AddFrom(b);
        Assert.That(a.Entries(), Is.EqualTo(new[]
        {
            new LedgerEntry(new LedgerKey("u", "l", "w"), 0),
            new LedgerEntry(new LedgerKey("u", "l", "x"), 15),
            new LedgerEntry(new LedgerKey("u", "l", "y"), 1),
            new LedgerEntry(new LedgerKey("v", "", "z"), 7),
        }));
        Assert.That(b.Count("u", "l", "x"), Is.EqualTo(10), "the source is unchanged");

        a.AddFrom(a);
        Assert.That(a.Count("u", "l", "x"), Is.EqualTo(30));
    }

    [Test]
    public void ResetZeroesCountsButKeepsHandles()
    {
        var l = new Ledger();
        int h = l.Register("u", "", "a");
        l.Add(h, 9);
        l.Reset();
        Assert.That(l.Count(h), Is.Zero);
        Assert.That(l.KeyCount, Is.EqualTo(1));
        Assert.That(l.Register("u", "", "a"), Is.EqualTo(h));
    }

    [Test]
    public void InvalidUseIsRejected()
    {
        var l = new Ledger();
        int h = l.Register("u", "", "a");
        Assert.That(() => l.Add(h + 1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => l.Add(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => l.Add(h, -1), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => l.Count(5), Throws.TypeOf<ArgumentOutOfRangeException>());
        Assert.That(() => l.Register("", "", "a"), Throws.ArgumentException);
        Assert.That(() => l.Register("u", "", ""), Throws.ArgumentException);
        Assert.That(() => l.Register("u", null!, "a"), Throws.ArgumentNullException);
        l.Add(h, long.MaxValue);
        Assert.That(() => l.Add(h), Throws.TypeOf<OverflowException>());
    }

    [Test]
    public void ManyKeysGrowStorage()
    {
        var l = new Ledger();
        for (int i = 0; i < 100; i++)
        {
            l.Add(l.Register("u", $"layer{i:D3}", "a"), i);
        }
        Assert.That(l.KeyCount, Is.EqualTo(100));
        Assert.That(l.Entries().Select(e => e.Count), Is.EqualTo(Enumerable.Range(0, 100).Select(i => (long)i)));
    }
}
