using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Hw.Devices;

/// <summary>
/// Functional model of one RRAM cell technology: which conductance a programming operation leaves,
/// what it cost in pulses and verify reads, and what a read returns. Pure numerics; energy and
/// latency per pulse or read come from the cost table, charged from the counts returned here.
/// </summary>
/// <remarks>
/// <para><b>Window.</b> GMax = 1 / Ron, GMin = GMax / (on/off ratio); level l of L = 2^bits sits at
/// GMin + l (GMax - GMin) / (L - 1).</para>
/// <para><b>Faults</b> are drawn first for every cell: stuck-at-ON with probability StuckAtOnRate, else
/// stuck-at-OFF with StuckAtOffRate. A stuck cell holds the nominal GMax or GMin and ignores every pulse.</para>
/// <para><b>Device-to-device variation</b> scales each cell's reachable window by f = max(0, 1 + sigma_d2d N):
/// no pulse can take it outside [f GMin, f GMax]. Write-verify hides this except near the window edges,
/// where a cell may be unable to reach its target; a stochastic pulse's conductance scales with f.</para>
/// <para><b>Cycle-to-cycle read noise and drift</b> act at read time only (<see cref="Read"/>).</para>
/// </remarks>
public sealed class RramDevice
{
    /// <summary>The residual write-verify error beyond which the Gaussian tail is cut (it would give negative or absurd conductances).</summary>
    private const double ResidualTailSigmas = 4;

    private readonly double[] _levelSigma;
    private readonly Lazy<ExpectedProgramming> _levelZero;

    /// <summary>Creates the model after validating <paramref name="parameters"/>.</summary>
    /// <exception cref="ArgumentException">A parameter is out of its domain (the message names it).</exception>
    public RramDevice(RramDeviceParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        GMax = 1.0 / parameters.RonOhm;
        GMin = GMax / parameters.OnOffRatio;
        Levels = parameters.Levels;
        LevelSpacing = (GMax - GMin) / (Levels - 1);
        // Copied: the record holds a mutable array, and the device must not change after construction.
        _levelSigma = parameters.ProgrammingSigmaPerLevel is { } table
            ? (double[])table.Clone()
            : Enumerable.Repeat(parameters.ProgrammingSigma, Levels).ToArray();
        ReadDriftFactor = DriftFactor(parameters.ReadTimeSeconds);
        _levelZero = new Lazy<ExpectedProgramming>(() => ExpectedProgrammingOf(0));
    }

    /// <summary>The expected write-verify activity of a level-0 cell (<see cref="ExpectedProgrammingOf"/>), computed once.</summary>
    public ExpectedProgramming LevelZeroProgramming => _levelZero.Value;

    /// <summary>The parameters this model was built from.</summary>
    public RramDeviceParameters Parameters { get; }

    /// <summary>Conductance of the fully SET state, 1 / Ron (siemens).</summary>
    public double GMax { get; }

    /// <summary>Conductance of the fully RESET state, GMax / on-off ratio (siemens).</summary>
    public double GMin { get; }

    /// <summary>Number of conductance levels, 2^BitsPerCell.</summary>
    public int Levels { get; }

    /// <summary>Conductance step between adjacent levels (siemens).</summary>
    public double LevelSpacing { get; }

    /// <summary>Drift factor at <see cref="RramDeviceParameters.ReadTimeSeconds"/>, applied by every read.</summary>
    public double ReadDriftFactor { get; }

    /// <summary>Target conductance of <paramref name="level"/>: evenly spaced from GMin (level 0) to GMax (top level).</summary>
    public double LevelConductance(int level)
    {
        CheckLevel(level);
        return level == Levels - 1 ? GMax : GMin + level * LevelSpacing;
    }

    /// <summary>Relative residual write-verify sigma of <paramref name="level"/> (per-level table or the common value).</summary>
    public double LevelSigma(int level)
    {
        CheckLevel(level);
        return _levelSigma[level];
    }

    /// <summary>
    /// Programs one cell to <paramref name="level"/> by write-verify and reports the pulses and verify
    /// reads it took.
    /// </summary>
    /// <remarks>
    /// <para>Cost: after the fault and device-to-device draws, each pulse leaves the cell at
    /// G_t (1 + PulseSigma N), clamped to the cell's window, and is followed by one verify read that
    /// accepts |G - G_t| &lt;= VerifyTolerance G_t; pulses repeat until a read accepts or
    /// MaxVerifyIterations pulses are spent. The count is therefore geometric with success probability
    /// P(|N| &lt;= VerifyTolerance / PulseSigma): about 6 pulses at the defaults (0.25, 5 %), more for a
    /// tighter tolerance, which is the write-cost trade-off the cost model charges.</para>
    /// <para>Result: the conductance the cell keeps is G_t (1 + sigma_level N), the measured residual
    /// distribution, not the value of the last loop pulse: published residual sigmas already fold in the
    /// verify tolerance, relaxation after programming and the cells that used the whole budget, and this
    /// makes the residual statistics exactly the configured ones (and a noise-free configuration exact
    /// whatever PulseSigma is). The Gaussian tail is cut at 4 sigma beyond the cell's window so
    /// conductances stay positive. Only a target the cell cannot reach at all (its varied window ends
    /// farther than the tolerance from G_t) changes this: every pulse fails and the cell is left at its
    /// window edge (with the same residual spread).</para>
    /// <para>A stuck cell keeps its stuck value: it passes the first verify if that value happens to be
    /// within tolerance of the target, else it uses all MaxVerifyIterations pulses.</para>
    /// </remarks>
    public ProgrammedCell Program(int level, DeterministicRandom rng)
    {
        CheckLevel(level);
        ArgumentNullException.ThrowIfNull(rng);
        var p = Parameters;
        var target = LevelConductance(level);
        var accept = p.VerifyTolerance * target;

        var fault = DrawFault(rng);
        if (fault != CellFault.None)
        {
            var stuck = fault == CellFault.StuckOn ? GMax : GMin;
            var attempts = Math.Abs(stuck - target) <= accept ? 1 : p.MaxVerifyIterations;
            return new ProgrammedCell(stuck, attempts, attempts, fault);
        }

        var f = DrawWindowFactor(rng);
        double low = f * GMin, high = f * GMax;
        var reachable = Math.Abs(Math.Clamp(target, low, high) - target) <= accept;
        var pulses = 0;
        var converged = false;
        while (!converged && pulses < p.MaxVerifyIterations)
        {
            var g = Math.Clamp(target * (1 + p.PulseSigma * Normal(rng, p.PulseSigma)), low, high);
            pulses++;
            converged = Math.Abs(g - target) <= accept;
        }

        var centre = reachable ? target : Math.Clamp(target, low, high);
        var sigma = _levelSigma[level];
        var conductance = sigma > 0
            ? Math.Clamp(centre * (1 + sigma * rng.NextNormal()),
                Math.Max(0, low * (1 - ResidualTailSigmas * sigma)), high * (1 + ResidualTailSigmas * sigma))
            : centre;
        return new ProgrammedCell(conductance, pulses, pulses, CellFault.None);
    }

    /// <summary>
    /// Programs cell (<paramref name="row"/>, <paramref name="column"/>) of the array seeded with
    /// <paramref name="arraySeed"/> to <paramref name="level"/> by write-verify, as
    /// <see cref="Program(int, DeterministicRandom)"/> does, but with counter-based draws
    /// (<see cref="CellRandom"/>: fault, window factor, each pulse and the residual from their own
    /// streams of the cell), so the cell's result does not depend on which other cells were programmed
    /// before it, and its conductance can be drawn again later (<see cref="ProgrammedConductance"/>)
    /// without keeping it.
    /// </summary>
    public ProgrammedCell Program(int level, ulong arraySeed, int row, int column)
    {
        CheckLevel(level);
        var (fault, conductance, low, high) = Settle(level, arraySeed, row, column);
        var p = Parameters;
        var target = LevelConductance(level);
        var accept = p.VerifyTolerance * target;
        if (fault != CellFault.None)
        {
            var attempts = Math.Abs(conductance - target) <= accept ? 1 : p.MaxVerifyIterations;
            return new ProgrammedCell(conductance, attempts, attempts, fault);
        }
        var pulses = 0;
        var converged = false;
        while (!converged && pulses < p.MaxVerifyIterations)
        {
            var n = p.PulseSigma > 0 ? CellRandom.Normal(arraySeed, row, column, CellRandom.PulseStream, pulses) : 0;
            var g = Math.Clamp(target * (1 + p.PulseSigma * n), low, high);
            pulses++;
            converged = Math.Abs(g - target) <= accept;
        }
        return new ProgrammedCell(conductance, pulses, pulses, CellFault.None);
    }

    /// <summary>
    /// Programs cell i = (<paramref name="rows"/>[i], <paramref name="columns"/>[i]) of the array seeded with
    /// <paramref name="arraySeed"/> to <paramref name="levels"/>[i] for every i, each exactly as
    /// <see cref="Program(int, ulong, int, int)"/> does (same draws, same pulses, same conductance to the last bit), many cells
    /// at a time (<see cref="WriteVerifyBatch"/>).
    /// </summary>
    /// <param name="arraySeed">The array's seed of its counter-based draws.</param>
    /// <param name="levels">Level of each cell.</param>
    /// <param name="rows">Row of each cell.</param>
    /// <param name="columns">Column of each cell.</param>
    /// <param name="conductances">Receives the conductance each cell keeps.</param>
    /// <returns>Pulses, verify reads and stuck cells, summed over the cells.</returns>
    /// <exception cref="ArgumentException">The spans differ in length.</exception>
    public ProgrammingTotals ProgramCells(ulong arraySeed, ReadOnlySpan<int> levels, ReadOnlySpan<int> rows, ReadOnlySpan<int> columns, Span<double> conductances)
    {
        if (rows.Length != levels.Length || columns.Length != levels.Length || conductances.Length != levels.Length)
            throw new ArgumentException($"{levels.Length} levels, {rows.Length} rows, {columns.Length} columns and {conductances.Length} conductances must agree");
        return WriteVerifyBatch.Program(this, arraySeed, levels, rows, columns, conductances);
    }

    /// <summary>
    /// The conductance <see cref="Program(int, ulong, int, int)"/> leaves in the cell, without running the
    /// write-verify loop (the loop decides the cost only): an array that does not keep its level-0 cells
    /// draws them here when they are read.
    /// </summary>
    public double ProgrammedConductance(int level, ulong arraySeed, int row, int column) => Settle(level, arraySeed, row, column).Conductance;

    /// <summary>
    /// True when every level-0 cell holds exactly <see cref="GMin"/> after programming (no faults, no
    /// device-to-device variation, no residual error at level 0): level-0 cells are then all alike.
    /// </summary>
    public bool LevelZeroExact =>
        Parameters.StuckAtOnRate + Parameters.StuckAtOffRate <= 0 && Parameters.DeviceToDeviceSigma == 0 && _levelSigma[0] == 0;

    /// <summary>
    /// The expected write-verify activity of one cell programmed to <paramref name="level"/> by
    /// <see cref="Program(int, ulong, int, int)"/>: pulses (the truncated geometric count of the verify
    /// loop, averaged over the cell's window factor by Simpson's rule over 8 sigma), verify reads, and
    /// the probabilities of a stuck cell. Arrays count their level-0 cells at this expectation, so the
    /// cost of programming an array does not need every one of its cells to be drawn.
    /// </summary>
    public ExpectedProgramming ExpectedProgrammingOf(int level)
    {
        CheckLevel(level);
        var p = Parameters;
        var target = LevelConductance(level);
        var accept = p.VerifyTolerance * target;
        double on = p.StuckAtOnRate, off = p.StuckAtOffRate;
        double Attempts(double stuck) => Math.Abs(stuck - target) <= accept ? 1 : p.MaxVerifyIterations;
        double PulsesAt(double f)
        {
            double low = f * GMin, high = f * GMax;
            double success;
            if (p.PulseSigma == 0) success = Math.Abs(Math.Clamp(target, low, high) - target) <= accept ? 1 : 0;
            else
            {
                // x = target (1 + sigma N) is clamped to [low, high]; accepted when the clamped value is within the tolerance.
                var sd = target * p.PulseSigma;
                double Cdf(double x) => StandardNormal.Cdf((x - target) / sd);
                double a = Math.Max(low, target - accept), b = Math.Min(high, target + accept);
                success = b >= a ? Cdf(b) - Cdf(a) : 0;
                if (Math.Abs(low - target) <= accept) success += Cdf(low);
                if (Math.Abs(high - target) <= accept) success += 1 - Cdf(high);
                success = Math.Clamp(success, 0, 1);
            }
            if (success >= 1) return 1;
            if (success <= 0) return p.MaxVerifyIterations;
            return (1 - Math.Pow(1 - success, p.MaxVerifyIterations)) / success;
        }
        double healthy;
        var sigma = p.DeviceToDeviceSigma;
        if (sigma == 0) healthy = PulsesAt(1);
        else
        {
            const int Intervals = 1600;
            const double Span = 8;
            var h = 2 * Span / Intervals;
            double sum = 0;
            for (var i = 0; i <= Intervals; i++)
            {
                var z = -Span + i * h;
                var weight = i == 0 || i == Intervals ? 1 : i % 2 == 1 ? 4 : 2;
                sum += weight * Math.Exp(-0.5 * z * z) * PulsesAt(Math.Max(0, 1 + sigma * z));
            }
            healthy = sum * h / 3 / Math.Sqrt(2 * Math.PI);
        }
        var pulses = on * Attempts(GMax) + off * Attempts(GMin) + (1 - on - off) * healthy;
        return new ExpectedProgramming(pulses, pulses, on, off);
    }

    /// <summary>The fault and conductance of a cell programmed by counter-based draws (see <see cref="Program(int, ulong, int, int)"/>).</summary>
    internal (CellFault Fault, double Conductance, double Low, double High) Settle(int level, ulong arraySeed, int row, int column)
    {
        var p = Parameters;
        var target = LevelConductance(level);
        var on = p.StuckAtOnRate;
        var off = p.StuckAtOffRate;
        if (on + off > 0)
        {
            var u = CellRandom.Uniform(arraySeed, row, column, CellRandom.FaultStream, 0);
            if (u < on) return (CellFault.StuckOn, GMax, GMax, GMax);
            if (u < on + off) return (CellFault.StuckOff, GMin, GMin, GMin);
        }
        var f = p.DeviceToDeviceSigma > 0
            ? Math.Max(0, 1 + p.DeviceToDeviceSigma * CellRandom.Normal(arraySeed, row, column, CellRandom.WindowStream, 0))
            : 1;
        double low = f * GMin, high = f * GMax;
        var accept = p.VerifyTolerance * target;
        var reachable = Math.Abs(Math.Clamp(target, low, high) - target) <= accept;
        var centre = reachable ? target : Math.Clamp(target, low, high);
        var sigma = _levelSigma[level];
        var conductance = sigma > 0
            ? Math.Clamp(centre * (1 + sigma * CellRandom.Normal(arraySeed, row, column, CellRandom.ResidualStream, 0)),
                Math.Max(0, low * (1 - ResidualTailSigmas * sigma)), high * (1 + ResidualTailSigmas * sigma))
            : centre;
        return (CellFault.None, conductance, low, high);
    }

    /// <summary>
    /// Programs one cell with a single stochastic SET/forming pulse: its conductance is drawn from
    /// <see cref="RramDeviceParameters.PulseDistribution"/> within the nominal window [GMin, GMax] (see
    /// <see cref="ConductanceDistribution.SampleWithin"/>) and scaled by the cell's device-to-device
    /// factor, so it lies in the cell's own window; faults apply; no verify read. All draws come from
    /// <paramref name="rng"/> (<see cref="StochasticStreams.Single"/>): fault, window factor and pulse for every cell (a
    /// stuck cell draws all three too, since session 29), so on one stream the draws do not line up across fault rates or
    /// sigmas; <see cref="ProgramStochastic(StochasticStreams)"/> with <see cref="StochasticStreams.For"/> keeps them aligned.
    /// </summary>
    /// <exception cref="InvalidOperationException">No pulse distribution is configured.</exception>
    public ProgrammedCell ProgramStochastic(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return ProgramStochastic(StochasticStreams.Single(rng));
    }

    /// <summary>
    /// <see cref="ProgramStochastic(DeterministicRandom)"/> with each kind of draw from its own stream: the cell's fault
    /// (when a stuck-at rate is set), its window factor (when the device-to-device sigma is) and its pulse are drawn for
    /// every cell, faulty or not, so the streams stay aligned cell by cell whatever the fault rates and sigma are.
    /// </summary>
    /// <exception cref="InvalidOperationException">No pulse distribution is configured.</exception>
    public ProgrammedCell ProgramStochastic(StochasticStreams streams)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var distribution = Parameters.PulseDistribution
            ?? throw new InvalidOperationException($"{nameof(RramDeviceParameters)}.{nameof(RramDeviceParameters.PulseDistribution)} is required for stochastic programming");
        var fault = DrawFault(streams.Fault);
        // The draw is the pulse's outcome relative to a nominal cell; a cell whose window is f times the
        // nominal one ends f times higher, so device-to-device variation spreads random weights too.
        var f = DrawWindowFactor(streams.Window);
        var pulse = distribution.SampleWithin(streams.Pulse, GMin, GMax);
        if (fault != CellFault.None) return new ProgrammedCell(fault == CellFault.StuckOn ? GMax : GMin, 1, 0, fault);
        return new ProgrammedCell(f * pulse, 1, 0, CellFault.None);
    }

    /// <summary>
    /// Retention drift G(t) / G0 = (t / t0)^-nu for t &gt; t0, and 1 before t0 (the law is fitted from t0 on).
    /// </summary>
    public double DriftFactor(double secondsSinceProgramming)
    {
        if (!(secondsSinceProgramming >= 0))
            throw new ArgumentOutOfRangeException(nameof(secondsSinceProgramming), secondsSinceProgramming, "time since programming must be >= 0");
        var p = Parameters;
        if (p.DriftNu == 0 || secondsSinceProgramming <= p.DriftT0Seconds) return 1;
        return Math.Pow(secondsSinceProgramming / p.DriftT0Seconds, -p.DriftNu);
    }

    /// <summary>
    /// The conductance a read sees for a cell programmed to <paramref name="conductance"/>: drifted to
    /// ReadTimeSeconds and multiplied by (1 + ReadNoiseSigma N), redrawn at each call; never negative.
    /// </summary>
    public double Read(double conductance, DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        var g = conductance * ReadDriftFactor;
        var sigma = Parameters.ReadNoiseSigma;
        if (sigma > 0) g = Math.Max(0, g * (1 + sigma * rng.NextNormal()));
        return g;
    }

    /// <summary>Draws the permanent defect of a cell (no draw when both rates are 0, so fault-free runs keep their streams).</summary>
    private CellFault DrawFault(DeterministicRandom rng)
    {
        var on = Parameters.StuckAtOnRate;
        var off = Parameters.StuckAtOffRate;
        if (on + off <= 0) return CellFault.None;
        var u = rng.NextDouble();
        return u < on ? CellFault.StuckOn : u < on + off ? CellFault.StuckOff : CellFault.None;
    }

    /// <summary>The cell's window scale f = max(0, 1 + sigma_d2d N).</summary>
    private double DrawWindowFactor(DeterministicRandom rng)
    {
        var sigma = Parameters.DeviceToDeviceSigma;
        return sigma > 0 ? Math.Max(0, 1 + sigma * rng.NextNormal()) : 1;
    }

    /// <summary>A standard normal draw, skipped when it would be multiplied by a zero sigma.</summary>
    private static double Normal(DeterministicRandom rng, double sigma) => sigma > 0 ? rng.NextNormal() : 0;

    private void CheckLevel(int level)
    {
        if ((uint)level >= (uint)Levels)
            throw new ArgumentOutOfRangeException(nameof(level), level, $"level must lie in [0, {Levels - 1}]");
    }
}
