using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Sim.Workloads;

/// <summary>
/// The built-in labelled event dataset: procedural shapes recorded by an emulated DVS
/// (<see cref="DvsEmulator"/>) the way N-MNIST was, so the default run needs no download.
/// </summary>
/// <remarks>
/// <para>Classes (see <see cref="AllClassNames"/>):</para>
/// <list type="bullet">
/// <item>0-7: a vertical bar, a horizontal bar, "/", "\", a ring, a filled square, "+" and "X",
/// each seen through the standard N-MNIST triangle of three saccades: they differ in shape.</item>
/// <item>8 and 9: the same small blob swept once, straight, left to right vs right to left over
/// the same positions: they differ only in the direction of motion.</item>
/// <item>10 and 11: the same "L" seen through the triangle of saccades traversed forwards vs
/// backwards: they differ only in the order of motion.</item>
/// </list>
/// <para>
/// Classes 8-11 have (almost) the same spatial event histogram within each pair, so a classifier
/// that sums events over time cannot separate them; one that keeps timing can.
/// </para>
/// <para>
/// Every sample (class k, index i) draws its jitter and its background noise from its own stream
/// <c>ForComponent(Seed, "workload.k.i")</c>, and all samples share one sensor (mismatch from the
/// same seed, like one camera recording a whole dataset), so any sample can be regenerated alone
/// and <see cref="Generate"/> gives the same result whatever the thread count.
/// </para>
/// </remarks>
public sealed class SaccadeWorkload
{
    private static readonly ClassSpec[] AllClasses =
    [
        new("vertical-bar", SceneShape.VerticalBar, MotionKind.Triangle),
        new("horizontal-bar", SceneShape.HorizontalBar, MotionKind.Triangle),
        new("slash", SceneShape.Slash, MotionKind.Triangle),
        new("backslash", SceneShape.Backslash, MotionKind.Triangle),
        new("ring", SceneShape.Ring, MotionKind.Triangle),
        new("filled-square", SceneShape.FilledSquare, MotionKind.Triangle),
        new("plus", SceneShape.Plus, MotionKind.Triangle),
        new("x-cross", SceneShape.Cross, MotionKind.Triangle),
        new("blob-sweep-right", SceneShape.Blob, MotionKind.SweepRight),
        new("blob-sweep-left", SceneShape.Blob, MotionKind.SweepLeft),
        new("l-triangle-forward", SceneShape.LShape, MotionKind.Triangle),
        new("l-triangle-reverse", SceneShape.LShape, MotionKind.TriangleReversed),
    ];

    private readonly DvsEmulator _emulator;
    private readonly MotionPath[] _paths;

    /// <summary>Prepares the workload (draws the sensor); samples are generated on demand.</summary>
    /// <exception cref="ArgumentException">A parameter is out of range (the message names it).</exception>
    public SaccadeWorkload(SaccadeWorkloadParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        _emulator = new DvsEmulator(parameters.Emulator, parameters.Seed);
        var triangle = MotionPath.NmnistTriangle(parameters.SaccadeAmplitudePx, parameters.DurationUs / 3, parameters.Profile);
        var sweep = MotionPath.StraightSweep(new PixelOffset(parameters.SweepLengthPx, 0), parameters.DurationUs, parameters.Profile);
        _paths = AllClasses.Take(parameters.Classes).Select(c => c.Kind switch
        {
            MotionKind.Triangle => triangle,
            MotionKind.TriangleReversed => triangle.Reversed(),
            MotionKind.SweepRight => sweep,
            MotionKind.SweepLeft => sweep.Reversed(),
            _ => throw new InvalidOperationException($"unknown motion {c.Kind}"),
        }).ToArray();
        ClassNames = AllClasses.Take(parameters.Classes).Select(c => c.Name).ToArray();
    }

    /// <summary>Names of all classes the workload can have, in label order.</summary>
    public static IReadOnlyList<string> AllClassNames { get; } = AllClasses.Select(c => c.Name).ToArray();

    /// <summary>The parameters.</summary>
    public SaccadeWorkloadParameters Parameters { get; }

    /// <summary>Names of this workload's classes, indexed by label.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Total number of samples, classes x samples per class.</summary>
    public int Count => Parameters.Classes * Parameters.SamplesPerClass;

    /// <summary>The emulated sensor shared by all samples.</summary>
    public DvsEmulator Sensor => _emulator;

    /// <summary>The apparent motion of class <paramref name="classIndex"/>'s scenes.</summary>
    public MotionPath Motion(int classIndex)
    {
        CheckClass(classIndex);
        return _paths[classIndex];
    }

    /// <summary>
    /// Every sample, class-major: class 0 indices 0 .. n-1, then class 1, ... (position
    /// k * SamplesPerClass + i). Samples are generated on up to <paramref name="threads"/> threads (at least 1); the
    /// result does not depend on them.
    /// </summary>
    public IReadOnlyList<LabelledSample> Generate(int threads = 1)
    {
        var options = new ThreadBudget(threads).Options;
        var n = Parameters.SamplesPerClass;
        var samples = new LabelledSample[Count];
        Parallel.For(0, samples.Length, options, s => samples[s] = Sample(s / n, s % n));
        return samples;
    }

    /// <summary>Sample <paramref name="index"/> of class <paramref name="classIndex"/>, generated alone.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The class or the index is out of range.</exception>
    public LabelledSample Sample(int classIndex, int index)
    {
        var (image, rng) = Draw(classIndex, index);
        return new LabelledSample(_emulator.Record(image, _paths[classIndex], rng), classIndex, ClassNames[classIndex]);
    }

    /// <summary>The image the sensor looks at in sample <paramref name="index"/> of class <paramref name="classIndex"/> (canvas, before centring).</summary>
    public float[,] Scene(int classIndex, int index) => Draw(classIndex, index).Image;

    /// <summary>Draws the sample's jitter and renders its scene; the returned stream then feeds the sensor noise.</summary>
    private (float[,] Image, DeterministicRandom Random) Draw(int classIndex, int index)
    {
        CheckClass(classIndex);
        if (index < 0 || index >= Parameters.SamplesPerClass)
            throw new ArgumentOutOfRangeException(nameof(index), index, $"sample index must lie in [0, {Parameters.SamplesPerClass - 1}]");
        var p = Parameters;
        var rng = DeterministicRandom.ForComponent(p.Seed, $"workload.{classIndex}.{index}");
        // Always the same six draws in the same order, whatever the shape, so streams line up across classes.
        var centre = (p.CanvasSize - 1) / 2.0;
        var style = new ShapeStyle(
            CentreX: centre + rng.NextDouble(-p.PositionJitterPx, p.PositionJitterPx),
            CentreY: centre + rng.NextDouble(-p.PositionJitterPx, p.PositionJitterPx),
            Scale: rng.NextDouble(1 - p.SizeJitter, 1 + p.SizeJitter),
            RotationRadians: rng.NextDouble(-p.RotationJitterDegrees, p.RotationJitterDegrees) * Math.PI / 180,
            StrokeWidth: rng.NextDouble(p.StrokeMin, p.StrokeMax),
            Contrast: rng.NextDouble(p.ContrastMin, p.ContrastMax));
        return (ShapeRenderer.Render(AllClasses[classIndex].Shape, style, p.CanvasSize), rng);
    }

    private void CheckClass(int classIndex)
    {
        if (classIndex < 0 || classIndex >= Parameters.Classes)
            throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, $"class must lie in [0, {Parameters.Classes - 1}]");
    }

    private enum MotionKind { Triangle, TriangleReversed, SweepRight, SweepLeft }

    private sealed record ClassSpec(string Name, SceneShape Shape, MotionKind Kind);
}
