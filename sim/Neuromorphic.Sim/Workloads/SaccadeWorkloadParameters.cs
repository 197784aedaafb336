namespace Neuromorphic.Sim.Workloads;

/// <summary>
/// Parameters of <see cref="SaccadeWorkload"/>: how many classes and samples, the seed, the
/// motion and the per-sample jitter of the scenes. The sensor is <see cref="Emulator"/>'s
/// (34 x 34 by default, like N-MNIST).
/// </summary>
public sealed record SaccadeWorkloadParameters
{
    /// <summary>Number of classes, the first ones of <see cref="SaccadeWorkload.AllClassNames"/> (2 to 12; the issue asks for at least 10).</summary>
    public int Classes { get; init; } = 12;

    /// <summary>Samples generated per class.</summary>
    public int SamplesPerClass { get; init; } = 40;

    /// <summary>Run seed: fixes the sensor's mismatch and every sample.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Length of each recording in microseconds (the triangle's three saccades share it equally).</summary>
    public double DurationUs { get; init; } = 300_000;

    /// <summary>Side of the square canvas the scenes are drawn on, centred on the sensor (MNIST: 28).</summary>
    public int CanvasSize { get; init; } = 28;

    /// <summary>Half-extent of the N-MNIST triangle in pixels (see <see cref="MotionPath.NmnistTriangle"/>).</summary>
    public double SaccadeAmplitudePx { get; init; } = 3;

    /// <summary>Length in pixels of the straight horizontal sweep of the direction-only classes.</summary>
    public double SweepLengthPx { get; init; } = 16;

    /// <summary>Position profile of every saccade and sweep.</summary>
    public SaccadeProfile Profile { get; init; } = SaccadeProfile.Linear;

    /// <summary>Maximum shift of a shape's centre on each axis, in pixels (uniform in ±this).</summary>
    public double PositionJitterPx { get; init; } = 2;

    /// <summary>Maximum relative size change (uniform scale in 1 ± this).</summary>
    public double SizeJitter { get; init; } = 0.15;

    /// <summary>Maximum rotation in degrees (uniform in ±this).</summary>
    public double RotationJitterDegrees { get; init; } = 10;

    /// <summary>Lowest shape intensity (contrast is uniform in [min, max] on a black canvas).</summary>
    public double ContrastMin { get; init; } = 0.6;

    /// <summary>Highest shape intensity.</summary>
    public double ContrastMax { get; init; } = 1.0;

    /// <summary>Thinnest stroke in pixels (stroke width is uniform in [min, max]).</summary>
    public double StrokeMin { get; init; } = 1.5;

    /// <summary>Thickest stroke in pixels.</summary>
    public double StrokeMax { get; init; } = 3.0;

    /// <summary>The emulated sensor.</summary>
    public DvsEmulatorParameters Emulator { get; init; } = new();

    /// <summary>Fewest classes.</summary>
    public const int MinClasses = 2;

    /// <summary>Most classes: the scenes the generator knows (<see cref="SaccadeWorkload.AllClassNames"/>).</summary>
    public static int MaxClasses => SaccadeWorkload.AllClassNames.Count;

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the first bad field.</summary>
    public void Validate()
    {
        if (Classes < MinClasses || Classes > MaxClasses)
            throw Bad(nameof(Classes), $"must lie in [{MinClasses}, {MaxClasses}]", Classes);
        if (SamplesPerClass < 1) throw Bad(nameof(SamplesPerClass), "must be >= 1", SamplesPerClass);
        Positive(nameof(DurationUs), DurationUs);
        if (CanvasSize < 1) throw Bad(nameof(CanvasSize), "must be >= 1", CanvasSize);
        Positive(nameof(SaccadeAmplitudePx), SaccadeAmplitudePx);
        Positive(nameof(SweepLengthPx), SweepLengthPx);
        if (!Enum.IsDefined(Profile)) throw Bad(nameof(Profile), "must be a known profile", Profile);
        NonNegative(nameof(PositionJitterPx), PositionJitterPx);
        if (!(SizeJitter is >= 0 and < 1)) throw Bad(nameof(SizeJitter), "must lie in [0, 1)", SizeJitter);
        NonNegative(nameof(RotationJitterDegrees), RotationJitterDegrees);
        if (!(ContrastMin is >= 0 and <= 1)) throw Bad(nameof(ContrastMin), "must lie in [0, 1]", ContrastMin);
        if (!(ContrastMax is >= 0 and <= 1) || ContrastMax < ContrastMin) throw Bad(nameof(ContrastMax), $"must lie in [{nameof(ContrastMin)}, 1]", ContrastMax);
        Positive(nameof(StrokeMin), StrokeMin);
        if (!(StrokeMax >= StrokeMin) || !double.IsFinite(StrokeMax)) throw Bad(nameof(StrokeMax), $"must be finite and >= {nameof(StrokeMin)}", StrokeMax);
        if (Emulator is null) throw Bad(nameof(Emulator), "must be set", "null");
        Emulator.Validate();
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
        new($"{nameof(SaccadeWorkloadParameters)}.{name} {rule}, found {value}");
}
