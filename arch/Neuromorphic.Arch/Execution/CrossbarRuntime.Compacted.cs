using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// Delivery for matrices mapped with compacted word lines (<see cref="MappedMatrix.Routes"/>): a spike
/// reaches only the macros its row-address table lists, each on the word line the table gives; a macro's
/// word lines hold inputs in ascending order, so the rows gathered per macro stay ascending.
/// </summary>
internal sealed partial class CrossbarRuntime
{
    // Per delay class: its routes and the index of its first macro in _macros (null: dense mapping).
    private readonly CompactedRoutes[]? _routes;
    private readonly int[] _routeOffset = [];
    // Per macro of one class: rows gathered this plane, where its rows start, the macros hit (scratch).
    private readonly int[] _macroRows = [], _macroAt = [], _macrosHit = [];
    private int[] _gathered = [];

    private static (CompactedRoutes[]? Routes, int[] Offsets) RoutesOf(ChipNode node)
    {
        if (node.Matrices.Count == 0 || node.Matrices[0].Matrix.Routes is null) return (null, []);
        var offsets = new int[node.Matrices.Count];
        for (var c = 1; c < offsets.Length; c++) offsets[c] = offsets[c - 1] + node.Matrices[c - 1].Matrix.Tiles.Count;
        return (node.Matrices.Select(m => m.Matrix.Routes!).ToArray(), offsets);
    }

    /// <summary>Counts input <paramref name="e"/>'s spike at every macro its table lists (once per macro and row it holds).</summary>
    private void RouteCompacted(int e, int sourceTile)
    {
        for (var c = 0; c < _routes!.Length; c++)
        {
            var r = _routes[c];
            var offset = _routeOffset[c];
            for (var k = r.Start[e]; k < r.Start[e + 1]; k++)
            {
                var m = _macros[offset + r.Macro[k]];
                Hit(m).SpikesFrom[m.SourceIndex(sourceTile)]++;
            }
        }
    }

    /// <summary>The reads of delay class <paramref name="matrix"/>: per bit plane, each macro hit reads the word lines of its active inputs.</summary>
    private void Compacted(int matrix, ReadOnlySpan<double> input, ReadOnlySpan<int> active, int planes, Span<double> output, DeterministicRandom? noise, bool costOnly)
    {
        var r = _routes![matrix];
        var offset = _routeOffset[matrix];
        for (var b = 0; b < planes; b++)
        {
            var hits = 0;
            var total = 0;
            foreach (var e in active)
            {
                if (input[e] == 0 || (((long)input[e] >> b) & 1) == 0) continue;
                for (var k = r.Start[e]; k < r.Start[e + 1]; k++)
                    if (_macroRows[r.Macro[k]]++ == 0) _macrosHit[hits++] = r.Macro[k];
                total += r.Start[e + 1] - r.Start[e];
            }
            if (hits == 0) continue;
            // Macros in placement order: the same order of partial sums whatever the order of the spikes.
            Array.Sort(_macrosHit, 0, hits);
            if (_gathered.Length < total) _gathered = new int[Math.Max(total, 2 * _gathered.Length)];
            var at = 0;
            for (var h = 0; h < hits; h++) { _macroAt[_macrosHit[h]] = at; at += _macroRows[_macrosHit[h]]; }
            foreach (var e in active)
            {
                if (input[e] == 0 || (((long)input[e] >> b) & 1) == 0) continue;
                for (var k = r.Start[e]; k < r.Start[e + 1]; k++) _gathered[_macroAt[r.Macro[k]]++] = r.Row[k];
            }
            var scale = (double)(1L << b);
            if (!costOnly)
                for (var pass = 0; pass < 2; pass++)
                    for (var h = 0; h < hits; h++)
                        _macros[offset + _macrosHit[h]].Function.Preload(_gathered[_macroAt[_macrosHit[h]] - _macroRows[_macrosHit[h]]], response: pass == 1);
            at = 0;
            for (var h = 0; h < hits; h++)
            {
                var m = _macrosHit[h];
                var rows = _macroRows[m];
                _macroRows[m] = 0;
                Execute(_macros[offset + m], _gathered.AsSpan(at, rows), output, scale, position: -1, noise, costOnly);
                at += rows;
            }
        }
    }
}
