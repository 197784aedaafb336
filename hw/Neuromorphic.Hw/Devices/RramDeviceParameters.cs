namespace Neuromorphic.Hw.Devices;

/// <summary>
/// Parameters of one RRAM (1T1R) cell technology: conductance window, levels, programming and
/// non-idealities. Plain data, kept apart from the behaviour in <see cref="RramDevice"/> so an
/// architecture file can state them and a sweep can vary them. Defaults are NeuroSim's RRAM
/// (Ron 100 kOhm, on/off 17, 1 bit per cell, 0.2 V read) with every non-ideality off except the
/// pulse spread that sets the write-verify iteration count.
/// </summary>
public sealed record RramDeviceParameters
{
    /// <summary>Resistance of the fully SET (low-resistance) state, ohm; GMax = 1 / RonOhm.</summary>
    public double RonOhm { get; init; } = 100e3;

    /// <summary>Ratio Roff / Ron (&gt; 1); GMin = GMax / OnOffRatio.</summary>
    public double OnOffRatio { get; init; } = 17;

    /// <summary>Bits stored per cell, 1..8; the cell has 2^BitsPerCell evenly spaced conductance levels.</summary>
    public int BitsPerCell { get; init; } = 1;

    /// <summary>Read voltage on an active word line, volts.</summary>
    public double ReadVoltage { get; init; } = 0.2;

    /// <summary>Which programming scheme the architecture uses for this device.</summary>
    public ProgrammingScheme Programming { get; init; } = ProgrammingScheme.WriteVerify;

    /// <summary>Residual error after write-verify, relative to the target conductance (sigma_G / G), for every level.</summary>
    public double ProgrammingSigma { get; init; }

    /// <summary>Optional relative residual sigma per level (length = number of levels); overrides <see cref="ProgrammingSigma"/>.</summary>
    public double[]? ProgrammingSigmaPerLevel { get; init; }

    /// <summary>Relative spread of one programming pulse before verify; with <see cref="VerifyTolerance"/> it decides how many iterations a cell needs.</summary>
    public double PulseSigma { get; init; } = 0.25;

    /// <summary>Relative deviation from the target that a verify read accepts.</summary>
    public double VerifyTolerance { get; init; } = 0.05;

    /// <summary>Most pulses (each followed by a verify read) the write-verify loop spends on one cell.</summary>
    public int MaxVerifyIterations { get; init; } = 20;

    /// <summary>Conductance left by one stochastic SET/forming pulse; required for <see cref="ProgrammingScheme.StochasticPulse"/>.</summary>
    public ConductanceDistribution? PulseDistribution { get; init; }

    /// <summary>Device-to-device variation: per-cell static relative scaling of the conductance window.</summary>
    public double DeviceToDeviceSigma { get; init; }

    /// <summary>Cycle-to-cycle read noise relative to the conductance, redrawn at every read.</summary>
    public double ReadNoiseSigma { get; init; }

    /// <summary>How a read draws <see cref="ReadNoiseSigma"/>: per column where that is exact in distribution (the default), or per cell.</summary>
    public ReadNoiseModel ReadNoiseModel { get; init; } = ReadNoiseModel.Auto;

    /// <summary>
    /// Largest <see cref="ReadNoiseSigma"/> drawn per column: a cell's clip at zero conductance needs N &lt; -1 / sigma, under
    /// 1e-15 per cell read at 0.125 (P(N &lt; -8) = 6.2e-16), so the column's sum is normal to that precision. Above it the
    /// clip shapes the distribution and only per-cell draws are exact.
    /// </summary>
    public const double MaxPerColumnReadNoiseSigma = 0.125;

    /// <summary>Probability that a cell is stuck in the low-resistance state.</summary>
    public double StuckAtOnRate { get; init; }

    /// <summary>Probability that a cell is stuck in the high-resistance state.</summary>
    public double StuckAtOffRate { get; init; }

    /// <summary>Retention drift exponent nu in G(t) = G0 (t / t0)^-nu (0 = no drift).</summary>
    public double DriftNu { get; init; }

    /// <summary>Reference time t0 of the drift law, seconds; no drift before it.</summary>
    public double DriftT0Seconds { get; init; } = 1;

    /// <summary>Time between programming and the reads being simulated, seconds (sets the drift applied at read).</summary>
    public double ReadTimeSeconds { get; init; } = 1;

    /// <summary>Number of conductance levels, 2^BitsPerCell.</summary>
    public int Levels => 1 << BitsPerCell;

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> whose message names the field and its value (and whose
    /// <see cref="ArgumentException.ParamName"/> is the field) when a parameter is out of its domain.
    /// </summary>
    public void Validate()
    {
        const string Owner = nameof(RramDeviceParameters);
        ParameterCheck.Positive(RonOhm, Owner, nameof(RonOhm));
        if (!(OnOffRatio > 1) || double.IsInfinity(OnOffRatio))
            throw ParameterCheck.Fail(Owner, nameof(OnOffRatio), OnOffRatio, "must be a finite number > 1");
        ParameterCheck.InRange(BitsPerCell, 1, 8, Owner, nameof(BitsPerCell));
        ParameterCheck.Positive(ReadVoltage, Owner, nameof(ReadVoltage));
        ParameterCheck.Defined(Programming, Owner, nameof(Programming));
        ParameterCheck.NonNegative(ProgrammingSigma, Owner, nameof(ProgrammingSigma));
        if (ProgrammingSigmaPerLevel is { } table)
        {
            if (table.Length != Levels)
                throw ParameterCheck.Fail(Owner, nameof(ProgrammingSigmaPerLevel), $"{table.Length} entries",
                    $"must have one entry per level ({Levels} for {BitsPerCell} bit(s) per cell)");
            for (var i = 0; i < table.Length; i++)
                ParameterCheck.NonNegative(table[i], Owner, $"{nameof(ProgrammingSigmaPerLevel)}[{i}]");
        }
        ParameterCheck.NonNegative(PulseSigma, Owner, nameof(PulseSigma));
        ParameterCheck.NonNegative(VerifyTolerance, Owner, nameof(VerifyTolerance));
        ParameterCheck.InRange(MaxVerifyIterations, 1, 1_000_000, Owner, nameof(MaxVerifyIterations));
        if (PulseDistribution is { } distribution)
        {
            try
            {
                distribution.Validate();
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{Owner}.{nameof(PulseDistribution)}: {e.Message}", nameof(PulseDistribution), e);
            }
        }
        else if (Programming == ProgrammingScheme.StochasticPulse)
        {
            throw ParameterCheck.Fail(Owner, nameof(PulseDistribution), "null", "is required when Programming is StochasticPulse");
        }
        ParameterCheck.NonNegative(DeviceToDeviceSigma, Owner, nameof(DeviceToDeviceSigma));
        ParameterCheck.NonNegative(ReadNoiseSigma, Owner, nameof(ReadNoiseSigma));
        if (ReadNoiseModel == ReadNoiseModel.PerColumn && ReadNoiseSigma > MaxPerColumnReadNoiseSigma)
            throw ParameterCheck.Fail(Owner, nameof(ReadNoiseSigma), ReadNoiseSigma,
                $"must be at most {MaxPerColumnReadNoiseSigma} for per-column read noise (a cell's clip at zero conductance then matters): draw it per cell");
        ParameterCheck.Probability(StuckAtOnRate, Owner, nameof(StuckAtOnRate));
        ParameterCheck.Probability(StuckAtOffRate, Owner, nameof(StuckAtOffRate));
        if (StuckAtOnRate + StuckAtOffRate > 1)
            throw ParameterCheck.Fail(Owner, nameof(StuckAtOffRate), StuckAtOffRate, $"plus StuckAtOnRate ({StuckAtOnRate}) must not exceed 1");
        ParameterCheck.NonNegative(DriftNu, Owner, nameof(DriftNu));
        ParameterCheck.Positive(DriftT0Seconds, Owner, nameof(DriftT0Seconds));
        ParameterCheck.NonNegative(ReadTimeSeconds, Owner, nameof(ReadTimeSeconds));
    }
}
