using System.Globalization;

namespace Neuromorphic.Traces.Vcd;

/// <summary>
/// Chooses which neurons' spikes go into a waveform: a list of population name patterns, each
/// with the neuron indices it selects. Parsed from text such as
/// <c>reservoir:0-31,input:*</c> or <c>reservoir:0-15,20,readout*</c>.
/// </summary>
/// <remarks>
/// Syntax: comma-separated items, each one of
/// <list type="bullet">
/// <item><c>PATTERN:INDICES</c> starts an entry; <c>INDICES</c> is <c>*</c> (every neuron), an
/// index <c>N</c> or a range <c>N-M</c> (inclusive, N &lt;= M);</item>
/// <item><c>N</c> or <c>N-M</c> (an item starting with a digit) adds indices to the entry
/// before it, so <c>reservoir:0-15,20</c> selects neurons 0 to 15 and 20 of <c>reservoir</c>;</item>
/// <item><c>PATTERN</c> alone selects every neuron of the matching populations (a pattern that
/// starts with a digit must be written <c>PATTERN:*</c>).</item>
/// </list>
/// Patterns match whole population names, case-sensitively; <c>*</c> matches any run of
/// characters (including none), every other character matches itself. Spaces around items are
/// ignored. A neuron is included when any entry selects it.
/// </remarks>
public sealed class SpikeSelection
{
    private readonly Entry[] _entries;

    private SpikeSelection(Entry[] entries) => _entries = entries;

    /// <summary>Every neuron of every population (<c>*:*</c>).</summary>
    public static SpikeSelection All { get; } = new([new Entry("*", null)]);

    /// <summary>Parses a selection (see the class remarks for the syntax).</summary>
    /// <param name="text">The selection, e.g. <c>reservoir:0-31,input:*</c>.</param>
    /// <returns>The selection.</returns>
    /// <exception cref="ArgumentException">The text is empty or malformed; the message names the bad item.</exception>
    public static SpikeSelection Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("empty spike selection: expected items such as 'reservoir:0-31,input:*'", nameof(text));
        }

        var entries = new List<Builder>();
        Builder? current = null;
        string[] items = text.Split(',');
        for (int i = 0; i < items.Length; i++)
        {
            string item = items[i].Trim();
            if (item.Length == 0)
            {
                throw Error(text, $"item {i + 1} is empty (two commas in a row, or a comma at the start or end?)");
            }

            int colon = item.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                if (item.IndexOf(':', colon + 1) >= 0)
                {
                    throw Error(text, $"'{item}' has more than one ':' (expected POPULATION:INDICES)");
                }

                string pattern = item[..colon].Trim();
                string indices = item[(colon + 1)..].Trim();
                if (pattern.Length == 0)
                {
                    throw Error(text, $"'{item}' has no population name before ':'");
                }

                if (indices.Length == 0)
                {
                    throw Error(text, $"'{item}' has no indices after ':' (use '{pattern}:*' for every neuron)");
                }

                current = new Builder(pattern);
                if (indices == "*")
                {
                    current.All = true;
                }
                else
                {
                    current.Ranges.Add(ParseRange(text, indices));
                }

                entries.Add(current);
            }
            else if (char.IsAsciiDigit(item[0]))
            {
                if (current is null)
                {
                    throw Error(text, $"index range '{item}' has no population before it (write e.g. 'reservoir:{item}')");
                }

                current.Ranges.Add(ParseRange(text, item));
            }
            else
            {
                current = new Builder(item) { All = true };
                entries.Add(current);
            }
        }

        return new SpikeSelection(entries.Select(b => b.Build()).ToArray());
    }

    /// <summary>Whether the selection includes neuron <paramref name="index"/> of <paramref name="population"/>.</summary>
    /// <param name="population">The population name.</param>
    /// <param name="index">The neuron index in the population (negative indices are never included).</param>
    /// <returns>True when an entry's pattern matches the population and its indices contain the index.</returns>
    public bool Includes(string population, int index)
    {
        ArgumentNullException.ThrowIfNull(population);
        if (index < 0)
        {
            return false;
        }

        foreach (Entry entry in _entries)
        {
            if (entry.Contains(index) && GlobMatch(entry.Pattern, population))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether the selection includes any neuron of <paramref name="population"/>.</summary>
    /// <param name="population">The population name.</param>
    /// <returns>True when an entry's pattern matches the population.</returns>
    public bool IncludesAny(string population)
    {
        ArgumentNullException.ThrowIfNull(population);
        return _entries.Any(e => GlobMatch(e.Pattern, population));
    }

    /// <summary>
    /// The patterns that match none of <paramref name="populations"/> (in selection order): a
    /// misspelt population name selects nothing, which a caller that knows the populations can refuse.
    /// </summary>
    /// <param name="populations">Every population name the selection will be applied to.</param>
    /// <returns>The unmatched patterns; empty when every pattern matches a population.</returns>
    public IReadOnlyList<string> UnmatchedPatterns(IReadOnlyCollection<string> populations)
    {
        ArgumentNullException.ThrowIfNull(populations);
        return _entries.Select(e => e.Pattern).Where(p => !populations.Any(name => GlobMatch(p, name))).Distinct(StringComparer.Ordinal).ToArray();
    }

    /// <summary>
    /// The canonical text of the selection, which <see cref="Parse"/> reads back to an equal
    /// selection: entries in their original order, each with its indices sorted and merged, e.g.
    /// <c>reservoir:0-15,20,input:*</c>.
    /// </summary>
    /// <returns>The canonical text.</returns>
    public override string ToString() => string.Join(",", _entries.Select(e => e.ToString()));

    private static ArgumentException Error(string text, string detail) =>
        new($"invalid spike selection '{text}': {detail}", nameof(text));

    private static (int From, int To) ParseRange(string text, string range)
    {
        int dash = range.IndexOf('-', StringComparison.Ordinal);
        string first = dash < 0 ? range : range[..dash].Trim();
        string last = dash < 0 ? range : range[(dash + 1)..].Trim();
        if (!TryIndex(first, out int from) || !TryIndex(last, out int to))
        {
            throw Error(text, $"'{range}' is not an index or range: expected N or N-M with whole numbers 0 <= N <= M "
                + "(a population name starting with a digit needs ':*', e.g. '3d:*')");
        }

        if (to < from)
        {
            throw Error(text, $"range '{range}' ends before it starts");
        }

        return (from, to);
    }

    private static bool TryIndex(string s, out int value) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);

    /// <summary>Whole-string match where '*' matches any run of characters.</summary>
    private static bool GlobMatch(string pattern, string name)
    {
        int p = 0, n = 0, star = -1, resume = 0;
        while (n < name.Length)
        {
            if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                resume = n;
            }
            else if (p < pattern.Length && pattern[p] == name[n])
            {
                p++;
                n++;
            }
            else if (star >= 0)
            {
                p = star + 1;
                n = ++resume;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }

    private sealed class Builder(string pattern)
    {
        public string Pattern { get; } = pattern;

        public bool All { get; set; }

        public List<(int From, int To)> Ranges { get; } = [];

        public Entry Build()
        {
            if (All)
            {
                return new Entry(Pattern, null);
            }

            Ranges.Sort();
            var merged = new List<(int From, int To)>();
            foreach ((int from, int to) in Ranges)
            {
                if (merged.Count > 0 && (long)from <= (long)merged[^1].To + 1)
                {
                    merged[^1] = (merged[^1].From, Math.Max(merged[^1].To, to));
                }
                else
                {
                    merged.Add((from, to));
                }
            }

            return new Entry(Pattern, merged.ToArray());
        }
    }

    /// <summary>A pattern and its sorted, disjoint, non-adjacent index ranges (null: every index).</summary>
    private sealed class Entry(string pattern, (int From, int To)[]? ranges)
    {
        public string Pattern { get; } = pattern;

        public bool Contains(int index)
        {
            if (ranges is null)
            {
                return true;
            }

            int lo = 0, hi = ranges.Length - 1;
            while (lo <= hi)
            {
                int mid = (lo + hi) >>> 1;
                if (index < ranges[mid].From)
                {
                    hi = mid - 1;
                }
                else if (index > ranges[mid].To)
                {
                    lo = mid + 1;
                }
                else
                {
                    return true;
                }
            }

            return false;
        }

        public override string ToString() => Pattern + ":" + (ranges is null
            ? "*"
            : string.Join(",", ranges.Select(r => r.From == r.To
                ? r.From.ToString(CultureInfo.InvariantCulture)
                : r.From.ToString(CultureInfo.InvariantCulture) + "-" + r.To.ToString(CultureInfo.InvariantCulture))));
    }
}
