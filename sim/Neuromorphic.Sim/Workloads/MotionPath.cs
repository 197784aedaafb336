namespace Neuromorphic.Sim.Workloads;

/// <summary>
/// The apparent motion of a static scene on an event sensor: saccades played back to back,
/// starting at time 0. Offsets are those of the image on the sensor (the camera moving right
/// makes the scene move left); between saccades there is no pause.
/// </summary>
/// <remarks>
/// N-MNIST (Orchard et al. 2015, "Converting static image datasets to spiking neuromorphic
/// datasets using saccades", Front. Neurosci. 9:437) was recorded by an ATIS sensor on a pan-tilt
/// unit looking at each MNIST digit on a monitor while making three ~100 ms saccades along a
/// triangle that returns to its start; <see cref="NmnistTriangle"/> reproduces that path.
/// </remarks>
public sealed class MotionPath
{
    private readonly Saccade[] _saccades;
    private readonly double[] _startsUs;

    private MotionPath(Saccade[] saccades)
    {
        if (saccades.Length == 0) throw new ArgumentException("a motion path needs at least one saccade");
        for (var i = 0; i < saccades.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(saccades[i], $"saccade {i}");
            saccades[i].Validate($"saccade {i}");
        }
        _saccades = saccades;
        _startsUs = new double[saccades.Length + 1];
        for (var i = 0; i < saccades.Length; i++) _startsUs[i + 1] = _startsUs[i] + saccades[i].DurationUs;
    }

    /// <summary>The saccades, in the order they are played.</summary>
    public IReadOnlyList<Saccade> Sequence => _saccades;

    /// <summary>Total duration in microseconds.</summary>
    public double DurationUs => _startsUs[^1];

    /// <summary>
    /// A path made of the given saccades, played in order. If a saccade does not start where the
    /// previous one ended, the scene jumps: the sensor sees the jump within one tick.
    /// </summary>
    /// <exception cref="ArgumentException">No saccades, or one with a non-positive duration or a non-finite offset.</exception>
    public static MotionPath Saccades(params IEnumerable<Saccade> saccades)
    {
        ArgumentNullException.ThrowIfNull(saccades);
        return new MotionPath(saccades.ToArray());
    }

    /// <summary>
    /// The N-MNIST triangle: three saccades through the vertices (0, -a), (+a, +a), (-a, +a) and
    /// back to (0, -a), i.e. the scene moves right-down, then left, then up-right to its start.
    /// The vertices span [-a, +a] on both axes, so with a = 3 px a 28 x 28 image stays inside a
    /// 34 x 34 sensor throughout, which is why N-MNIST is 34 x 34.
    /// </summary>
    /// <param name="amplitudePx">Half the extent of the triangle, a, in pixels.</param>
    /// <param name="saccadeDurationUs">Duration of each saccade (N-MNIST: about 100 ms).</param>
    /// <param name="profile">Position profile within each saccade.</param>
    public static MotionPath NmnistTriangle(double amplitudePx = 3, double saccadeDurationUs = 100_000, SaccadeProfile profile = SaccadeProfile.Linear)
    {
        if (!(amplitudePx > 0) || !double.IsFinite(amplitudePx)) throw new ArgumentException($"amplitudePx must be a finite number > 0, found {amplitudePx}");
        var top = new PixelOffset(0, -amplitudePx);
        var right = new PixelOffset(amplitudePx, amplitudePx);
        var left = new PixelOffset(-amplitudePx, amplitudePx);
        return Saccades(
            new Saccade(top, right, saccadeDurationUs, profile),
            new Saccade(right, left, saccadeDurationUs, profile),
            new Saccade(left, top, saccadeDurationUs, profile));
    }

    /// <summary>
    /// One straight sweep by <paramref name="displacement"/>, centred on the rest position (from
    /// minus half the displacement to plus half), so sweeps in opposite directions cover the same
    /// positions and differ only in the direction of motion.
    /// </summary>
    /// <param name="displacement">Total displacement (direction and length) in pixels.</param>
    /// <param name="durationUs">Duration of the sweep.</param>
    /// <param name="profile">Position profile.</param>
    public static MotionPath StraightSweep(PixelOffset displacement, double durationUs, SaccadeProfile profile = SaccadeProfile.Linear) =>
        Saccades(new Saccade(-0.5 * displacement, 0.5 * displacement, durationUs, profile));

    /// <summary>
    /// The same route traversed backwards: saccades in reverse order, each reversed. The scene
    /// visits exactly the same positions, so only the direction of motion (hence which edges emit
    /// ON and which OFF, and when) differs.
    /// </summary>
    public MotionPath Reversed() => new(_saccades.Reverse().Select(s => s.Reversed()).ToArray());

    /// <summary>
    /// The same moves (displacements, durations, profiles) in another order, chained from this
    /// path's start so the path stays continuous. For a closed path such as the triangle, any
    /// order is again closed.
    /// </summary>
    /// <param name="order">A permutation of 0 .. <c>Sequence.Count - 1</c>: entry j is the saccade played j-th.</param>
    /// <exception cref="ArgumentException">If <paramref name="order"/> is not a permutation.</exception>
    public MotionPath Reordered(params int[] order)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.Length != _saccades.Length || order.Any(i => i < 0 || i >= _saccades.Length) || order.Distinct().Count() != order.Length)
            throw new ArgumentException($"order must be a permutation of 0..{_saccades.Length - 1}, found [{string.Join(", ", order)}]");
        var result = new Saccade[order.Length];
        var at = _saccades[0].From;
        for (var j = 0; j < order.Length; j++)
        {
            var s = _saccades[order[j]];
            result[j] = s with { From = at, To = at + s.Displacement };
            at = result[j].To;
        }
        return new MotionPath(result);
    }

    /// <summary>Displacement at <paramref name="tUs"/> microseconds (before 0: the start; after the end: the end).</summary>
    public PixelOffset OffsetAt(double tUs)
    {
        if (tUs <= 0) return _saccades[0].From;
        // Few saccades: a linear scan is cheaper and simpler than a binary search.
        for (var i = 0; i < _saccades.Length; i++)
            if (tUs < _startsUs[i + 1]) return _saccades[i].OffsetAt(tUs - _startsUs[i]);
        return _saccades[^1].To;
    }
}
