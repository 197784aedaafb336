namespace Neuromorphic.Traces;

/// <summary>
/// The "did you mean" of an error message: the known word closest to a mistyped one, when it is close
/// enough to be the likely intent (a far guess misleads more than none).
/// </summary>
public static class Spelling
{
    /// <summary>
    /// The word of <paramref name="known"/> nearest to <paramref name="typed"/> (Levenshtein distance, ignoring case), or
    /// null when none is within a third of the typed word's length (at least 1 edit, at most 3); a known word the typed
    /// one begins (an abbreviation, <c>--max-mem</c>) when no word is that close.
    /// </summary>
    /// <param name="typed">What the user wrote.</param>
    /// <param name="known">The words that would have been accepted.</param>
    /// <returns>The suggestion, or null.</returns>
    public static string? Closest(string typed, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(typed);
        ArgumentNullException.ThrowIfNull(known);
        var limit = Math.Clamp(typed.TrimStart('-').Length / 3, 1, 3);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var word in known)
        {
            var d = Distance(typed.ToLowerInvariant(), word.ToLowerInvariant());
            if (d < bestDistance) (best, bestDistance) = (word, d);
        }
        if (bestDistance <= limit) return best;
        return typed.Length > 2 ? known.FirstOrDefault(w => w.StartsWith(typed, StringComparison.OrdinalIgnoreCase)) : null;
    }

    /// <summary>Levenshtein distance: insertions, deletions and substitutions that turn <paramref name="a"/> into <paramref name="b"/>.</summary>
    /// <param name="a">One word.</param>
    /// <param name="b">The other.</param>
    /// <returns>The number of edits.</returns>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var row = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) row[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }
        return row[b.Length];
    }
}
