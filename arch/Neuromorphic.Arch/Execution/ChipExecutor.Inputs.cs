using System.Numerics.Tensors;
using Neuromorphic.Arch.Mapping;

namespace Neuromorphic.Arch.Execution;

public sealed partial class ChipExecutor
{
    /// <summary>
    /// Per node: a population that takes its input entry by entry (<see cref="FixedPointPopulation.AddsInputsByEntry"/>),
    /// each source's output as long as its input. When every source lists its non-zero outputs and no entry is
    /// listed by two sources (checked each step: by the lists' ranges, else with the input's stamps, as <see cref="Gather"/>
    /// uses them), the population reads the
    /// entries straight from the sources, in the order the gathered input would list them, instead of a gathered
    /// copy: the sum of its sources at an entry is then the one source's value there (0 + x, the same for the
    /// population, which skips zeros).
    /// </summary>
    private readonly bool[] _bySource;

    private bool[] TakesInputsBySource()
    {
        var n = _program.Nodes.Count;
        var result = new bool[n];
        for (var i = 0; i < n; i++)
            result[i] = _populations[i] is { AddsInputsByEntry: true } && _sources[i].All(x => _outputs[x.Source].Length == _inputs[i].Length);
        return result;
    }

    /// <summary>True when population <paramref name="i"/> can take this step's input by source (<see cref="_bySource"/>).</summary>
    private bool InputsBySource(int i)
    {
        if (!_bySource[i] || _recorded[i] is not null) return false;
        var sources = _sources[i];
        var added = 0;
        foreach (var (s, _) in sources)
        {
            if (_activeOutCount[s] < 0) return false;
            if (!AddedItself(s)) added++;
        }
        // Only the sources StepBySource adds can list an entry twice: a fused one has added its events already.
        if (added <= 1 || ListsApart(sources)) return true;
        var (current, stamp) = (NextStamp(), _inStamp[i]);
        var disjoint = true;
        foreach (var (s, _) in sources)
            if (!AddedItself(s))
                foreach (var e in _activeOut[s].AsSpan(0, _activeOutCount[s]))
                {
                    disjoint &= stamp[e] != current;
                    stamp[e] = current;
                }
        return disjoint;
    }

    /// <summary>True when source <paramref name="s"/> added this step's events into its population itself (a fused crossbar, <see cref="FuseEvents"/>).</summary>
    private bool AddedItself(int s) => _crossbars[s] is { Fused: true };

    /// <summary>
    /// True when the lists of this step of the sources that do not add their events themselves (<see cref="AddedItself"/>)
    /// lie in ranges of entries (lowest to highest) that do not overlap, so no entry is listed twice; false when they might (the entries are then checked one by one). CUBA's two
    /// projections write the population's ge and gi halves: a few vectorised passes instead of a mark per entry.
    /// </summary>
    private bool ListsApart((int Source, bool Recurrent)[] sources)
    {
        const int Most = 8;
        if (sources.Length > Most) return false;
        Span<int> low = stackalloc int[Most], high = stackalloc int[Most];
        var n = 0;
        foreach (var (s, _) in sources)
        {
            var list = _activeOut[s].AsSpan(0, _activeOutCount[s]);
            if (list.IsEmpty || AddedItself(s)) continue;
            (low[n], high[n]) = (TensorPrimitives.Min<int>(list), TensorPrimitives.Max<int>(list));
            for (var k = 0; k < n; k++)
                if (low[n] <= high[k] && low[k] <= high[n]) return false;
            n++;
        }
        return true;
    }

    /// <summary>
    /// A stamp no input entry carries yet (<see cref="_inStamp"/>): marking entries with it needs no clearing
    /// afterwards. On the rare wrap-around every stamp array is cleared.
    /// </summary>
    private int NextStamp()
    {
        if (++_scalars.Stamp == int.MaxValue)
        {
            foreach (var st in _inStamp) Array.Clear(st);
            _scalars.Stamp = 1;
        }
        return _scalars.Stamp;
    }

    /// <summary>
    /// The source of node <paramref name="i"/> when it has one, as long as its input, that lists the outputs it may
    /// have written (all others are zero); otherwise -1. Its output, looked at at the listed entries, is what
    /// gathering would make of it (0 + x at each listed entry, zeros elsewhere): a crossbar reads it in place.
    /// </summary>
    private int ListedSource(int i)
    {
        var sources = _sources[i];
        if (sources.Length != 1) return -1;
        var s = sources[0].Source;
        return _activeOutCount[s] >= 0 && _outputs[s].Length == _inputs[i].Length ? s : -1;
    }

    /// <summary>
    /// Per node: a crossbar whose list of active inputs may not be ascending, so it sorts the list before it reads
    /// it (<see cref="CrossbarRuntime.Step"/> cuts row blocks and row groups from runs of the list). An input node and
    /// a population list their outputs ascending; a crossbar lists its written outputs in the order it wrote them
    /// (row block by row block, macro by macro, each in the order its rows touched its columns); a wiring node passes
    /// on its one source's list, or several sources' lists one after another, as a crossbar of several sources
    /// gathers them. A crossbar fed by a crossbar (NIR Linear -> Linear, with or without a Flatten between) sorts;
    /// CUBA's and the LSM's projections, fed by an input node or a population, do not.
    /// </summary>
    private readonly bool[] _sortsActive;

    private bool[] SortsActive()
    {
        var n = _program.Nodes.Count;
        var result = new bool[n];
        for (var i = 0; i < n; i++)
            result[i] = _program.Nodes[i].Kind == ChipNodeKind.Crossbar && (_sources[i].Length != 1 || !ListsAscending(_sources[i][0].Source, n));
        return result;
    }

    /// <summary>True when node <paramref name="s"/>'s list of non-zero outputs, when it has one, is ascending (<see cref="_sortsActive"/>); at most <paramref name="depth"/> wiring nodes are followed.</summary>
    private bool ListsAscending(int s, int depth) => _program.Nodes[s].Kind switch
    {
        ChipNodeKind.Crossbar => false,
        ChipNodeKind.Wiring => depth > 0 && _sources[s].Length == 1 && ListsAscending(_sources[s][0].Source, depth - 1),
        _ => true,
    };

    /// <summary>One step of population <paramref name="i"/> fed from its sources' listed outputs (<see cref="InputsBySource"/>).</summary>
    private int StepBySource(int i, FixedPointPopulation population, Span<double> output)
    {
        foreach (var (s, _) in _sources[i])
        {
            // A fused crossbar has added its events already (FuseEvents).
            if (AddedItself(s)) continue;
            population.AddInputs(_outputs[s], _activeOut[s].AsSpan(0, _activeOutCount[s]));
        }
        return population.StepAfterInputs(output);
    }

    /// <summary>
    /// Lets each crossbar whose reads only count events (<see cref="CrossbarRuntime.CanFuse"/>) add them straight into the
    /// ideal CUBA population it feeds (<see cref="CubaEventSink"/>), where that population is its only reader, not a
    /// network output, and evaluated after it within a step (so it takes the events of the step it would have read from
    /// the output). Whichever way the population then takes its other inputs (by source, gathered, replayed), the fused
    /// entries read zero and add nothing, and each event is the one addition of the weight it would have been.
    /// </summary>
    private void FuseEvents()
    {
        var n = _program.Nodes.Count;
        var position = new int[n];
        for (var k = 0; k < _order.Length; k++) position[_order[k]] = k;
        var readers = new int[n];
        foreach (var sources in _sources)
            foreach (var (s, _) in sources) readers[s]++;
        var outputs = _network.Outputs.Select(o => _network.IndexOf(o.Name)).ToHashSet();
        for (var i = 0; i < n; i++)
        {
            if (_populations[i]?.EventSink is not { } sink || _inputs[i].Length != 2 * sink.N) continue;
            foreach (var (s, _) in _sources[i])
                if (_crossbars[s] is { CanFuse: true } crossbar && readers[s] == 1 && !outputs.Contains(s) && position[s] < position[i]
                    && _outputs[s].Length == _inputs[i].Length)
                    crossbar.FuseInto(sink);
        }
    }

    /// <summary>Tests: the crossbars that add their events into their population (<see cref="FuseEvents"/>).</summary>
    internal IEnumerable<int> FusedCrossbars => Enumerable.Range(0, _crossbars.Length).Where(i => _crossbars[i] is { FusesEvents: true });

    /// <summary>Tests: every crossbar writes its output again (before a run): the reference for the fused reads.</summary>
    internal void UnfuseEvents()
    {
        foreach (var c in _crossbars) c?.Unfuse();
    }
}
