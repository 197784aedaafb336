using System.Diagnostics;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Models;

namespace Neuromorphic.Arch.Transformers;

/// <summary>
/// A spike-driven transformer on a chip: build the model, obtain the firing rates of its spiking
/// tensors (given, or measured in a functional run), price every layer and timestep on the chip,
/// and put the papers' theoretical energy and the NeuroBench metrics beside it.
/// </summary>
public static class TransformerExperiment
{
    /// <summary>Runs a transformer configuration.</summary>
    public static TransformerResult Run(ArchitectureSpec architecture, TransformerRunSpec spec, ulong seed, Action<double>? progress = null)
    {
        var watch = Stopwatch.StartNew();
        var model = ModelZoo.Create(spec.Model, spec.ImageSize, spec.Timesteps, spec.Classes);
        Neuromorphic.Sim.Transformers.Execution.TransformerWeights? weights = null;
        if (spec.Mode == "functional") (model, weights) = FunctionalRuns.Prepare(model, spec, seed);
        else if (spec.Weights is not null)
            throw new Neuromorphic.Traces.InputFormatException(spec.Weights, "", "weights are used in functional mode only (transformer: mode: functional)");
        var chip = new ChipModel(architecture);
        var ledger = new Ledger();
        var onChip = new TransformerOnChip(chip, model, ledger, seed);
        var samples = new List<(Func<string, int, double> Rate, int Steps)>();
        double accuracy = double.NaN;
        if (spec.Mode == "rates")
        {
            var table = spec.RatesFile is null ? new Dictionary<string, double>() : RateTable.Read(spec.RatesFile);
            foreach (var name in table.Keys)
                if (!model.Layers.Any(l => l.Name == name))
                    throw new Neuromorphic.Traces.InputFormatException(spec.RatesFile!, "", $"layer '{name}' is not in {model.Name}");
            samples.Add(((layer, _) => table.TryGetValue(layer, out var r) ? r : spec.UniformRate, model.Timesteps));
        }
        else
        {
            (samples, accuracy) = FunctionalRuns.Measure(model, weights!, spec, seed, progress);
        }

        var layers = new Dictionary<string, LayerCost>();
        double steps = 0;
        foreach (var (rate, run) in samples)
        {
            steps += run;
            foreach (var cost in onChip.Price(rate, run))
                layers[cost.Layer] = layers.TryGetValue(cost.Layer, out var sum) ? Add(sum, cost) : cost;
        }
        var n = samples.Count;
        var perLayer = model.Layers.Select(l => Scale(layers[l.Name], 1.0 / n)).ToList();
        var latency = perLayer.Sum(l => l.LatencyCycles);
        var instances = new Dictionary<string, long>(chip.Instances(onChip.Macros, chip.Spec.Chip.Tiles, chip.Mux.AdcsFor(chip.Spec.Macro.Crossbar.Columns)))
        {
            [SdsaUnit.Component] = chip.Spec.Chip.Tiles,
        };
        // Images have no real-time period of their own: they are processed back to back, so the window is the busy time
        // (the power policy still decides per_unit against idle).
        var busy = latency * n / architecture.BaseClockHz;
        var account = PowerAccounting.Price(chip, ledger, instances, new PowerWindow(busy, busy)).Account;

        // The papers' estimate from the same rates, averaged over timesteps and samples.
        var meanRate = MeanRates(model, samples);
        var theoretical = TheoreticalEnergy.Compute(model, TheoreticalEnergy.FromSpikeTensorRates(model, name => meanRate.GetValueOrDefault(name)));
        var spiking = model.Layers.Where(l => l.Kind is LayerKind.Lif or LayerKind.MaxPool).ToList();
        var elements = spiking.Sum(l => (double)l.OutputElements);
        var active = spiking.Sum(l => meanRate.GetValueOrDefault(l.Name) * l.OutputElements);
        return new TransformerResult
        {
            Model = model.Name,
            Parameters = model.Parameters,
            FlopsFirstConv = model.FlopsFirstConv,
            Samples = n,
            Timesteps = model.Timesteps,
            MeanTimestepsRun = steps / n,
            Layers = perLayer,
            EnergyPerInferenceJ = account.TotalPj * 1e-12 / n,
            TheoreticalEnergyJ = theoretical * 1e-12,
            LatencyCycles = latency,
            BaseClockHz = architecture.BaseClockHz,
            Macros = onChip.Macros,
            ActivationSparsity = elements == 0 ? 0 : 1 - active / elements,
            DenseSynapticOps = perLayer.Sum(l => l.DenseOps),
            EffectiveAcs = perLayer.Sum(l => l.EffectiveAcs),
            EffectiveMacs = perLayer.Sum(l => l.EffectiveMacs),
            MembraneUpdates = perLayer.Sum(l => l.MembraneUpdates),
            FootprintBytes = model.Parameters * 4,
            Accuracy = accuracy,
            Account = account,
            Costs = chip.Costs,
            WallSeconds = watch.Elapsed.TotalSeconds,
        };
    }

    private static Dictionary<string, double> MeanRates(TransformerModel model, List<(Func<string, int, double> Rate, int Steps)> samples)
    {
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var layer in model.Layers.Where(l => l.Kind is LayerKind.Lif or LayerKind.MaxPool))
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
