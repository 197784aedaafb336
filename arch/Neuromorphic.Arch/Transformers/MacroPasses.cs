using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Arch.Transformers;

/// <summary>What a layer on macros cost in one timestep: its action counts (keys carry the layer's name) and its base cycles.</summary>
/// <param name="Counts">Action counts.</param>
/// <param name="Cycles">Base cycles of the layer in that timestep.</param>
internal sealed record MacroStep(Ledger Counts, double Cycles);

/// <summary>A layer's recorded binary inputs: per timestep, the indices of its input's spikes (null: not run).</summary>
/// <param name="InputLength">Elements of the input tensor.</param>
/// <param name="Spikes">Per timestep, ascending spike indices, or null.</param>
internal sealed record RecordedInput(int InputLength, int[]?[] Spikes);

/// <summary>
/// Prices the layers on macros layer by layer, each layer programmed once per pass and priced by
/// one thread over every timestep (event-driven from recorded spikes, rate-based from Bernoulli
/// rows, or both, on the same macros); layers run in parallel. Every layer draws from its own
/// seeded streams and results come back in layer order, so the figures do not depend on the
/// thread count.
/// </summary>
internal static class MacroPasses
{
    /// <summary>Results of one layer: per timestep, its event-driven and rate-based costs (null where not asked or not run).</summary>
    /// <param name="Layer">Layer name.</param>
    /// <param name="Events">Event-driven, per timestep.</param>
    /// <param name="Rates">Rate-based, per timestep.</param>
    internal sealed record LayerSteps(string Layer, MacroStep?[] Events, MacroStep?[] Rates);

    /// <summary>
    /// Runs the pass over <paramref name="macros"/>' layers for <paramref name="timesteps"/> steps.
    /// <paramref name="events"/> gives a layer's recorded inputs (null: none); <paramref name="rate"/>
    /// a layer's input firing rate at a timestep (null: no rate-based estimate; NaN: not run).
    /// </summary>
    public static IReadOnlyList<LayerSteps> Run(TransformerMacros macros, int timesteps, Func<string, RecordedInput?>? events,
        Func<string, int, double>? rate, ulong seed, Action<double>? progress)
    {
        var layers = macros.Layers;
        var results = new LayerSteps[layers.Count];
        var done = 0;
        Parallel.For(0, layers.Count, new ParallelOptions { MaxDegreeOfParallelism = macros.Threads }, i =>
        {
            var name = layers[i].Name;
            var recorded = events?.Invoke(name);
            var eventSteps = new MacroStep?[timesteps];
            var rateSteps = new MacroStep?[timesteps];
            if (recorded is not null || rate is not null)
            {
                var mapped = macros.Place(name);
                if (recorded is not null)
                {
                    var input = new double[recorded.InputLength];
                    for (var t = 0; t < Math.Min(timesteps, recorded.Spikes.Length); t++)
                    {
                        if (recorded.Spikes[t] is not { } spikes) continue;
                        foreach (var s in spikes) input[s] = 1;
                        var counts = new Ledger();
                        eventSteps[t] = new MacroStep(counts, mapped.Events(input, counts));
                        foreach (var s in spikes) input[s] = 0;
                    }
                }
                if (rate is not null)
                    for (var t = 0; t < timesteps; t++)
                    {
                        var r = rate(name, t);
                        if (double.IsNaN(r)) continue;
                        var counts = new Ledger();
                        var draws = DeterministicRandom.ForComponent(seed, $"sdt.spikes.{name}.{t}");
                        rateSteps[t] = new MacroStep(counts, mapped.Rates(r, draws, counts));
                    }
            }
            results[i] = new LayerSteps(name, eventSteps, rateSteps);
            progress?.Invoke(Interlocked.Increment(ref done) / (double)layers.Count);
        });
        return results;
    }
}
