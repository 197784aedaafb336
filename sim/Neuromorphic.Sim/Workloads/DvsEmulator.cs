using Neuromorphic.Sim.Randomness;
using Neuromorphic.Traces.Events;

namespace Neuromorphic.Sim.Workloads;

/// <summary>
/// Emulates a dynamic vision sensor (DVS / ATIS change-detection pixels) looking at a static
/// grayscale image that moves across it along a <see cref="MotionPath"/> — the way N-MNIST was
/// recorded (Orchard et al. 2015) — and returns the events it would emit.
/// </summary>
/// <remarks>
/// <para>
/// The image (H x W, intensities in [0, 1]) is centred on the sensor; the rest of the sensor
/// sees <see cref="DvsEmulatorParameters.BackgroundIntensity"/>. Every tick the scene, shifted by
/// the path's current sub-pixel offset, is sampled at each pixel centre by bilinear
/// interpolation (pixels outside the image count as background), and converted to log
/// intensity L = ln(I + eps).
/// </para>
/// <para>
/// Each pixel keeps a reference level, initialised to its log intensity at time 0 (the sensor
/// has adapted to the still scene before the motion starts). Between two ticks L is taken to
/// change linearly; every time L - ref reaches +C_on the pixel emits an ON event at the
/// interpolated crossing time and ref rises by C_on (likewise OFF at -C_off), so a change
/// spanning several thresholds gives several events, spread within the tick.
/// </para>
/// <para>
/// Refractory period: an event less than <see cref="DvsEmulatorParameters.RefractoryUs"/> after
/// the previous event of the same pixel is dropped, but its crossing still moves the reference
/// (as v2e does). The physical pixel is held in reset during the refractory period, so its
/// memorised level tracks the input meanwhile; letting the reference lag instead would release
/// a burst of catch-up events when the period ends, which real sensors do not show.
/// </para>
/// <para>
/// Thresholds C_on and C_off of every pixel are drawn once per sensor (per emulator instance)
/// from N(C, sigma) clamped below at <see cref="DvsEmulatorParameters.MinThreshold"/>, from the
/// stream <c>"dvs.mismatch"</c> of the seed. Background activity adds Poisson events of random
/// polarity to each pixel independently of the signal; they are subject to the refractory
/// period too but leave the reference unchanged (leakage does not change what the pixel sees).
/// </para>
/// <para>
/// Timestamps are the interpolated times rounded down to whole microseconds. Events are
/// returned in time order; ties are broken by pixel index (row-major) and then by the order the
/// pixel produced them, so the output is bit-identical for the same inputs and seeds. An
/// emulator holds no mutable state: one instance may record many scenes, from several threads.
/// </para>
/// </remarks>
public sealed class DvsEmulator
{
    private readonly double[] _onThresholds;
    private readonly double[] _offThresholds;

    /// <summary>Builds a sensor, drawing its per-pixel thresholds from <paramref name="seed"/> (stream <c>"dvs.mismatch"</c>).</summary>
    /// <param name="parameters">Sensor parameters; validated here.</param>
    /// <param name="seed">Run seed; the same seed gives the same sensor.</param>
    /// <exception cref="ArgumentException">A parameter is out of range (the message names it).</exception>
    public DvsEmulator(DvsEmulatorParameters parameters, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        var n = parameters.SensorWidth * parameters.SensorHeight;
        _onThresholds = new double[n];
        _offThresholds = new double[n];
        var rng = DeterministicRandom.ForComponent(seed, "dvs.mismatch");
        for (var p = 0; p < n; p++)
        {
            // Drawn even when sigma = 0 so the sequence (and thus every other pixel) does not depend on sigma being zero.
            _onThresholds[p] = Math.Max(parameters.MinThreshold, rng.NextNormal(parameters.OnThreshold, parameters.ThresholdSigma));
            _offThresholds[p] = Math.Max(parameters.MinThreshold, rng.NextNormal(parameters.OffThreshold, parameters.ThresholdSigma));
        }
    }

    /// <summary>The parameters of this sensor.</summary>
    public DvsEmulatorParameters Parameters { get; }

    /// <summary>Each pixel's ON threshold (log-intensity units), row-major: index y * width + x.</summary>
    public IReadOnlyList<double> OnThresholds => _onThresholds;

    /// <summary>Each pixel's OFF threshold (log-intensity units, positive), row-major: index y * width + x.</summary>
    public IReadOnlyList<double> OffThresholds => _offThresholds;

    /// <summary>Records the events the sensor emits while <paramref name="image"/> moves along <paramref name="path"/>.</summary>
    /// <param name="image">Grayscale intensities in [0, 1], indexed [row, column]; centred on the sensor.</param>
    /// <param name="path">The apparent motion of the image; the recording lasts <see cref="MotionPath.DurationUs"/>.</param>
    /// <param name="noise">The stream background-activity events are drawn from (unused when the rate is 0).</param>
    /// <returns>The events, time-sorted, on a sensor of the configured size.</returns>
    /// <exception cref="ArgumentException">An intensity is not a number in [0, 1].</exception>
    public EventStream Record(float[,] image, MotionPath path, DeterministicRandom noise)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(noise);
        var imageHeight = image.GetLength(0);
        var imageWidth = image.GetLength(1);
        if (imageHeight == 0 || imageWidth == 0) throw new ArgumentException("the image is empty", nameof(image));
        for (var y = 0; y < imageHeight; y++)
            for (var x = 0; x < imageWidth; x++)
                if (!(image[y, x] is >= 0 and <= 1)) throw new ArgumentException($"image[{y}, {x}] = {image[y, x]} is not an intensity in [0, 1]", nameof(image));

        var p = Parameters;
        var scene = new Scene(image, p);
        var n = p.SensorWidth * p.SensorHeight;
        var before = new double[n];
        var after = new double[n];
        scene.Render(path.OffsetAt(0), before);
        var reference = (double[])before.Clone();
        var lastEventUs = new long[n];
        Array.Fill(lastEventUs, long.MinValue / 2); // "long ago", without overflow in the difference
        var noiseRatePerUs = p.BackgroundRateHz * 1e-6;
        double[]? nextNoiseUs = null;
        if (noiseRatePerUs > 0)
        {
            nextNoiseUs = new double[n];
            for (var i = 0; i < n; i++) nextNoiseUs[i] = Exponential(noise, noiseRatePerUs);
        }

        var events = new List<DvsEvent>();
        var tick = new List<Candidate>();
        var pixelEvents = new List<Candidate>();
        var duration = path.DurationUs;
        var ticks = Math.Max(1, (int)Math.Ceiling(duration / p.TickUs - 1e-9));
        for (var k = 1; k <= ticks; k++)
        {
            var t0 = (k - 1) * p.TickUs;
            var t1 = Math.Min(k * p.TickUs, duration);
            scene.Render(path.OffsetAt(t1), after);
            tick.Clear();
            for (var i = 0; i < n; i++)
            {
                pixelEvents.Clear();
                // Most pixels cross no level in a tick: test that here, without the call (Crossings would return the reference unchanged).
                if (after[i] - reference[i] >= _onThresholds[i] || reference[i] - after[i] >= _offThresholds[i])
                    reference[i] = Crossings(before[i], after[i], reference[i], _onThresholds[i], _offThresholds[i], t0, t1, i, pixelEvents);
                if (nextNoiseUs is not null && nextNoiseUs[i] <= t1)
                {
                    while (nextNoiseUs[i] <= t1)
                    {
                        pixelEvents.Add(new Candidate((long)Math.Floor(nextNoiseUs[i]), i, pixelEvents.Count, (byte)noise.NextInt(2)));
                        nextNoiseUs[i] += Exponential(noise, noiseRatePerUs);
                    }
                    // Noise interleaves with the signal crossings; restore time order for the refractory check.
                    pixelEvents.Sort(Candidate.Compare);
                }
                foreach (var e in pixelEvents)
                {
                    if (e.TimeUs - lastEventUs[i] < p.RefractoryUs) continue;
                    lastEventUs[i] = e.TimeUs;
                    tick.Add(e with { Order = tick.Count });
                }
            }
            // All events of this tick lie in (t0, t1], after every earlier tick's: sorting per tick sorts the whole stream.
            tick.Sort(Candidate.Compare);
            foreach (var e in tick)
                events.Add(new DvsEvent((ushort)(e.Pixel % p.SensorWidth), (ushort)(e.Pixel / p.SensorWidth), e.Polarity, e.TimeUs));
            (before, after) = (after, before);
        }
        return new EventStream(p.SensorWidth, p.SensorHeight, events);
    }

    /// <summary>
    /// Appends the threshold crossings of one pixel while L goes linearly from
    /// <paramref name="from"/> to <paramref name="to"/> over (t0, t1]; returns the new reference.
    /// </summary>
    private static double Crossings(double from, double to, double reference, double cOn, double cOff, double t0, double t1, int pixel, List<Candidate> output)
    {
        // Invariant from the previous tick: -cOff < from - reference < cOn, so the first level
        // crossed lies strictly beyond 'from' and the interpolation fraction is in (0, 1].
        var change = to - from;
        if (to - reference >= cOn)
        {
            while (to - reference >= cOn)
            {
                reference += cOn;
                output.Add(new Candidate(CrossingTime(from, change, reference, t0, t1), pixel, output.Count, 1));
            }
        }
        else if (reference - to >= cOff)
        {
            while (reference - to >= cOff)
            {
                reference -= cOff;
                output.Add(new Candidate(CrossingTime(from, change, reference, t0, t1), pixel, output.Count, 0));
            }
        }
        return reference;
    }

    private static long CrossingTime(double from, double change, double level, double t0, double t1)
    {
        var f = Math.Clamp((level - from) / change, 0, 1);
        return (long)Math.Floor(t0 + f * (t1 - t0));
    }

    private static double Exponential(DeterministicRandom rng, double ratePerUs) => -Math.Log(1 - rng.NextDouble()) / ratePerUs;

    /// <summary>An event before sorting: time, pixel, and the order it was produced in (the last tie-breaker).</summary>
    private readonly record struct Candidate(long TimeUs, int Pixel, int Order, byte Polarity)
    {
        public static int Compare(Candidate a, Candidate b)
        {
            var c = a.TimeUs.CompareTo(b.TimeUs);
            if (c != 0) return c;
            c = a.Pixel.CompareTo(b.Pixel);
            return c != 0 ? c : a.Order.CompareTo(b.Order);
        }
    }

    /// <summary>The image placed centred on the sensor, sampled bilinearly at a sub-pixel offset.</summary>
    private sealed class Scene
    {
        private readonly float[] _image; // row-major copy: one bounds check per sample instead of two
        private readonly int _width, _height, _sensorWidth, _sensorHeight;
        private readonly double _originX, _originY, _background, _epsilon;
        // Per sensor column, the image column left of its sample point and the fraction past it: the same for every row.
        private readonly int[] _column;
        private readonly double[] _columnFraction;

        public Scene(float[,] image, DvsEmulatorParameters p)
        {
            _height = image.GetLength(0);
            _width = image.GetLength(1);
            _image = new float[_height * _width];
            for (var y = 0; y < _height; y++)
                for (var x = 0; x < _width; x++) _image[y * _width + x] = image[y, x];
            _sensorWidth = p.SensorWidth;
            _sensorHeight = p.SensorHeight;
            // Sensor coordinate of image pixel (0, 0) at rest: centres the image (half-pixel if the margins are odd).
            _originX = (_sensorWidth - _width) / 2.0;
            _originY = (_sensorHeight - _height) / 2.0;
            _background = p.BackgroundIntensity;
            _epsilon = p.LogEpsilon;
            _column = new int[_sensorWidth];
            _columnFraction = new double[_sensorWidth];
        }

        /// <summary>Writes ln(I + eps) of every sensor pixel, row-major, for the image shifted by <paramref name="offset"/>.</summary>
        public void Render(PixelOffset offset, double[] target)
        {
            // Dark pixels (four samples of zero intensity) give the same value, and so the same logarithm, over most of a
            // scene: the last logarithm is reused while the value repeats exactly (the logarithm is a third of the whole
            // recording's time otherwise).
            var lastValue = double.NaN;
            var lastLog = double.NaN;
            for (var sx = 0; sx < _sensorWidth; sx++)
            {
                var u = sx - _originX - offset.X;
                _column[sx] = (int)Math.Floor(u);
                _columnFraction[sx] = u - _column[sx];
            }
            for (var sy = 0; sy < _sensorHeight; sy++)
            {
                var v = sy - _originY - offset.Y;
                var j = (int)Math.Floor(v);
                var fv = v - j;
                for (var sx = 0; sx < _sensorWidth; sx++)
                {
                    var i = _column[sx];
                    var fu = _columnFraction[sx];
                    var top = (1 - fu) * Sample(i, j) + fu * Sample(i + 1, j);
                    var bottom = (1 - fu) * Sample(i, j + 1) + fu * Sample(i + 1, j + 1);
                    var value = (1 - fv) * top + fv * bottom + _epsilon;
                    if (value != lastValue) (lastValue, lastLog) = (value, Math.Log(value));
                    target[sy * _sensorWidth + sx] = lastLog;
                }
            }
        }

        private double Sample(int x, int y) => (uint)x < (uint)_width && (uint)y < (uint)_height ? _image[y * _width + x] : _background;
    }
}
