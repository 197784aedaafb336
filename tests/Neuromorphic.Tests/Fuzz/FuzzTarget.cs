namespace Neuromorphic.Tests.Fuzz;

/// <summary>
/// A reader or loader under fuzzing: valid seed files, the file name a mutant is written to, and
/// what the program does with such a file (the same calls the command line makes). To fuzz a new
/// format, add one of these to <see cref="FuzzTargets.All"/>.
/// </summary>
/// <param name="Name">Short name (test case name, report row).</param>
/// <param name="FileName">Name of the mutated file inside the case's folder (its extension picks the reader).</param>
/// <param name="Seeds">Valid files to mutate.</param>
/// <param name="Text">True for text formats (adds the text-aware mutations).</param>
/// <param name="Run">Reads the file at the given path the way the program does; throws the program's bad-input exceptions on damage.</param>
/// <param name="Prepare">Writes companion files into the case folder before the run (e.g. the base of a sweep), or null.</param>
/// <param name="Weight">Share of the standard number of cases (slow targets, whose cases run whole models, get fewer).</param>
/// <param name="Repair">
/// Applied to four mutants in five: makes a checksum or similar guard match again, so the damage
/// reaches the parsing behind it (null: none).
/// </param>
internal sealed record FuzzTarget(string Name, string FileName, IReadOnlyList<byte[]> Seeds, bool Text, Action<string> Run, Action<string>? Prepare = null,
    double Weight = 1, Func<byte[], byte[]>? Repair = null)
{
    /// <inheritdoc/>
    public override string ToString() => Name;
}
