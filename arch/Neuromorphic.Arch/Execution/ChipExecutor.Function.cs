using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Networks;

namespace Neuromorphic.Arch.Execution;

// The function pass: what the chip computes each step (nodes in evaluation order on the chip's
// arithmetic), the spikes that drive the network, and the lock-step comparison with the software model.
public sealed partial class ChipExecutor
{
    /// <summary>Crossbar node <paramref name="node"/>'s function (null: another kind of node), for tests that look inside the function pass.</summary>
    internal CrossbarRuntime? CrossbarOf(int node) => _crossbars[node];

    /// <summary>The function pass of one timestep: every node in evaluation order, on the chip's arithmetic.</summary>
    private void Function(ReadOnlySpan<float> row)
    {
        // Deferred crossbars first (they come first in the order), on their sources' outputs of the step before.
        var k0 = 0;
        for (; k0 < _order.Length && _deferred[_order[k0]]; k0++) Evaluate(_order[k0]);
        for (var k = 0; k < _inputNodes.Length; k++)
        {
            var i = _inputNodes[k];
            var target = _outputs[i];
            var list = _activeOut[i];
            var n = 0;
            for (var e = 0; e < target.Length; e++)
            {
                var x = row[_inputOffsets[k] + e];
                target[e] = x;
                if (x != 0) list[n++] = e;
            }
            _activeOutCount[i] = n;
        }
        for (var k = k0; k < _order.Length; k++) Evaluate(_order[k]);
    }

    /// <summary>One node of the function pass.</summary>
    private void Evaluate(int i)
    {
        {
            var node = _program.Nodes[i];
            if (node.Kind == ChipNodeKind.Input)
            {
                if (_recorded[i] is { } given) { Copy(given.Row(_scalars.Step), _outputs[i]); _activeOutCount[i] = -1; }
                Count(i);
                return;
            }
            var input = _inputs[i];
            var bySource = node.Kind == ChipNodeKind.Population && InputsBySource(i);
            var through = node.Kind == ChipNodeKind.Crossbar ? ListedSource(i) : -1;
            if (!bySource && through < 0) Gather(i);
            var output = _outputs[i];
            var inputsKnown = _activeInCount[i] >= 0;
            var active = _activeIn[i].AsSpan(0, Math.Max(0, _activeInCount[i]));
            if (through >= 0)
            {
                // A crossbar reads its one listed source in place (ListedSource).
                (input, inputsKnown) = (_outputs[through], true);
                active = _activeOut[through].AsSpan(0, _activeOutCount[through]);
            }
            _activeOutCount[i] = -1;
            switch (node.Kind)
            {
                case ChipNodeKind.Crossbar:
                    var crossbar = _crossbars[i]!;
                    var source = _sources[i][0].Source;
                    // The reads want the list ascending (see _sortsActive). Read in place, it is the source's own list, sorted
                    // where it lies: no reader of a list depends on its order for its result.
                    if (inputsKnown && _sortsActive[i]) active.Sort();
                    crossbar.Step(input, active, inputsKnown, output, _program.Nodes[source].OutputTile, _noise, costOnly: false);
                    _ledger.Add(_hAdd[i], crossbar.Additions + crossbar.BiasAdditions);
                    if (crossbar.OutputSparse) SetActive(i, crossbar.Written);
                    // The timing's record of the node's step, while its macros' counts are in this core's cache.
                    if (TakesCrossbarWorkEarly) _work.TakeCrossbar(i);
                    break;
                case ChipNodeKind.Population when _recorded[i] is { } given:
                    // Replay: the recorded activity stands in for the dynamics' output. The core updates the
                    // neurons the dynamics, driven by the same inputs, have to update (on the chip that recorded
                    // the activity: exactly the run's updates).
                    var replayed = _populations[i]!.Step(input, active, inputsKnown, output, _updated[i]);
                    Copy(given.Row(_scalars.Step), output);
                    _allUpdated[i] = replayed == _populations[i]!.Size;
                    _ledger.Add(_hUpdate[i], replayed);
                    _updates[i] += replayed;
                    long fired = 0;
                    foreach (var v in output) if (v != 0) fired++;
                    _ledger.Add(_hSpike[i], fired);
                    _chipSpikes[i] += fired;
                    break;
                case ChipNodeKind.Population:
                    var population = _populations[i]!;
                    var updated = bySource ? StepBySource(i, population, output) : population.Step(input, active, inputsKnown, output, _updated[i]);
                    _allUpdated[i] = updated == population.Size;
                    _ledger.Add(_hUpdate[i], updated);
                    _updates[i] += updated;
                    if (population.Spiking)
                    {
                        var spikes = population.Fired;
                        _ledger.Add(_hSpike[i], spikes.Length);
                        _chipSpikes[i] += spikes.Length;
                        SetActive(i, spikes);
                        SpikesOf?.Invoke(node.Name, _scalars.Step, spikes);
                    }
                    break;
                case ChipNodeKind.Digital:
                    _digitalWork[i] = _digital[i]!.Forward(input, output);
                    _ledger.Add(_hAdd[i], _digitalWork[i]);
                    break;
                default:
                    input.CopyTo(output, 0);
                    if (inputsKnown) SetActive(i, active);
                    break;
            }
            Count(i);
        }
    }

    /// <summary>
    /// True (the default): a crossbar's work of a step is taken for the timing as soon as the node has computed it
    /// (<see cref="StepWorkQueue.TakeCrossbar(int)"/>); false: when the step is captured, after the other nodes (tests: the
    /// reference, which must give the same run).
    /// </summary>
    internal bool TakesCrossbarWorkEarly { get; init; } = true;

    /// <summary>Receives each spiking population's spikes of every step (node, step of the sample, neurons ascending), if set.</summary>
    public Action<string, int, ReadOnlySpan<int>>? SpikesOf { get; set; }

    private void SetActive(int i, ReadOnlySpan<int> entries)
    {
        entries.CopyTo(_activeOut[i]);
        _activeOutCount[i] = entries.Length;
    }

    /// <summary>
    /// Sums node <paramref name="i"/>'s sources into its input. When every source says which of its
    /// outputs may be non-zero, only those are cleared and added (and listed, once each); otherwise the
    /// whole input is.
    /// </summary>
    private void Gather(int i)
    {
        var input = _inputs[i];
        var sources = _sources[i];
        var sparse = true;
        foreach (var (s, _) in sources) sparse &= _activeOutCount[s] >= 0;
        if (!sparse)
        {
            Array.Clear(input);
            foreach (var (s, _) in sources)
            {
                var from = _outputs[s];
                for (var e = 0; e < input.Length; e++) input[e] += from[e];
            }
            _activeInCount[i] = -1;
            return;
        }
        var list = _activeIn[i];
        if (_activeInCount[i] < 0) Array.Clear(input);
        else foreach (var e in list.AsSpan(0, _activeInCount[i])) input[e] = 0;
        var current = NextStamp();
        var stamp = _inStamp[i];
        var n = 0;
        foreach (var (s, _) in sources)
        {
            var from = _outputs[s];
            foreach (var e in _activeOut[s].AsSpan(0, _activeOutCount[s]))
            {
                if (stamp[e] != current) { stamp[e] = current; list[n++] = e; }
                input[e] += from[e];
            }
        }
        _activeInCount[i] = n;
    }

    private static void Copy(ReadOnlySpan<float> from, Span<double> to)
    {
        for (var k = 0; k < to.Length; k++) to[k] = from[k];
    }

    private void Count(int i)
    {
        var output = _outputs[i];
        long active = 0;
        if (_crossbars[i] is { Fused: true }) active = _activeOutCount[i];
        else if (_activeOutCount[i] >= 0)
            foreach (var e in _activeOut[i].AsSpan(0, _activeOutCount[i])) { if (output[e] != 0) active++; }
        else
            foreach (var v in output) if (v != 0) active++;
        _active[i] += active;
        _outputElements[i] += output.Length;
        var kind = _program.Nodes[i].Kind;
        if (kind is ChipNodeKind.Population or ChipNodeKind.Input) _activityByStep[i].Add(output.Length == 0 ? 0 : (double)active / output.Length);
    }

    private void Compare(ReadOnlySpan<float> row, int t)
    {
        _golden!.Step(row);
        foreach (var node in _program.Nodes)
        {
            var i = node.Index;
            if (node.Kind != ChipNodeKind.Population && node.Node is not OutputNode) continue;
            var chip = _outputs[i];
            var software = _golden.OutputOf(node.Name);
            if (_populations[i]?.Spiking ?? true) _spikeComparison[i].Add(chip, software);
            else
            {
                for (var k = 0; k < chip.Length; k++) _maxDiff[i] = Math.Max(_maxDiff[i], Math.Abs(chip[k] - software[k]));
                _spikeComparison[i].Cells += chip.Length;
            }
            if (node.Node is OutputNode && _current.Software.TryGetValue(node.Name, out var raster)) software.CopyTo(raster.MutableRow(t));
        }
    }
}
