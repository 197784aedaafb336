namespace Neuromorphic.Arch.Sweeps;

/// <summary>One point of a sweep: its index, its values per swept path, its full configuration text and hash, its seed.</summary>
/// <param name="Index">Position in the sweep's enumeration.</param>
/// <param name="Values">Value per swept path, in the order of the sweep file.</param>
/// <param name="ConfigText">The point's full run configuration (YAML).</param>
/// <param name="Hash">SHA-256 of <paramref name="ConfigText"/>, 16 hex digits: the result file's name.</param>
/// <param name="Seed">The point's run seed: the sweep's (or <c>set</c>'s, or the base's), the same at every point, unless <c>seed</c> is swept.</param>
public sealed record SweepPoint(int Index, IReadOnlyList<(string Path, string Value)> Values, string ConfigText, string Hash, ulong Seed);
