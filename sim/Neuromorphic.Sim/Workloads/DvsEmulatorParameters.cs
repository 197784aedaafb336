namespace Neuromorphic.Sim.Workloads;

/// <summary>
/// Parameters of <see cref="DvsEmulator"/>: the sensor, its pixel model and the simulation tick.
/// Defaults describe an N-MNIST-like recording (34 x 34 pixels, contrast threshold 0.2 in log
/// intensity with 0.03 mismatch, 1 ms refractory period, 0.1 Hz background activity).
/// </summary>
public sealed record DvsEmulatorParameters
{
    /// <summary>Sensor width in pixels (N-MNIST: 34).</summary>
    public int SensorWidth { get; init; } = 34;

    /// <summary>Sensor height in pixels (N-MNIST: 34).</summary>
    public int SensorHeight { get; init; } = 34;

    /// <summary>
    /// Simulation tick in microseconds: the scene is rendered once per tick and the log intensity
    /// of each pixel is taken to change linearly in between, so event times are interpolated
    /// within the tick. Smaller ticks follow fast motion more closely and cost proportionally more.
    /// </summary>
    public double TickUs { get; init; } = 1000;

    /// <summary>
    /// Offset added to the intensity before the logarithm, L = ln(I + eps). It stands for the
    /// dark current of a real photoreceptor: it keeps black (I = 0) finite and sets how many
    /// events a full black-to-white edge produces (ln(1.02/0.02) ≈ 3.9, about 20 thresholds of 0.2).
    /// </summary>
    public double LogEpsilon { get; init; } = 0.02;

    /// <summary>Mean ON threshold C_on: the rise in log intensity that makes an ON event.</summary>
    public double OnThreshold { get; init; } = 0.2;

    /// <summary>Mean OFF threshold C_off: the fall in log intensity that makes an OFF event.</summary>
    public double OffThreshold { get; init; } = 0.2;

    /// <summary>
    /// Standard deviation of each pixel's thresholds around the means (transistor mismatch),
    /// drawn once per sensor; 0 gives identical pixels.
    /// </summary>
    public double ThresholdSigma { get; init; } = 0.03;

    /// <summary>Lower clamp of a drawn threshold, so no pixel has a zero or negative threshold.</summary>
    public double MinThreshold { get; init; } = 0.01;

    /// <summary>
    /// Refractory period in microseconds: an event closer than this to the previous event of the
    /// same pixel is dropped (the pixel's reference level still follows; see <see cref="DvsEmulator"/>).
    /// </summary>
    public double RefractoryUs { get; init; } = 1000;

    /// <summary>
    /// Background activity: Poisson noise events per pixel per second (leakage and shot noise),
    /// ON or OFF with equal probability; 0 disables it.
    /// </summary>
    public double BackgroundRateHz { get; init; } = 0.1;

    /// <summary>Intensity, in [0, 1], of the sensor area the image does not cover.</summary>
    public double BackgroundIntensity { get; init; }

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the first bad field.</summary>
    public void Validate()
    {
        // N-MNIST .bin and DvsEvent both hold coordinates that must fit; 65535 is DvsEvent's limit.
        if (SensorWidth is < 1 or > ushort.MaxValue) throw Bad(nameof(SensorWidth), $"must lie in [1, {ushort.MaxValue}]", SensorWidth);
        if (SensorHeight is < 1 or > ushort.MaxValue) throw Bad(nameof(SensorHeight), $"must lie in [1, {ushort.MaxValue}]", SensorHeight);
        Positive(nameof(TickUs), TickUs);
        Positive(nameof(LogEpsilon), LogEpsilon);
        Positive(nameof(OnThreshold), OnThreshold);
        Positive(nameof(OffThreshold), OffThreshold);
        Positive(nameof(MinThreshold), MinThreshold);
        NonNegative(nameof(ThresholdSigma), ThresholdSigma);
        NonNegative(nameof(RefractoryUs), RefractoryUs);
        NonNegative(nameof(BackgroundRateHz), BackgroundRateHz);
        if (!(BackgroundIntensity is >= 0 and <= 1)) throw Bad(nameof(BackgroundIntensity), "must lie in [0, 1]", BackgroundIntensity);
    }

    private static void Positive(string name, double value)
    {
        if (!(value > 0) || !double.IsFinite(value)) throw Bad(name, "must be a finite number > 0", value);
    }

    private static void NonNegative(string name, double value)
    {
        if (!(value >= 0) || !double.IsFinite(value)) throw Bad(name, "must be a finite number >= 0", value);
    }

    private static ArgumentException Bad(string name, string rule, object value) =>
        new($"{nameof(DvsEmulatorParameters)}.{name} {rule}, found {value}");
}
