namespace Neuromorphic.Arch.Lsm;

/// <summary>The trainable readout: features and the ridge regression around them.</summary>
public sealed record ReadoutParameters
{
    /// <summary>Time bins the reservoir's spike counts are taken in (features = neurons x bins).</summary>
    public int FeatureBins { get; init; } = 10;

    /// <summary>Share of each class held out for testing (when the dataset has no test split of its own).</summary>
    public double TestFraction { get; init; } = 0.25;

    /// <summary>Share of each class's training samples used to choose the regularisation.</summary>
    public double ValidationFraction { get; init; } = 0.2;

    /// <summary>Regularisation strengths tried.</summary>
    public IReadOnlyList<double> Lambdas { get; init; } = [0.01, 0.1, 1, 10, 100, 1000, 10000];

    /// <summary>Checks the values.</summary>
    public void Validate()
    {
        if (FeatureBins < 1) throw new ArgumentException($"readout.feature_bins must be >= 1, found {FeatureBins}");
        if (TestFraction is <= 0 or >= 1) throw new ArgumentException($"readout.test_fraction must lie in (0, 1), found {TestFraction}");
        if (ValidationFraction is <= 0 or >= 1) throw new ArgumentException($"readout.validation_fraction must lie in (0, 1), found {ValidationFraction}");
        if (Lambdas.Count == 0 || Lambdas.Any(l => !(l > 0))) throw new ArgumentException("readout.lambdas must be positive numbers");
    }
}
