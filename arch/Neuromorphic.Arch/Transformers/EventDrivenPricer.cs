using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Execution;

namespace Neuromorphic.Arch.Transformers;

/// <summary>
/// Prices a transformer run from the tensors that actually occur, event by event: it rides along a
/// <see cref="TransformerExecutor"/> run as its hooks. Attention runs on the SDSA unit's
/// <see cref="SdsaEngine"/> (which computes the layer's output from the real Q, K, V spikes); a
/// conv or linear layer on RRAM macros issues one macro operation per output position and macro
/// with exactly the rows whose input spiked (im2col, taps outside the input never spike), each on
/// the representative macro of its block shape, the layer's macros in parallel, each through its
/// positions back to back; a layer on the digital core accumulates each spike's fan-out; a conv
/// fed by real values other than the encoding conv (SepConv's second 1x1 after the depthwise conv)
/// cannot drive word lines with spikes and runs on the digital core as multiply-accumulates over
/// its non-zero inputs; LIFs update every neuron and count their real spikes; every output is
/// stored and shipped by <see cref="DataMovement"/>.
/// </summary>
internal sealed class EventDrivenPricer : TransformerExecutionHooks
{
    private readonly ChipModel _chip;
    private readonly TransformerModel _model;
    private readonly Ledger _ledger;
    private readonly Ledger _scratch = new();
    private readonly RepresentativeMacros _macros;
    private readonly DataMovement _movement;
    private readonly SdsaEngine _sdsa;
    private readonly Dictionary<string, LayerTally> _tally = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly double _coreCycle, _sdsaCycle;
    private int[] _rows = [];

    private readonly Func<string, string, double> _energyPj;
    private double[] _stepEnergy = [], _stepCycles = [];
    private double _cyclesSoFar;

    /// <summary>Called with the share of the current image's layers and timesteps done (progress of long runs).</summary>
    public Action<double>? Progress { get; set; }

    /// <summary>Per timestep t (0-based), the dynamic energy (pJ) priced in timestep t, summed over the runs.</summary>
    public IReadOnlyList<double> TimestepEnergyPj => _stepEnergy;

    /// <summary>Per timestep t, the hardware cycles of timestep t, summed over the runs.</summary>
    public IReadOnlyList<double> TimestepCycles => _stepCycles;

    /// <summary>Per-layer activity summed over the runs priced.</summary>
    internal sealed class LayerTally
    {
        public string Target = "digital";
        public double InputActive, InputElements, DenseOps, EffectiveAcs, EffectiveMacs, Updates, Cycles;
        public int Macros;
    }

    public EventDrivenPricer(ChipModel chip, TransformerModel model, Ledger ledger, ulong seed)
    {
        _chip = chip;
        _energyPj = (u, a) => chip.Costs.Get(u, a).EnergyPj;
        _stepEnergy = new double[model.Timesteps];
        _stepCycles = new double[model.Timesteps];
        _model = model;
        _ledger = ledger;
        _macros = new RepresentativeMacros(chip, _scratch, seed);
        _movement = new DataMovement(chip, model, ledger);
        _sdsa = new SdsaEngine(chip.Sdsa);
        _coreCycle = chip.Spec.BaseClockHz / chip.AccumulateCore.Parameters.ClockHz;
        _sdsaCycle = chip.Spec.BaseClockHz / chip.Sdsa.Parameters.ClockHz;
        foreach (var l in model.Layers) _tally[l.Name] = new LayerTally();
        for (var i = 0; i < model.Layers.Count; i++) _index[model.Layers[i].Name] = i;
    }

    /// <summary>The tallies, by layer.</summary>
    public IReadOnlyDictionary<string, LayerTally> Tally => _tally;

    /// <summary>Macros the model's RRAM layers occupy.</summary>
    public int Macros => _tally.Values.Sum(t => t.Macros);

    public override bool TryAttention(ModelLayer layer, int timestep, ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v,
        Span<float> v1Membrane, Span<float> output, out long adds, out long ands)
    {
        int n = layer.Height * layer.Width, d = layer.Channels;
        var a = layer.Kind == LayerKind.SdsaV1
            ? _sdsa.V1(q, k, v, n, d, v1Membrane, output, (float)layer.Threshold)
            : _sdsa.V2(q, k, v, n, d, layer.Heads, output);
        Count(SdsaUnit.Component, layer.Name, SdsaUnit.AndAction, a.Ands);
        Count(SdsaUnit.Component, layer.Name, SdsaUnit.AddAction, a.Adds);
        Count(SdsaUnit.Component, layer.Name, SdsaUnit.ThresholdAction, a.Thresholds);
        var t = _tally[layer.Name];
        t.Target = "sdsa";
        t.InputActive += a.QSpikes + a.KSpikes + a.VSpikes;
        t.InputElements += 3.0 * n * d;
        t.DenseOps += layer.Flops;
        t.EffectiveAcs += a.Adds;
        t.Cycles += a.Cycles * _sdsaCycle;
        adds = a.Adds;
        ands = a.Ands;
        return true;
    }

    public override void LayerDone(ModelLayer layer, int timestep, IReadOnlyList<float[]> inputs, bool binaryInput, float[] output, long synapticOps)
    {
        var t = _tally[layer.Name];
        long? spikes = null;
        switch (layer.Kind)
        {
            case LayerKind.Conv or LayerKind.Linear when !layer.SpikingInput:
                // The encoding conv: the image is the same at every timestep, so it runs once.
                t.InputElements += inputs[0].Length;
                t.InputActive += NonZero(inputs[0]);
                if (timestep > 0) break;
                t.DenseOps += layer.Flops;
                t.EffectiveMacs += layer.Flops;
                Count(AccumulateCore.Component, layer.Name, AccumulateCore.MacAction, layer.Flops);
                Count(AccumulateCore.Component, layer.Name, AccumulateCore.WeightReadAction, layer.Flops);
                t.Cycles += Math.Ceiling((double)layer.Flops / _chip.AccumulateCore.Parameters.Lanes) * _coreCycle;
                break;
            case LayerKind.Conv or LayerKind.Linear:
                t.InputElements += inputs[0].Length;
                t.InputActive += NonZero(inputs[0]);
                t.DenseOps += layer.Flops;
                if (!binaryInput)
                {
                    t.EffectiveMacs += synapticOps;
                    Count(AccumulateCore.Component, layer.Name, AccumulateCore.MacAction, synapticOps);
                    Count(AccumulateCore.Component, layer.Name, AccumulateCore.WeightReadAction, synapticOps);
                    t.Cycles += Math.Ceiling((double)synapticOps / _chip.AccumulateCore.Parameters.Lanes) * _coreCycle;
                }
                else if (_chip.Spec.Placement.TargetOf(layer.Name) == LayerTarget.Rram)
                {
                    t.Target = "rram";
                    t.EffectiveAcs += synapticOps;
                    t.Cycles += OnMacros(layer, inputs[0], out var macros);
                    t.Macros = macros;
                }
                else
                {
                    t.EffectiveAcs += synapticOps;
                    Count(AccumulateCore.Component, layer.Name, AccumulateCore.AccumulateAction, synapticOps);
                    Count(AccumulateCore.Component, layer.Name, AccumulateCore.WeightReadAction, synapticOps);
                    t.Cycles += Math.Ceiling((double)synapticOps / _chip.AccumulateCore.Parameters.Lanes) * _coreCycle;
                }
                break;
            case LayerKind.Lif:
            {
                t.Target = "neuron";
                spikes = NonZero(output);
                t.Updates += layer.OutputElements;
                Count(DigitalNeuronUnit.Component, layer.Name, DigitalNeuronUnit.LifUpdateAction, layer.OutputElements);
                Count(DigitalNeuronUnit.Component, layer.Name, DigitalNeuronUnit.SpikeAction, spikes.Value);
                t.Cycles += _chip.NeuronUnit.CyclesFor((int)Math.Min(int.MaxValue, layer.OutputElements)) * _chip.NeuronUnit.CycleNs * _chip.Spec.BaseClockHz * 1e-9;
                break;
            }
            case LayerKind.SdsaV1:
                spikes = NonZero(output);
                break;
            case LayerKind.Add or LayerKind.GlobalMean or LayerKind.MaxPool:
            {
                if (layer.Kind == LayerKind.MaxPool && binaryInput) spikes = NonZero(output);
                var n = layer.Kind == LayerKind.MaxPool ? layer.OutputElements * layer.Kernel * layer.Kernel
                    : layer.Kind == LayerKind.GlobalMean ? inputs[0].Length : layer.OutputElements * Math.Max(1, layer.Inputs.Count - 1);
                Count(AccumulateCore.Component, layer.Name, AccumulateCore.AccumulateAction, n);
                t.Cycles += Math.Ceiling((double)n / _chip.AccumulateCore.Parameters.Lanes) * _coreCycle;
                break;
            }
        }
        _movement.Output(layer, spikes);
        var index = _index.GetValueOrDefault(layer.Name);
        Progress?.Invoke((timestep * _model.Layers.Count + index + 1) / (double)(_model.Timesteps * _model.Layers.Count));
        if (index == _model.Layers.Count - 1)
        {
            // The end of a timestep: what the ledger holds now, less what earlier timesteps took.
            double total = 0;
            foreach (var e in _ledger.Entries()) if (e.Count > 0) total += e.Count * _energyPj(e.Key.Unit, e.Key.Action);
            var cycles = _tally.Values.Sum(v => v.Cycles);
            _stepEnergy[timestep] += total - _energySoFar;
            _stepCycles[timestep] += cycles - _cyclesSoFar;
            (_energySoFar, _cyclesSoFar) = (total, cycles);
        }
    }

    private double _energySoFar;

    /// <summary>One macro operation per output position and macro with the rows whose input spiked; returns the layer's cycles.</summary>
    private double OnMacros(ModelLayer layer, float[] input, out int macroCount)
    {
        var layout = MacroLayout.Of(layer, _chip);
        macroCount = layout.Macros;
        var shape = InputShape(layer, input.Length);
        int positions = layer.Height * layer.Width;
        var outputs = new double[layout.ColumnsAvailable];
        _scratch.Reset();
        long slowest = 0;
        var split = layout.RowBlocks > 1 || layout.ColumnBlocks > 1;
        var gathered = -1; // the group whose active rows _csr holds (split layouts)
        for (var m = 0; m < layout.Macros; m++)
        {
            var (firstGroup, lastGroup, rowBlock, rowsInMacro, columns) = layout.Macro(m, layer.Groups);
            var macro = _macros.Of(rowsInMacro, columns);
            macro.ResetTimeline();
            long end = 0;
            if (split && gathered != firstGroup)
            {
                // A group spread over row and column blocks: find its active rows at every position once.
                Gather(layer, input, shape, firstGroup, layout.RowsPerGroup, positions);
                gathered = firstGroup;
            }
            if (_rows.Length < Math.Max(rowsInMacro, layout.RowsPerGroup * (lastGroup - firstGroup + 1)))
                _rows = new int[Math.Max(rowsInMacro, layout.RowsPerGroup * (lastGroup - firstGroup + 1))];
            int rowLo = rowBlock * layout.RowsAvailable, rowHi = rowLo + rowsInMacro;
            for (var p = 0; p < positions; p++)
            {
                int active;
                if (split)
                {
                    // Rows are ascending: the block's rows are a contiguous run of the position's list.
                    active = 0;
                    for (var i = _csrStart[p]; i < _csrStart[p + 1]; i++)
                    {
                        var r = _csr[i];
                        if (r >= rowHi) break;
                        if (r >= rowLo) _rows[active++] = r - rowLo;
                    }
                }
                else active = GatherPosition(layer, input, shape, firstGroup, lastGroup, layout.RowsPerGroup, p, _rows);
                if (active == 0) continue; // no spike in the receptive field: the macro stays idle
                // Operations queue on the macro's array and ADCs (issued back to back, as the rate-based sampling does).
                end = Math.Max(end, macro.Execute(_rows.AsSpan(0, active), 0, outputs, null, costOnly: true).End);
            }
            slowest = Math.Max(slowest, end);
        }
        foreach (var e in _scratch.Entries())
            if (e.Count > 0) Count(e.Key.Unit, layer.Name, e.Key.Action, e.Count);
        return slowest;
    }

    private int[] _csr = [], _csrStart = [], _gatherRows = [];

    /// <summary>The active rows of group <paramref name="group"/> at every output position, ascending, into _csr / _csrStart.</summary>
    private void Gather(ModelLayer layer, float[] input, (int C, int H, int W) shape, int group, int rowsPerGroup, int positions)
    {
        if (_csrStart.Length < positions + 1) _csrStart = new int[positions + 1];
        if (_gatherRows.Length < rowsPerGroup) _gatherRows = new int[rowsPerGroup];
        var count = 0;
        for (var p = 0; p < positions; p++)
        {
            _csrStart[p] = count;
            var active = GatherPosition(layer, input, shape, group, group, rowsPerGroup, p, _gatherRows);
            if (_csr.Length < count + active) Array.Resize(ref _csr, Math.Max(2 * _csr.Length, count + active));
            Array.Copy(_gatherRows, 0, _csr, count, active);
            count += active;
        }
        _csrStart[positions] = count;
    }

    /// <summary>The rows (im2col order, groups [first, last] side by side) whose input spiked at output position p, ascending.</summary>
    private static int GatherPosition(ModelLayer layer, float[] input, (int C, int H, int W) shape, int first, int last, int rowsPerGroup, int p, int[] rows)
    {
        var (inC, inH, inW) = shape;
        int k = layer.Kernel, cpg = inC / layer.Groups, oy = p / layer.Width, ox = p % layer.Width, active = 0;
        for (var g = first; g <= last; g++)
        {
            var rowBase = (g - first) * rowsPerGroup;
            for (var cl = 0; cl < cpg; cl++)
            {
                var plane = (g * cpg + cl) * inH * inW;
                for (var ky = 0; ky < k; ky++)
                {
                    var iy = oy * layer.Stride - layer.Padding + ky;
                    if ((uint)iy >= (uint)inH) continue;
                    var row = plane + iy * inW;
                    for (var kx = 0; kx < k; kx++)
                    {
                        var ix = ox * layer.Stride - layer.Padding + kx;
                        if ((uint)ix >= (uint)inW || input[row + ix] == 0f) continue;
                        rows[active++] = rowBase + (cl * k + ky) * k + kx;
                    }
                }
            }
        }
        return active;
    }

    private (int C, int H, int W) InputShape(ModelLayer layer, int length)
    {
        if (layer.Kind == LayerKind.Linear) return (length, 1, 1);
        var input = layer.Inputs[0];
        return input == TransformerModel.ImageInput
            ? (_model.ImageChannels, _model.ImageSize, _model.ImageSize)
            : (_model[input].Channels, _model[input].Height, _model[input].Width);
    }

    /// <summary>The per-layer costs of everything priced so far (energy from the ledger entries of each layer).</summary>
    public List<LayerCost> Costs(Func<string, string, double> energyPj, int runs)
    {
        var energy = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var e in _ledger.Entries())
            if (e.Count > 0) energy[e.Key.Layer] = energy.GetValueOrDefault(e.Key.Layer) + e.Count * energyPj(e.Key.Unit, e.Key.Action);
        var f = 1.0 / Math.Max(1, runs);
        return _model.Layers.Select(l =>
        {
            var t = _tally[l.Name];
            var target = l.Kind == LayerKind.Lif ? "neuron" : t.Target;
            return new LayerCost(l.Name, l.Kind.ToString(), target, t.InputElements == 0 ? 0 : t.InputActive / t.InputElements,
                t.DenseOps * f, t.EffectiveAcs * f, t.EffectiveMacs * f, t.Updates * f, t.Macros, energy.GetValueOrDefault(l.Name) * f, t.Cycles * f, l.Parameters);
        }).ToList();
    }

    private void Count(string component, string layer, string action, long count)
    {
        if (count > 0) _ledger.Add(_ledger.Register(component, layer, action), count);
    }

    private static long NonZero(float[] x)
    {
        long n = 0;
        foreach (var v in x) if (v != 0f) n++;
        return n;
    }
}
