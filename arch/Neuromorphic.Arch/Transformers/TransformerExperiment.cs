using System.Diagnostics;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Execution;
using Neuromorphic.Sim.Transformers.Models;
using Neuromorphic.Sim.Transformers.Weights;

namespace Neuromorphic.Arch.Transformers;

/// <summary>
/// A spike-driven transformer on a chip. Rates mode: price every layer and timestep from given
/// firing rates (rate-based). Functional mode: run every image on the chip (its stored weights,
/// its SDSA unit) and price the tensors that occur event by event, run it in software as the
/// reference, and price the same runs' firing rates rate-based beside it; the papers'
/// theoretical energy and the NeuroBench metrics come with both.
/// </summary>
public static class TransformerExperiment
{
    /// <summary>Runs a transformer configuration on <paramref name="threads"/> threads (at least 1); the results do not depend on them.</summary>
    public static TransformerResult Run(ArchitectureSpec architecture, TransformerRunSpec spec, ulong seed, Action<double>? progress = null, int threads = 1) =>
        Run(architecture, spec, seed, new ThreadBudget(threads), progress);

    /// <summary>
    /// Runs a transformer configuration keeping at most <paramref name="budget"/> threads busy (its phases one after another,
    /// each on the whole budget; a pass over the layers splits it between layers and their mapping); the results do not depend on it.
    /// </summary>
    public static TransformerResult Run(ArchitectureSpec architecture, TransformerRunSpec spec, ulong seed, ThreadBudget budget, Action<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(budget);
        var watch = Stopwatch.StartNew();
        var model = ModelZoo.Create(spec.Model, spec.ImageSize, spec.Timesteps, spec.Classes);
        var chip = new ChipModel(architecture);
        var functional = spec.Mode == "functional";
        if (!functional && spec.Weights is not null)
            throw new Neuromorphic.Traces.InputFormatException(spec.Weights, "", "weights are used in functional mode only (transformer: mode: functional)");

        var samples = new List<(Func<string, int, double> Rate, int Steps)>();
        var outcomes = new List<ImageOutcome>();
        var warnings = new List<string>();
        Ledger? eventLedger = null;
        EventDrivenPricer? pricer = null;
        LayerAgreement? agreement = null;
        TransformerMacros macros;
        if (functional)
        {
            TransformerWeights weights;
            // A model the chip cannot hold is refused before the weights are made (minutes on a full-size model).
            _ = new TransformerMacros(chip, spec.Reparameterise ? RepConvReparameterisation.Folded(model) : model, null, seed);
            // Progress: weights (calibrating random ones takes a while on a full-size model), the head, the images.
            var prepared = spec.Weights is null ? 0.3 : 0.05;
            var trained = spec.Dataset is null ? prepared : prepared + 0.1;
            (model, weights) = FunctionalRuns.Prepare(model, spec, seed, progress is null ? null : p => progress(prepared * p), budget.Threads);
            IReadOnlyList<(float[] Image, int Label)> images;
            if (spec.Dataset is not null)
            {
                // A labelled workload: train the head on the Train split, run Test.
                var train = EventFrames.Load(spec.Dataset, "Train", spec.TrainPerClass, model.ImageSize, model.ImageChannels, model.Classes);
                (weights, _) = HeadTraining.Train(model, weights, train, p => progress?.Invoke(prepared + (trained - prepared) * p));
                var perClass = (spec.Samples + model.Classes - 1) / model.Classes;
                images = EventFrames.Load(spec.Dataset, "Test", perClass, model.ImageSize, model.ImageChannels, model.Classes).Take(spec.Samples).ToList();
                if (images.Count < spec.Samples) warnings.Add(Shortfall(spec.Samples, perClass, model.Classes, images));
            }
            else images = FunctionalRuns.Images(model, spec, seed);
            macros = new TransformerMacros(chip, model, weights, seed, budget);
            eventLedger = new Ledger();
            pricer = new EventDrivenPricer(chip, model, eventLedger, seed, macros, spec.ChipCompute == "hardware" ? weights : null);
            agreement = new LayerAgreement(model);
            (samples, outcomes) = FunctionalRuns.Measure(model, weights, images, spec, pricer, agreement,
                progress is null ? null : p => progress(trained + (1 - trained) * p));
        }
        else
        {
            var table = spec.RatesFile is null ? new Dictionary<string, double>() : RateTable.Read(spec.RatesFile);
            foreach (var name in table.Keys)
                if (!model.Layers.Any(l => l.Name == name))
                    throw new Neuromorphic.Traces.InputFormatException(spec.RatesFile!, "", $"layer '{name}' is not in {model.Name}");
            samples.Add(((layer, _) => table.TryGetValue(layer, out var r) ? r : spec.UniformRate, model.Timesteps));
            macros = new TransformerMacros(chip, model, null, seed, budget);
        }

        // Rate-based: the same firing rates on the same macros (functional runs priced them beside the events).
        var rateLedger = new Ledger();
        var onChip = new TransformerOnChip(chip, model, rateLedger, seed, macros);
        var sums = new Dictionary<string, LayerCost>();
        double steps = 0;
        for (var s = 0; s < samples.Count; s++)
        {
            var (rate, run) = samples[s];
            steps += run;
            foreach (var cost in onChip.Price(rate, run, pricer?.RateBased[s], pricer is null ? progress : null))
                sums[cost.Layer] = sums.TryGetValue(cost.Layer, out var sum) ? Add(sum, cost) : cost;
        }
        var n = samples.Count;
        var rateLayers = model.Layers.Select(l => Scale(sums[l.Name], 1.0 / n)).ToList();
        var layers = pricer is null ? rateLayers : pricer.Costs((u, a) => chip.Costs.Get(u, a).EnergyPj, n);
        var ledger = eventLedger ?? rateLedger;

        var latency = layers.Sum(l => l.LatencyCycles);
        // Powered instances: the macros, and the per-tile parts of the tiles the model occupies, as the CUBA and LSM runs
        // count the tiles their program uses (a tile no layer sits on does no work and is gated off: its leakage and area
        // are not the model's). No row-address table: a transformer's layers are unrolled convolutions with dense word lines.
        var tiles = onChip.TilesUsed;
        var instances = new Dictionary<string, long>(chip.Instances(macros.Total, tiles, chip.Mux.AdcsFor(chip.Spec.Macro.Crossbar.Columns), rowTables: 0,
            accumulateCores: tiles)) // its digital layers (the encoding convolution at least) run there
        {
            [SdsaUnit.Component] = tiles,
            [SramBuffer.Component] = tiles,
        };
        // Images have no real-time period of their own: they are processed back to back, so the window is the busy time
        // (the power policy still decides per_unit against idle).
        var busy = latency * n / architecture.BaseClockHz;
        var power = PowerAccounting.Price(chip, ledger, instances, new PowerWindow(busy, busy));
        var account = power.Account;
        // Area of the powered instances, as the other runs report it.
        var area = power.AreaUm2;

        // The papers' estimate from the same rates, averaged over timesteps and samples.
        var meanRate = MeanRates(model, samples);
        var terms = TheoreticalEnergy.Terms(model, TheoreticalEnergy.FromSpikeTensorRates(model, name => meanRate.GetValueOrDefault(name)));
        var spiking = model.Layers.Where(l => TransformerOnChip.SpikeOutput(l, model)).ToList();
        var elements = spiking.Sum(l => (double)l.OutputElements);
        var active = spiking.Sum(l => meanRate.GetValueOrDefault(l.Name) * l.OutputElements);
        var labelled = outcomes.Where(o => o.Label >= 0).ToList();
        var withSoftware = outcomes.Where(o => o.SoftwareClass >= 0).ToList();
        return new TransformerResult
        {
            Model = model.Name,
            Parameters = model.Parameters,
            FlopsFirstConv = model.FlopsFirstConv,
            Samples = n,
            Timesteps = model.Timesteps,
            MeanTimestepsRun = steps / n,
            Layers = layers,
            Pricing = pricer is null ? "rate-based" : "event-driven",
            RateBasedLayers = rateLayers,
            PerTimestep = pricer is null ? [] : pricer.TimestepEnergyPj.Zip(pricer.TimestepCycles, (e, c) => (e * 1e-12 / n, c / n)).ToList(),
            RateBasedDynamicEnergyJ = rateLayers.Sum(l => l.EnergyPj) * 1e-12,
            TheoreticalLayerPj = terms.ToDictionary(t => t.Layer, t => t.Picojoules),
            EnergyPerInferenceJ = account.TotalPj * 1e-12 / n,
            Power = power,
            TheoreticalEnergyJ = terms.Sum(t => t.Picojoules) * 1e-12,
            LatencyCycles = latency,
            BaseClockHz = architecture.BaseClockHz,
            Macros = macros.Total,
            Tiles = tiles,
            ChipAreaUm2 = area,
            ActivationSparsity = elements == 0 ? 0 : 1 - active / elements,
            DenseSynapticOps = layers.Sum(l => l.DenseOps),
            EffectiveAcs = layers.Sum(l => l.EffectiveAcs),
            EffectiveMacs = layers.Sum(l => l.EffectiveMacs),
            MembraneUpdates = layers.Sum(l => l.MembraneUpdates),
            FootprintBytes = model.Parameters * 4,
            Outcomes = outcomes,
            Warnings = warnings,
            ChipCompute = pricer?.Computes == true ? "hardware" : "software",
            Agreement = agreement is null || !spec.SoftwareReference ? [] : model.Layers.Select(l =>
            {
                var a = agreement.Layers[l.Name];
                return new LayerComparison(l.Name, a.Spiking, a.Elements, a.Agreement, a.ChipSpikes, a.SoftwareSpikes,
                    a.Spiking || a.Elements == 0 ? double.NaN : a.MaxAbsDifference, a.Spiking || a.Elements == 0 ? double.NaN : a.MaxAbsSoftware, a.BothSpiked);
            }).ToList(),
            Accuracy = labelled.Count == 0 ? double.NaN : labelled.Count(o => o.ChipClass == o.Label) / (double)labelled.Count,
            SoftwareAccuracy = labelled.Count == 0 || labelled.Any(o => o.SoftwareClass < 0) ? double.NaN : labelled.Count(o => o.SoftwareClass == o.Label) / (double)labelled.Count,
            ChipSoftwareAgreement = withSoftware.Count == 0 ? double.NaN : withSoftware.Count(o => o.ChipClass == o.SoftwareClass) / (double)withSoftware.Count,
            Account = account,
            Costs = chip.Costs,
            WallSeconds = watch.Elapsed.TotalSeconds,
        };
    }

    /// <summary>Why fewer Test recordings ran than <c>transformer.samples</c> asked: the classes holding fewer than their share.</summary>
    private static string Shortfall(int asked, int perClass, int classes, IReadOnlyList<(float[] Image, int Label)> images)
    {
        var scarce = Enumerable.Range(0, classes).Select(c => (Label: c, Count: images.Count(i => i.Label == c)))
            .Where(c => c.Count < perClass).Select(c => $"class {c.Label} has {c.Count}");
        return $"transformer.samples asks {asked} Test recordings balanced over {classes} classes ({perClass} each), "
            + $"but {string.Join(", ", scarce)}: {images.Count} ran";
    }

    private static Dictionary<string, double> MeanRates(TransformerModel model, List<(Func<string, int, double> Rate, int Steps)> samples)
    {
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var layer in model.Layers.Where(l => TransformerOnChip.SpikeOutput(l, model)))
        {
            double sum = 0, count = 0;
            foreach (var (rate, steps) in samples)
                for (var t = 0; t < steps; t++) { sum += rate(layer.Name, t); count++; }
            rates[layer.Name] = count == 0 ? 0 : sum / count;
        }
        return rates;
    }

    private static LayerCost Add(LayerCost a, LayerCost b) => a with
    {
        InputRate = a.InputRate + b.InputRate,
        DenseOps = a.DenseOps + b.DenseOps,
        EffectiveAcs = a.EffectiveAcs + b.EffectiveAcs,
        EffectiveMacs = a.EffectiveMacs + b.EffectiveMacs,
        MembraneUpdates = a.MembraneUpdates + b.MembraneUpdates,
        EnergyPj = a.EnergyPj + b.EnergyPj,
        LatencyCycles = a.LatencyCycles + b.LatencyCycles,
    };

    private static LayerCost Scale(LayerCost c, double f) => c with
    {
        InputRate = c.InputRate * f,
        DenseOps = c.DenseOps * f,
        EffectiveAcs = c.EffectiveAcs * f,
        EffectiveMacs = c.EffectiveMacs * f,
        MembraneUpdates = c.MembraneUpdates * f,
        EnergyPj = c.EnergyPj * f,
        LatencyCycles = c.LatencyCycles * f,
    };
}
