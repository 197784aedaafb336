namespace Neuromorphic.Traces.Events.Streaming;

/// <summary>
/// What a reader met besides polarity events: packets and words it skipped on purpose (frames,
/// IMU samples, triggers, vendor extensions) and words it could not use, each under a stable
/// dotted name (e.g. <c>skipped.packets.FRME</c>, <c>skipped.words.EXT_TRIGGER</c>,
/// <c>invalid.words.reserved_type</c>), for <c>inspect</c> to report.
/// </summary>
public sealed class ReadCounts
{
    private readonly SortedDictionary<string, long> _counts = new(StringComparer.Ordinal);

    /// <summary>The counts by name, in ordinal name order; names with count 0 are absent.</summary>
    public IReadOnlyDictionary<string, long> All => _counts;

    /// <summary>Adds <paramref name="count"/> to the counter <paramref name="name"/>; zero is ignored.</summary>
    /// <param name="name">A stable dotted name.</param>
    /// <param name="count">How many to add.</param>
    public void Add(string name, long count = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (count == 0)
        {
            return;
        }

        _counts[name] = _counts.GetValueOrDefault(name) + count;
    }

    /// <summary>The count under <paramref name="name"/> (0 if never added).</summary>
    /// <param name="name">The counter name.</param>
    /// <returns>The count.</returns>
    public long this[string name] => _counts.GetValueOrDefault(name);

    /// <summary>The sum of the counters whose names start with <paramref name="prefix"/>.</summary>
    /// <param name="prefix">E.g. <c>invalid.</c> or <c>skipped.</c>.</param>
    /// <returns>The sum.</returns>
    public long Sum(string prefix) => _counts.Where(c => c.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(c => c.Value);
}
