using System.Runtime.InteropServices;

namespace Neuromorphic.Hw.Macro;

/// <summary>
/// What a macro keeps of each row between reads, one contiguous record per row slot: the row's read
/// conductance summed over the physical columns (computed when the row is first driven) and, in the
/// exact regime, its response (the logical columns it changes and by how much). A row of a spiking
/// layer is read rarely, so its data has left the cache by the next read: one record per row costs a
/// read one or two cache lines where separate arrays (conductances, columns, weights) cost three or more.
/// </summary>
/// <remarks>
/// Record layout (ints): <c>[n, conductance (the two halves of a double; NaN: not yet), n columns,
/// n indices into <see cref="Values"/>]</c>; n = 0 without responses. The response values of an exact
/// macro take few distinct values (ADC codes times the output scale), kept once in <see cref="Values"/>.
/// </remarks>
internal sealed class MacroRowRecords
{
    private const int Header = 3;

    /// <summary>Where each slot's record starts in <see cref="Records"/>.</summary>
    public readonly int[] RecordAt;

    /// <summary>The records.</summary>
    public readonly int[] Records;

    /// <summary>The distinct response values.</summary>
    public readonly double[] Values;

    /// <summary>True when the records hold the rows' responses.</summary>
    public readonly bool HasResponses;

    /// <summary>
    /// Records for <paramref name="slots"/> slots with conductances <paramref name="conductance"/> (NaN: not
    /// yet known) and, when <paramref name="start"/> is not null, the responses slot s =
    /// (columns, weights)[start[s], start[s + 1]).
    /// </summary>
    public MacroRowRecords(int slots, ReadOnlySpan<double> conductance, int[]? start, int[] columns, double[] weights)
    {
        HasResponses = start is not null;
        RecordAt = new int[slots];
        Records = new int[checked(slots * Header + 2 * (start is null ? 0 : start[slots] - start[0]))];
        var values = new List<double>();
        var index = new Dictionary<long, int>();
        var at = 0;
        for (var s = 0; s < slots; s++)
        {
            RecordAt[s] = at;
            var from = start?[s] ?? 0;
            var n = start is null ? 0 : start[s + 1] - from;
            Records[at] = n;
            ConductanceAt(at) = conductance[s];
            for (var k = 0; k < n; k++)
            {
                var w = weights[from + k];
                if (!index.TryGetValue(BitConverter.DoubleToInt64Bits(w), out var v))
                {
                    v = values.Count;
                    index.Add(BitConverter.DoubleToInt64Bits(w), v);
                    values.Add(w);
                }
                Records[at + Header + k] = columns[from + k];
                Records[at + Header + n + k] = v;
            }
            at += Header + 2 * n;
        }
        Values = values.ToArray();
    }

    /// <summary>Where each row's record starts, when kept (else a row's slot is looked up first).</summary>
    public int[]? RecordOfRow;

    /// <summary>The conductance of the record at <paramref name="at"/> (NaN: not yet known), writable.</summary>
    public ref double ConductanceAt(int at) => ref MemoryMarshal.Cast<int, double>(Records.AsSpan(at + 1, 2))[0];

    /// <summary>The columns the response of the record at <paramref name="at"/> changes.</summary>
    public ReadOnlySpan<int> ColumnsAt(int at) => Records.AsSpan(at + Header, Records[at]);

    /// <summary>The indices in <see cref="Values"/> of the response of the record at <paramref name="at"/>, one per column.</summary>
    public ReadOnlySpan<int> IndicesAt(int at) => Records.AsSpan(at + Header + Records[at], Records[at]);

    /// <summary>Where the response columns of the record at <paramref name="at"/> start in <see cref="Records"/>.</summary>
    public static int ColumnsFrom(int at) => at + Header;
}
