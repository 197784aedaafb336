namespace Neuromorphic.Traces;

/// <summary>
/// The "did you mean" of an error message: the known word closest to a mistyped one, when it is close
/// enough to be the likely intent (a far guess misleads more than none).
/// </summary>
public static class Spelling
{
    /// <summary>
    /// The word of <paramref name="known"/> nearest to <paramref name="typed"/> (<see cref="Distance"/>, ignoring case), or
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

    /// <summary>
    /// Edit distance: insertions, deletions, substitutions and swaps of two neighbouring letters (<c>lms</c> for
    /// <c>lsm</c> is one edit) that turn <paramref name="a"/> into <paramref name="b"/> (optimal string alignment).
    /// </summary>
    /// <param name="a">One word.</param>
    /// <param name="b">The other.</param>
    /// <returns>The number of edits.</returns>
    public static int Distance(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
