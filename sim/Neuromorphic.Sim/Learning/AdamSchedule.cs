namespace Neuromorphic.Sim.Learning;

/// <summary>
/// How <see cref="SoftmaxClassifier"/> is trained: Adam (Kingma and Ba 2015) on the mean
/// cross-entropy of mini-batches. The defaults are the RRAM LSM paper's readout training
/// (MrLinNing/MemristorLSM, lsm_sim_gaussian.py: lr 1e-4, batch 100, 100 epochs) and PyTorch's
/// Adam defaults (betas 0.9 / 0.999, eps 1e-8).
/// </summary>
public sealed record AdamSchedule
{
    /// <summary>Learning rate.</summary>
    public double LearningRate { get; init; } = 1e-4;

    /// <summary>Samples per mini-batch (the last batch of an epoch may be smaller).</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>Passes over the training samples (used when <see cref="Steps"/> is 0).</summary>
    public int Epochs { get; init; } = 100;

    /// <summary>
    /// Optimiser steps to take instead of whole epochs (0 = <see cref="Epochs"/> epochs). The batches
    /// repeat epoch after epoch until this many steps are taken: a schedule stated in steps trains a
    /// small data set as long as the paper trained the whole one.
    /// </summary>
    public long Steps { get; init; }

    /// <summary>Decay of the first-moment estimate.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>Decay of the second-moment estimate.</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>Added to the root of the second moment.</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>Optimiser steps for <paramref name="samples"/> training samples.</summary>
    public long StepsFor(int samples) =>
        Steps > 0 ? Steps : (long)Epochs * ((samples + BatchSize - 1) / BatchSize);

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentException($"learning_rate must be > 0, found {LearningRate}");
        if (BatchSize < 1) throw new ArgumentException($"batch must be >= 1, found {BatchSize}");
        if (Epochs < 1) throw new ArgumentException($"epochs must be >= 1, found {Epochs}");
        if (Steps < 0) throw new ArgumentException($"steps must be >= 0, found {Steps}");
        if (Beta1 is < 0 or >= 1) throw new ArgumentException($"beta1 must lie in [0, 1), found {Beta1}");
        if (Beta2 is < 0 or >= 1) throw new ArgumentException($"beta2 must lie in [0, 1), found {Beta2}");
        if (!(Epsilon > 0)) throw new ArgumentException($"epsilon must be > 0, found {Epsilon}");
    }
}
