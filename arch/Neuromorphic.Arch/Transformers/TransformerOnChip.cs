using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Models;

namespace Neuromorphic.Arch.Transformers;

/// <summary>
/// Prices a spike-driven transformer on a chip, layer by layer and timestep by timestep, from the
/// firing rates of its spiking tensors (measured in a functional run, or given for a full-size
/// model without weights). Weighted layers with binary inputs run on RRAM macros or on the
/// digital accumulate core, as the architecture's placement says; the encoding conv (real-valued
/// pixels) runs once on the digital core as multiply-accumulates; attention on the SDSA unit; LIF
/// neurons on the neuron core. Layers run one after another within a timestep.
/// </summary>
/// <remarks>
/// RRAM layers are measured, not estimated by formula: each layer's own macros, as the general
/// mapper placed them with the chip's weights (<see cref="TransformerMacros"/>), are driven by
/// Bernoulli spike vectors at the layer's input rate, operations back to back; their ledger counts
/// per operation and their operation interval are scaled to the layer's output positions
/// (<see cref="MappedLayer.Rates"/>).
/// </remarks>
internal sealed class TransformerOnChip
{
    private readonly ChipModel _chip;
    private readonly TransformerModel _model;
    private readonly Ledger _ledger;
    private readonly ulong _seed;
    private readonly TransformerMacros _macros;
    private readonly DataMovement _movement;
    private readonly double _coreCycle, _sdsaCycle;
    private readonly Dictionary<string, string[]> _spikeSources; // per layer: the spiking tensor behind each input

    /// <summary>Prepares the pricing of <paramref name="model"/> on <paramref name="chip"/>.</summary>
    public TransformerOnChip(ChipModel chip, TransformerModel model, Ledger ledger, ulong seed, TransformerMacros macros)
    {
        _macros = macros;
        _chip = chip;
        _model = model;
        _ledger = ledger;
        _seed = seed;
        _movement = new DataMovement(chip, model, ledger, macros);
        // Digital units in base cycles per cycle of their own clock.
        _coreCycle = chip.Spec.BaseClockHz / chip.AccumulateCore.Parameters.ClockHz;
        _sdsaCycle = chip.Spec.BaseClockHz / chip.Sdsa.Parameters.ClockHz;
        // A conv fed by another conv (inside a RepConv or SepConv) sees, once folded, the spikes feeding the branch.
        _spikeSources = model.Layers.ToDictionary(l => l.Name,
            l => Enumerable.Range(0, l.Inputs.Count).Select(i => TheoreticalEnergy.SpikeSource(model, l.Name, i)).ToArray());
    }

    /// <summary>Macros the model occupies (each RRAM layer on its own).</summary>
    public int Macros => _macros.Total;

    /// <summary>Tiles the model's layers occupy (<see cref="DataMovement.TilesUsed"/>).</summary>
    public int TilesUsed => _movement.TilesUsed;

    /// <summary>
    /// Prices timesteps 0 .. <paramref name="timesteps"/> - 1. <paramref name="rate"/> gives the
    /// firing rate of a layer's output spikes at a timestep (LIF and pooling layers).
    /// <paramref name="onMacros"/>, if given, holds the layers on macros already priced at these
    /// rates (by the event-driven pricer, on the same macros); otherwise they are priced here.
    /// </summary>
    public IReadOnlyList<LayerCost> Price(Func<string, int, double> rate, int timesteps, IReadOnlyList<MacroPasses.LayerSteps>? onMacros = null,
        Action<double>? progress = null)
    {
        var costs = new List<LayerCost>();
        onMacros ??= MacroPasses.Run(_macros, timesteps, null, (layer, t) => t < timesteps ? InputRate(_model[layer], rate, t) : double.NaN, _seed, progress);
        var rram = onMacros.ToDictionary(l => l.Layer, StringComparer.Ordinal);
        foreach (var layer in _model.Layers)
        {
            var before = Snapshot();
            double dense = 0, acs = 0, macs = 0, updates = 0, cycles = 0, meanRate = 0;
            var macros = 0;
            var target = "digital";
            for (var t = 0; t < timesteps; t++)
            {
                var r = InputRate(layer, rate, t);
                meanRate += r / timesteps;
                switch (layer.Kind)
                {
                    case LayerKind.Conv or LayerKind.Linear when !layer.SpikingInput:
                        if (t > 0) break; // the image is the same at every timestep: the encoding conv runs once
                        macs += layer.Flops;
                        dense += layer.Flops;
                        Count(AccumulateCore.Component, layer.Name, AccumulateCore.MacAction, layer.Flops);
                        Count(AccumulateCore.Component, layer.Name, AccumulateCore.WeightReadAction, layer.Flops);
                        cycles += _chip.AccumulateCore.Parameters.Lanes == 0 ? 0 : Math.Ceiling((double)layer.Flops / _chip.AccumulateCore.Parameters.Lanes) * _coreCycle;
                        break;
                    case LayerKind.Conv or LayerKind.Linear:
                        dense += layer.Flops;
                        acs += r * layer.Flops;
                        if (_macros.Holds(layer.Name))
                        {
                            target = "rram";
                            macros = _macros.PlacementOf(layer.Name).Count;
                            if (rram[layer.Name].Rates[t] is { } step)
                            {
                                _ledger.AddFrom(step.Counts);
                                cycles += step.Cycles;
                            }
                        }
                        else
                        {
                            var events = Math.Round(r * layer.Flops);
                            Count(AccumulateCore.Component, layer.Name, AccumulateCore.AccumulateAction, events);
                            Count(AccumulateCore.Component, layer.Name, AccumulateCore.WeightReadAction, events);
                            cycles += Math.Ceiling(events / _chip.AccumulateCore.Parameters.Lanes) * _coreCycle;
                        }
                        break;
                    case LayerKind.Lif:
                        target = "neuron";
                        updates += layer.OutputElements;
                        Count(DigitalNeuronUnit.Component, layer.Name, DigitalNeuronUnit.LifUpdateAction, layer.OutputElements);
                        Count(DigitalNeuronUnit.Component, layer.Name, DigitalNeuronUnit.SpikeAction, Math.Round(rate(layer.Name, t) * layer.OutputElements));
                        cycles += _chip.NeuronUnit.CyclesFor((int)Math.Min(int.MaxValue, layer.OutputElements)) * _chip.NeuronUnit.CycleNs * _chip.Spec.BaseClockHz * 1e-9;
                        break;
                    case LayerKind.SdsaV1 or LayerKind.SdsaV2:
                        target = "sdsa";
                        var (ands, adds, thresholds) = Attention(layer, rate, t);
                        dense += layer.Flops;
                        acs += adds;
                        Count(SdsaUnit.Component, layer.Name, SdsaUnit.AndAction, ands);
                        Count(SdsaUnit.Component, layer.Name, SdsaUnit.AddAction, adds);
                        Count(SdsaUnit.Component, layer.Name, SdsaUnit.ThresholdAction, thresholds);
                        cycles += _chip.Sdsa.CyclesFor((long)Math.Max(ands, adds)) * _sdsaCycle;
                        break;
                    case LayerKind.Add or LayerKind.GlobalMean or LayerKind.MaxPool:
                        // Membrane shortcuts and pooling: additions/comparisons on the accumulate core.
                        var inputs = layer.Kind == LayerKind.MaxPool ? layer.OutputElements * layer.Kernel * layer.Kernel
                            : layer.Kind == LayerKind.GlobalMean ? InputElements(layer) : layer.OutputElements * Math.Max(1, layer.Inputs.Count - 1);
                        Count(AccumulateCore.Component, layer.Name, AccumulateCore.AccumulateAction, inputs);
                        cycles += Math.Ceiling((double)inputs / _chip.AccumulateCore.Parameters.Lanes) * _coreCycle;
                        break;
                }
                // Storage and NoC: spike tensors carry the rate's expected spikes.
                _movement.Output(layer, SpikeOutput(layer) ? (long)Math.Round(rate(layer.Name, t) * layer.OutputElements) : null);
            }
            var energy = EnergySince(before);
            costs.Add(new LayerCost(layer.Name, layer.Kind.ToString(), target, meanRate, dense, acs, macs, updates, macros, energy, cycles, layer.Parameters));
        }
        return costs;
    }

    /// <summary>Whether a layer outputs spikes: a LIF, V1 attention, max pooling of spikes.</summary>
    internal static bool SpikeOutput(ModelLayer layer, TransformerModel model) => layer.Kind switch
    {
        LayerKind.Lif or LayerKind.SdsaV1 => true,
        LayerKind.MaxPool => layer.Inputs[0] != TransformerModel.ImageInput && SpikeOutput(model[layer.Inputs[0]], model),
        _ => false,
    };

    private bool SpikeOutput(ModelLayer layer) => SpikeOutput(layer, _model);

    /// <summary>Firing rate of the spikes behind input <paramref name="input"/> of a layer (1 for the image).</summary>
    private double InputRate(ModelLayer layer, Func<string, int, double> rate, int t, int input = 0)
    {
        if (layer.Inputs.Count == 0) return 1;
        var source = _spikeSources[layer.Name][input];
        return source == TransformerModel.ImageInput ? 1 : rate(source, t);
    }

    private long InputElements(ModelLayer layer) =>
        layer.Inputs.Count == 0 || layer.Inputs[0] == TransformerModel.ImageInput
            ? (long)_model.ImageChannels * _model.ImageSize * _model.ImageSize
            : _model[layer.Inputs[0]].OutputElements;

    /// <summary>Attention work at the rates of Q, K and V, event-driven (only spikes cause work).</summary>
    private (double Ands, double Adds, double Thresholds) Attention(ModelLayer layer, Func<string, int, double> rate, int t)
    {
        double rq = InputRate(layer, rate, t, 0), rk = InputRate(layer, rate, t, 1), rv = InputRate(layer, rate, t, 2);
        double n = layer.Height * layer.Width, d = layer.Channels;
        if (layer.Kind == LayerKind.SdsaV1)
            // kv = sum over tokens of K AND V (an AND per K spike, an add per coincidence), threshold per channel, mask Q AND kv'.
            return (rk * n * d + rq * n * d, rk * rv * n * d, d);
        var head = d / layer.Heads;
        // K^T V: each K spike ANDs with a row of V and adds the coincidences; Q (K^T V): each Q spike adds a row of counts.
        return (rk * n * head * d, rk * rv * n * head * d + rq * n * head * d, 0);
    }

    private void Count(string component, string layer, string action, double count)
    {
        if (count <= 0) return;
        _ledger.Add(_ledger.Register(component, layer, action), (long)Math.Round(count));
    }

    private Dictionary<LedgerKey, long> Snapshot() => _ledger.Entries().ToDictionary(e => e.Key, e => e.Count);

    private double EnergySince(Dictionary<LedgerKey, long> before) =>
        _ledger.Entries().Sum(e => (e.Count - before.GetValueOrDefault(e.Key)) * _chip.Costs.Get(e.Key.Unit, e.Key.Action).EnergyPj);
}
