namespace Neuromorphic.Arch.Runs;

/// <summary>Where a run's labelled event data comes from.</summary>
public sealed record WorkloadSpec
{
    /// <summary><c>builtin</c> (the program's own saccade scenes) or <c>nmnist</c> (a folder of N-MNIST <c>.bin</c> files).</summary>
    public string Kind { get; init; } = "builtin";

    /// <summary>builtin: classes (at least 10).</summary>
    public int Classes { get; init; } = 12;

    /// <summary>builtin: samples per class.</summary>
    public int SamplesPerClass { get; init; } = 40;

    /// <summary>nmnist: the folder, laid out as N-MNIST (<c>Train/LABEL/*.bin</c> and <c>Test/LABEL/*.bin</c>, or just <c>LABEL/*.bin</c>).</summary>
    public string? Path { get; init; }

    /// <summary>nmnist: at most this many files per class and split (the first by name); 0 = all.</summary>
    public int MaxPerClass { get; init; }
}

/// <summary>How event streams become input spike rasters.</summary>
public sealed record EncodingSpec
{
    /// <summary>Timesteps (time bins) per sample.</summary>
    public int Timesteps { get; init; } = 50;

    /// <summary>Time the bins cover, µs (samples longer are cut, shorter padded with silence).</summary>
    public long DurationUs { get; init; } = 300_000;

    /// <summary>Centre crop (0 = none).</summary>
    public int Crop { get; init; }

    /// <summary>Spatial pooling factor.</summary>
    public int Downsample { get; init; } = 1;

    /// <summary><c>on</c>, <c>off</c> or <c>both</c>.</summary>
    public string Polarity { get; init; } = "on";

    /// <summary>One spike per channel and bin at most (true) or event counts (false).</summary>
    public bool Binary { get; init; } = true;

    /// <summary>Duration of one timestep, s.</summary>
    public double TimestepSeconds => DurationUs * 1e-6 / Timesteps;
}
