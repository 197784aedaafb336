using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Execution;
using Neuromorphic.Sim.Transformers.Models;

namespace Neuromorphic.Arch.Transformers;

/// <summary>
/// Computes and prices a transformer run on the chip, event by event: it rides along a
/// <see cref="TransformerExecutor"/> run as its hooks. Attention runs on the SDSA unit's
/// <see cref="SdsaEngine"/> (which computes the layer's output from the real Q, K, V spikes). Given
/// the chip's weights (<c>chip_compute: hardware</c>), a conv or linear layer on RRAM macros fed by
/// spikes is computed by its macros as the general <see cref="Mapping.Mapper"/> placed them
/// (<see cref="MappedLayer.Compute"/>: one read per output position and macro with exactly the rows
/// whose input spiked, priced as it runs) and every LIF by the neuron core's fixed point
/// (<see cref="NeuronCoreLif"/>); otherwise the software computes them and a layer on macros has
/// its input spikes recorded and replayed on its macros at <see cref="Flush"/> (the end of an
/// image) for their cost. Beside it the rate-based estimate on the same macros at the image's
/// measured rates (layer by layer, priced as soon as a layer has run on its macros, which are then still
/// programmed). A layer on the digital core accumulates each spike's fan-out; a conv fed by
/// real values other than the encoding conv (SepConv's second 1x1 after the depthwise conv)
/// cannot drive word lines with spikes and runs on the digital core as multiply-accumulates over
/// its non-zero inputs; LIFs update every neuron and count their real spikes; every output is
/// stored and shipped by <see cref="DataMovement"/>. With a <see cref="Reference"/>, every layer's
/// output is compared with the software's.
/// </summary>
internal sealed class EventDrivenPricer : TransformerExecutionHooks
{
    private readonly ChipModel _chip;
    private readonly TransformerModel _model;
    private readonly Ledger _ledger;
    private readonly TransformerMacros _onMacros;
    private readonly ulong _seed;
    private readonly Dictionary<string, RecordedInput> _recorded = new(StringComparer.Ordinal);
    private readonly Dictionary<string, double[]> _outputRates = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _spikeSources = new(StringComparer.Ordinal);
    private readonly List<IReadOnlyList<MacroPasses.LayerSteps>> _rateBased = new();
    private readonly Dictionary<string, MacroStep?[]> _ratesDone = new(StringComparer.Ordinal); // rate-based steps priced while the layer was programmed to compute
    private readonly DataMovement _movement;
    private readonly SdsaEngine _sdsa;
    private readonly Dictionary<string, LayerTally> _tally = new(StringComparer.Ordinal);
    private readonly double _coreCycle, _sdsaCycle;

    private readonly Func<string, string, double> _energyPj;
    private readonly TransformerWeights? _weights;
    private readonly NeuronCoreLif? _lif;
    private readonly HashSet<string> _computed = new(StringComparer.Ordinal); // layers on macros computed (and priced) in the current image
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

    /// <summary>Prepares the pricing of runs of <paramref name="model"/>.</summary>
    /// <param name="chip">The chip.</param>
    /// <param name="model">The model.</param>
    /// <param name="ledger">Where the counts go.</param>
    /// <param name="seed">Run seed.</param>
    /// <param name="macros">The model's layers on macros.</param>
    /// <param name="weights">
    /// The weights the chip holds (biases of the layers on macros, added digitally after the reads):
    /// given, the chip computes its layers on macros and its LIFs on the neuron core
    /// (<see cref="TryLayer"/>); null, the software computes them and they are priced only.
    /// </param>
    public EventDrivenPricer(ChipModel chip, TransformerModel model, Ledger ledger, ulong seed, TransformerMacros macros, TransformerWeights? weights = null)
    {
        _weights = weights;
        _lif = weights is null ? null : new NeuronCoreLif(chip.NeuronUnit.Format);
        ByLayer = weights is not null && !macros.KeepsLayers;
        _onMacros = macros;
        _seed = seed;
        _chip = chip;
        _energyPj = (u, a) => chip.Costs.Get(u, a).EnergyPj;
        _stepEnergy = new double[model.Timesteps];
        _stepCycles = new double[model.Timesteps];
        _model = model;
        _ledger = ledger;
        _movement = new DataMovement(chip, model, ledger, macros);
        _sdsa = new SdsaEngine(chip.Sdsa);
        _coreCycle = chip.Spec.BaseClockHz / chip.AccumulateCore.Parameters.ClockHz;
        _sdsaCycle = chip.Spec.BaseClockHz / chip.Sdsa.Parameters.ClockHz;
        foreach (var l in model.Layers)
        {
            _tally[l.Name] = new LayerTally();
            if (macros.Holds(l.Name)) _spikeSources[l.Name] = TheoreticalEnergy.SpikeSource(model, l.Name);
        }
    }

    /// <summary>The tallies, by layer.</summary>
    public IReadOnlyDictionary<string, LayerTally> Tally => _tally;

    /// <summary>Macros the model's RRAM layers occupy.</summary>
    public int Macros => _onMacros.Total;

    /// <summary>Per image priced, the rate-based costs of the layers on macros at the image's measured rates (same macros).</summary>
    public IReadOnlyList<IReadOnlyList<MacroPasses.LayerSteps>> RateBased => _rateBased;

    /// <summary>The software run of the current image, to compare every layer's output with (null: no comparison).</summary>
    public LayerAgreement? Reference { get; set; }

    /// <summary>Whether the chip computes its layers (macros, neuron core) rather than pricing the software's outputs.</summary>
    public bool Computes => _lif is not null;

    /// <summary>
    /// Whether runs go layer by layer over all timesteps (<see cref="TransformerExecutionHooks.LayerByLayer"/>):
    /// by default when the chip computes and its macros are programmed layer by layer when read
    /// (models that do not keep them, beyond <see cref="TransformerMacros.KeptMacros"/>), so each layer is programmed once
    /// per image rather than once per timestep.
    /// </summary>
    public bool ByLayer { get; set; }

    public override bool LayerByLayer => ByLayer;

    public override void RunStarted()
    {
        _calls = 0;
        _lif?.Reset();
        _computed.Clear();
    }

    /// <summary>
    /// On a computing chip: a conv or linear layer on macros with a spike input runs on its macros
    /// (<see cref="MappedLayer.Compute"/>: every active position reads exactly its spiking rows, priced
    /// as it runs); a LIF runs on the neuron core in its fixed-point format. Other layers stay with
    /// the software operators (the digital core's arithmetic is taken as exact).
    /// </summary>
    public override bool TryLayer(ModelLayer layer, int timestep, ReadOnlySpan<float> input, bool binaryInput, Span<float> output, out long synapticOps)
    {
        synapticOps = 0;
        if (_lif is null) return false;
        if (layer.Kind == LayerKind.Lif)
        {
            _lif.Step(layer.Name, input, layer.Threshold, output);
            return true;
        }
        if (layer.Kind is not (LayerKind.Conv or LayerKind.Linear) || !binaryInput || !_onMacros.Holds(layer.Name)) return false;
        var mapped = _onMacros.Place(layer.Name);
        var t = _tally[layer.Name];
        t.Cycles += mapped.Compute(input, _weights![layer.Name].Bias, output, _ledger, out synapticOps);
        _computed.Add(layer.Name);
        return true;
    }

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
        _stepsRun = Math.Max(_stepsRun, timestep + 1);
        Reference?.Compare(layer, timestep, output);
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
                else if (_onMacros.Holds(layer.Name))
                {
                    t.Target = "rram";
                    t.EffectiveAcs += synapticOps;
                    t.Macros = _onMacros.PlacementOf(layer.Name).Count;
                    if (!_computed.Contains(layer.Name)) Record(layer, timestep, inputs[0]);
                    else if (ByLayer && timestep == _model.Timesteps - 1)
                    {
                        // The layer has run all its timesteps on macros programmed for it, and the spikes behind its input
                        // are all known (layer by layer): price its rate-based estimate on them now rather than
                        // programming the layer once more at Flush (unless the macros keep their layers, a layer is dropped once the next is placed).
                        _ratesDone[layer.Name] = MacroPasses.RateSteps(_onMacros.Place(layer.Name), _model.Timesteps, InputRate, _seed);
                    }
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
        if (spikes is { } fired)
        {
            if (!_outputRates.TryGetValue(layer.Name, out var rates)) _outputRates[layer.Name] = rates = new double[_model.Timesteps];
            rates[timestep] = fired / (double)output.Length;
        }
        // Progress and the timestep's share: what the ledger holds now, less what it held before this layer.
        Progress?.Invoke(0.5 * Math.Min(1.0, ++_calls / (double)(_model.Timesteps * _model.Layers.Count)));
        double total = 0;
        foreach (var e in _ledger.Entries()) if (e.Count > 0) total += e.Count * _energyPj(e.Key.Unit, e.Key.Action);
        var cycles = _tally.Values.Sum(v => v.Cycles);
        _stepEnergy[timestep] += total - _energySoFar;
        _stepCycles[timestep] += cycles - _cyclesSoFar;
        (_energySoFar, _cyclesSoFar) = (total, cycles);
    }

    private long _calls; // layers done in the current image
    private double _energySoFar;
    private int _stepsRun; // timesteps of the current image so far

    /// <summary>Keeps the spikes of a layer's binary input for <see cref="Flush"/>.</summary>
    private void Record(ModelLayer layer, int timestep, float[] input)
    {
        if (!_recorded.TryGetValue(layer.Name, out var r)) _recorded[layer.Name] = r = new RecordedInput(input.Length, new int[]?[_model.Timesteps]);
        var spikes = new int[NonZero(input)];
        var k = 0;
        for (var i = 0; i < input.Length; i++) if (input[i] != 0f) spikes[k++] = i;
        r.Spikes[timestep] = spikes;
    }

    /// <summary>
    /// Ends an image: prices the recorded inputs of the layers on macros (in parallel, layer by layer)
    /// into the ledger, the tallies and the timesteps, and keeps the rate-based costs of the same
    /// layers at the image's measured rates (<see cref="RateBased"/>).
    /// </summary>
    public void Flush()
    {
        if (_recorded.Count == 0 && _outputRates.Count == 0) return;
        var steps = MacroPasses.Run(_onMacros, _model.Timesteps, name => _recorded.GetValueOrDefault(name), InputRate, _seed,
            Progress is null ? null : f => Progress(0.5 + 0.5 * f), _ratesDone);
        foreach (var layer in steps)
        {
            var tally = _tally[layer.Layer];
            for (var t = 0; t < layer.Events.Length; t++)
            {
                if (layer.Events[t] is not { } step) continue;
                _ledger.AddFrom(step.Counts);
                tally.Cycles += step.Cycles;
                var energy = 0.0;
                foreach (var e in step.Counts.Entries()) if (e.Count > 0) energy += e.Count * _energyPj(e.Key.Unit, e.Key.Action);
                _stepEnergy[t] += energy;
                _stepCycles[t] += step.Cycles;
                _energySoFar += energy;
                _cyclesSoFar += step.Cycles;
            }
        }
        _rateBased.Add(steps);
        _ratesDone.Clear();
        _recorded.Clear();
        _outputRates.Clear();
        _stepsRun = 0;
    }

    /// <summary>Rate of the spikes behind a layer's input at a timestep of the image (1 for the image; NaN if the step did not run).</summary>
    private double InputRate(string layer, int t)
    {
        var source = _spikeSources[layer];
        if (source == TransformerModel.ImageInput) return 1;
        return _outputRates.TryGetValue(source, out var rates) && t < _stepsRun ? rates[t] : double.NaN;
    }

    /// <summary>The per-layer costs of everything priced so far (energy from the ledger entries of each layer).</summary>
    public List<LayerCost> Costs(Func<string, string, double> energyPj, int runs)
    {
        Flush();
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
