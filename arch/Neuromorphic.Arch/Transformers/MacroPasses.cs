using Neuromorphic.Sim.Execution;
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
/// rows, or both, on the same macros); layers run in parallel, each mapping its blocks on its
/// share of the threads (<see cref="ThreadBudget.Split"/>: layers at once x threads a layer stays
/// within the budget). Every layer draws from its own seeded streams and results come back in
/// layer order, so the figures do not depend on the thread count.
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
    /// a layer's input firing rate at a timestep (null: no rate-based estimate; NaN: not run);
    /// <paramref name="ratesDone"/> the rate-based steps of layers already priced (<see cref="RateSteps"/>
    /// while they were programmed for another reason): those are taken as they are, and a layer with
    /// nothing else to price is not programmed again.
    /// </summary>
    public static IReadOnlyList<LayerSteps> Run(TransformerMacros macros, int timesteps, Func<string, RecordedInput?>? events,
        Func<string, int, double>? rate, ulong seed, Action<double>? progress, IReadOnlyDictionary<string, MacroStep?[]>? ratesDone = null)
    {
        var layers = macros.Layers;
        var results = new LayerSteps[layers.Count];
        var finished = 0;
        // Layers at once x each one's programming threads <= the budget (it was threads x threads: every layer's mapping
        // took the whole budget of its own).
        var (options, each) = macros.Budget.Split(layers.Count);
        Parallel.For(0, layers.Count, options, i => macros.Budget.Run(() =>
        {
            var name = layers[i].Name;
            var recorded = events?.Invoke(name);
            var eventSteps = new MacroStep?[timesteps];
            var done = ratesDone?.GetValueOrDefault(name);
            var rateSteps = done ?? new MacroStep?[timesteps];
            if (recorded is not null || rate is not null && done is null)
            {
                var mapped = macros.Place(name, each);
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
                if (rate is not null && done is null) rateSteps = RateSteps(mapped, timesteps, rate, seed);
            }
            results[i] = new LayerSteps(name, eventSteps, rateSteps);
            progress?.Invoke(Interlocked.Increment(ref finished) / (double)layers.Count);
        }));
        return results;
    }

    /// <summary>
    /// The rate-based estimate of one layer on its programmed macros, per timestep: <paramref name="rate"/> gives its
    /// input firing rate at a timestep (NaN: not run, no step). Each timestep draws from its own stream
    /// (<c>sdt.spikes.LAYER.t</c>) and resets the macros' timelines, so the result does not depend on what the
    /// macros did before.
    /// </summary>
    public static MacroStep?[] RateSteps(MappedLayer mapped, int timesteps, Func<string, int, double> rate, ulong seed)
    {
        var steps = new MacroStep?[timesteps];
        for (var t = 0; t < timesteps; t++)
        {
            var r = rate(mapped.Name, t);
            if (double.IsNaN(r)) continue;
            var counts = new Ledger();
            var draws = DeterministicRandom.ForComponent(seed, $"sdt.spikes.{mapped.Name}.{t}");
            steps[t] = new MacroStep(counts, mapped.Rates(r, draws, counts));
        }
        return steps;
    }
}
