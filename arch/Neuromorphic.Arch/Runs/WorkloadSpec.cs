namespace Neuromorphic.Arch.Runs;

/// <summary>Where a run's labelled event data comes from.</summary>
public sealed record WorkloadSpec
{
    /// <summary>
    /// <c>builtin</c> (the program's own saccade scenes), <c>nmnist</c> (a folder of N-MNIST <c>.bin</c> files) or
    /// <c>events</c> (a folder of event-camera recordings in any format <see cref="Neuromorphic.Traces.Events.Formats.EventFile"/>
    /// reads: N-MNIST <c>.bin</c>, CSV, AEDAT 2.0, AEDAT 3.1, Prophesee <c>.dat</c>).
    /// </summary>
    public string Kind { get; init; } = "builtin";

    /// <summary>builtin: classes (at least 10).</summary>
    public int Classes { get; init; } = 12;

    /// <summary>builtin: samples per class.</summary>
    public int SamplesPerClass { get; init; } = 40;

    /// <summary>nmnist, events: the folder, laid out as N-MNIST (<c>Train/LABEL/*</c> and <c>Test/LABEL/*</c>, or just <c>LABEL/*</c>; LABEL an integer).</summary>
    public string? Path { get; init; }

    /// <summary>nmnist, events: at most this many files per class and split (the first by name); 0 = all.</summary>
    public int MaxPerClass { get; init; }

    /// <summary>events: the reading options (AEDAT 2.0 sensor layout, sensor size for formats without one).</summary>
    public Neuromorphic.Traces.Events.Formats.EventFileOptions EventOptions { get; init; } = new();
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
