using Neuromorphic.Sim.Learning;

namespace Neuromorphic.Arch.Lsm;

/// <summary>A trainable readout and the features it reads.</summary>
public enum ReadoutKind
{
    /// <summary>Ridge regression on one-hot targets, closed form, on each neuron's spike counts in <see cref="ReadoutParameters.FeatureBins"/> time bins.</summary>
    Ridge,

    /// <summary>The paper's: a linear softmax layer trained by Adam on the cross-entropy, on each neuron's spike rate (spikes / timesteps).</summary>
    Softmax,
}

/// <summary>The trainable readouts: which ones, their features and their training.</summary>
public sealed record ReadoutParameters
{
    /// <summary>The readouts trained, each on the chip's reservoir, the software reservoir and the raw input; the first is the headline (<c>accuracy</c>).</summary>
    public IReadOnlyList<ReadoutKind> Readouts { get; init; } = [ReadoutKind.Ridge];

    /// <summary>Time bins the ridge readout's spike counts are taken in (features = neurons x bins).</summary>
    public int FeatureBins { get; init; } = 10;

    /// <summary>Share of each class held out for testing (when the dataset has no test split of its own).</summary>
    public double TestFraction { get; init; } = 0.25;

    /// <summary>Share of each class's training samples used to choose the ridge regularisation.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Regularisation strengths tried.</summary>
    public IReadOnlyList<double> Lambdas { get; init; } = [0.01, 0.1, 1, 10, 100, 1000, 10000];

    /// <summary>The softmax readout's training (trained on the training and validation samples together).</summary>
    public AdamSchedule Softmax { get; init; } = new();

    /// <summary>Checks the values.</summary>
    public void Validate()
    {
        if (Readouts.Count == 0 || Readouts.Distinct().Count() != Readouts.Count) throw new ArgumentException("readout.readouts must name each readout (ridge, softmax) at most once, at least one");
        if (FeatureBins < 1) throw new ArgumentException($"readout.feature_bins must be >= 1, found {FeatureBins}");
        if (TestFraction is <= 0 or >= 1) throw new ArgumentException($"readout.test_fraction must lie in (0, 1), found {TestFraction}");
        if (ValidationFraction is <= 0 or >= 1) throw new ArgumentException($"readout.validation_fraction must lie in (0, 1), found {ValidationFraction}");
        if (Lambdas.Count == 0 || Lambdas.Any(l => !(l > 0))) throw new ArgumentException("readout.lambdas must be positive numbers");
        try { Softmax.Validate(); }
        catch (ArgumentException ex) { throw new ArgumentException("readout.softmax." + ex.Message, ex); }
    }

    /// <summary>Short description of a readout's features, for summaries: <c>binned_counts_10</c> or <c>rates</c>.</summary>
    public string FeaturesOf(ReadoutKind kind) => kind == ReadoutKind.Ridge ? $"binned_counts_{FeatureBins}" : "rates";
}
