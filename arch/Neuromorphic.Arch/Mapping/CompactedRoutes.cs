namespace Neuromorphic.Arch.Mapping;

/// <summary>
/// The row-address tables of a matrix mapped with compacted word lines, as one list per input: the
/// (macro, word line) pairs holding the input's synapses, macros in placement order. This is what the
/// source tiles' <c>row_table</c>s hold; a spike of input e reads entries
/// [<see cref="Start"/>[e], <see cref="Start"/>[e + 1]).
/// </summary>
/// <param name="Start">Per input, the first of its entries (inputs + 1 values).</param>
/// <param name="Macro">Per entry, the macro (index into the matrix's <see cref="MappedMatrix.Tiles"/>).</param>
/// <param name="Row">Per entry, the word line within that macro.</param>
public sealed record CompactedRoutes(int[] Start, int[] Macro, int[] Row)
{
    /// <summary>Entries in all (one per word line used on the matrix's macros).</summary>
    public int Entries => Macro.Length;

    /// <summary>Entries of input <paramref name="input"/>.</summary>
    public int EntriesOf(int input) => Start[input + 1] - Start[input];
}
