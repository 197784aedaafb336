using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Hw.Devices;

/// <summary>
/// Distribution of the conductance one stochastic SET/forming pulse leaves in a cell: this is how
/// the RRAM liquid state machine obtains its random reservoir weights without any write-verify.
/// Values in siemens. <see cref="ConductanceDistributionKind.LogNormal"/>: A = median, B = sigma of ln G;
/// <see cref="ConductanceDistributionKind.Normal"/>: A = mean, B = standard deviation, truncated to the
/// device window when a cell is programmed; <see cref="ConductanceDistributionKind.Uniform"/>: over [A, B].
/// </summary>
/// <param name="Kind">Distribution family.</param>
/// <param name="A">First parameter (siemens): median, mean or lower bound, by <paramref name="Kind"/>.</param>
/// <param name="B">Second parameter: sigma of ln G (dimensionless), standard deviation (S) or upper bound (S).</param>
public sealed record ConductanceDistribution(ConductanceDistributionKind Kind, double A, double B)
{
    /// <summary>Rejection attempts for the truncated normal before falling back to clamping (only a window holding a tiny share of the mass gets there).</summary>
    private const int MaxRejections = 1000;

    /// <summary>A log-normal distribution with the given median (S) and standard deviation of ln G.</summary>
    public static ConductanceDistribution LogNormal(double median, double sigmaLn) => new(ConductanceDistributionKind.LogNormal, median, sigmaLn);

    /// <summary>A normal distribution with the given mean and standard deviation (S).</summary>
    public static ConductanceDistribution Normal(double mean, double sd) => new(ConductanceDistributionKind.Normal, mean, sd);

    /// <summary>A uniform distribution over [low, high] (S).</summary>
    public static ConductanceDistribution Uniform(double low, double high) => new(ConductanceDistributionKind.Uniform, low, high);

    /// <summary>Analytic mean of the distribution itself (before the device window applies).</summary>
    public double Mean => Kind switch
    {
        ConductanceDistributionKind.LogNormal => A * Math.Exp(0.5 * B * B),
        ConductanceDistributionKind.Normal => A,
        _ => 0.5 * (A + B),
    };

    /// <summary>Analytic median of the distribution itself (before the device window applies).</summary>
    public double Median => Kind == ConductanceDistributionKind.Uniform ? 0.5 * (A + B) : A;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the parameter when the distribution is not meaningful.</summary>
    public void Validate()
    {
        const string Owner = nameof(ConductanceDistribution);
        ParameterCheck.Defined(Kind, Owner, nameof(Kind));
        switch (Kind)
        {
            case ConductanceDistributionKind.LogNormal:
                ParameterCheck.Positive(A, Owner, nameof(A));
                ParameterCheck.NonNegative(B, Owner, nameof(B));
                break;
            case ConductanceDistributionKind.Normal:
                ParameterCheck.NonNegative(A, Owner, nameof(A));
                ParameterCheck.NonNegative(B, Owner, nameof(B));
                break;
            default:
                ParameterCheck.NonNegative(A, Owner, nameof(A));
                ParameterCheck.NonNegative(B, Owner, nameof(B));
                if (B < A) throw ParameterCheck.Fail(Owner, nameof(B), B, "must be >= A (the lower bound)");
                break;
        }
    }

    /// <summary>One draw from the distribution itself, without any window (a normal draw may be negative).</summary>
    public double Sample(DeterministicRandom rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        return Kind switch
        {
            ConductanceDistributionKind.LogNormal => B > 0 ? A * Math.Exp(B * rng.NextNormal()) : A,
            ConductanceDistributionKind.Normal => B > 0 ? A + B * rng.NextNormal() : A,
            _ => B > A ? rng.NextDouble(A, B) : A,
        };
    }

    /// <summary>
    /// One conductance as a pulse leaves it in a cell whose window is [<paramref name="low"/>, <paramref name="high"/>]:
    /// the normal is truncated to the window (redrawn until inside, as the issue specifies; clamped if
    /// the window holds almost none of its mass), the other kinds are clamped to it (a filament cannot
    /// grow past the cell's full-SET state nor below its reset state).
    /// </summary>
    public double SampleWithin(DeterministicRandom rng, double low, double high)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (!(low <= high)) throw new ArgumentException($"window [{low}, {high}] is empty", nameof(high));
        if (Kind == ConductanceDistributionKind.Normal && B > 0)
        {
            for (var i = 0; i < MaxRejections; i++)
            {
                var g = A + B * rng.NextNormal();
                if (g >= low && g <= high) return g;
            }
        }
        return Math.Clamp(Sample(rng), low, high);
    }

    /// <summary>
    /// Analytic mean of <see cref="SampleWithin"/> for the window [<paramref name="low"/>, <paramref name="high"/>]:
    /// the truncated-normal mean, or the mean of the clamped log-normal / uniform variable.
    /// </summary>
    public double MeanWithin(double low, double high)
    {
        if (!(low <= high)) throw new ArgumentException($"window [{low}, {high}] is empty", nameof(high));
        switch (Kind)
        {
            case ConductanceDistributionKind.Normal:
            {
                if (B <= 0) return Math.Clamp(A, low, high);
                var alpha = (low - A) / B;
                var beta = (high - A) / B;
                var mass = StandardNormal.Cdf(beta) - StandardNormal.Cdf(alpha);
                if (mass < 1e-12) return Math.Clamp(A, low, high);
                return A + B * (StandardNormal.Pdf(alpha) - StandardNormal.Pdf(beta)) / mass;
            }
            case ConductanceDistributionKind.LogNormal:
            {
                if (B <= 0) return Math.Clamp(A, low, high);
                var mu = Math.Log(A);
                var zLow = low > 0 ? (Math.Log(low) - mu) / B : double.NegativeInfinity;
                var zHigh = (Math.Log(high) - mu) / B;
                // E[clamp(X)] = low P(X < low) + high P(X > high) + the partial first moment inside.
                var inside = Math.Exp(mu + 0.5 * B * B) * (StandardNormal.Cdf(zHigh - B) - StandardNormal.Cdf(zLow - B));
                return low * StandardNormal.Cdf(zLow) + high * (1 - StandardNormal.Cdf(zHigh)) + inside;
            }
            default:
            {
                if (B <= A) return Math.Clamp(A, low, high);
                var width = B - A;
                var below = Math.Clamp(low, A, B) - A;   // length of [A, B] under the window
                var above = B - Math.Clamp(high, A, B);  // length of [A, B] over the window
                var from = Math.Max(A, low);
                var to = Math.Min(B, high);
                var inside = to > from ? 0.5 * (to * to - from * from) : 0;
                return (low * below + high * above + inside) / width;
            }
        }
    }
}
