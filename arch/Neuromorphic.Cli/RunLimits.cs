using System.CommandLine;
using System.Globalization;
using Neuromorphic.Traces;

namespace Neuromorphic.Cli;

/// <summary>
/// The resource guard's limits (<c>--max-memory</c>, <c>--max-points</c>; docs/errors.md): a run that
/// would plan more memory, or a sweep with more points, is refused with exit 2 before it allocates
/// or writes anything.
/// </summary>
/// <param name="Memory">The memory a run may plan to use.</param>
/// <param name="MaxPoints">The most points a sweep may have.</param>
internal sealed record RunLimits(MemoryBudget Memory, long MaxPoints)
{
    /// <summary>Default <c>--max-points</c>.</summary>
    public const long DefaultMaxPoints = 100_000;

    /// <summary>The defaults: half the machine's memory, 100,000 sweep points.</summary>
    public static RunLimits Default { get; } = new(MemoryBudget.Default, DefaultMaxPoints);

    /// <summary><c>--max-memory SIZE</c>, given to every command.</summary>
    public static Option<string?> MaxMemoryOption() => new("--max-memory")
    {
        Description = $"Refuse (exit 2) a run whose memory estimate exceeds SIZE (bytes, or with K, M, G, T; default: half the machine's memory, {MemoryBudget.Format(MemoryBudget.Default.MaxBytes)}).",
        Recursive = true,
    };

    /// <summary><c>--max-points N</c>, given to every command.</summary>
    public static Option<long?> MaxPointsOption() => new("--max-points")
    {
        Description = $"Refuse (exit 2) a sweep of more than N points (default {DefaultMaxPoints.ToString("N0", CultureInfo.InvariantCulture)}).",
        Recursive = true,
    };

    /// <summary>The limits a command line asks for.</summary>
    /// <exception cref="UsageException">A value that is not a positive size or count.</exception>
    public static RunLimits From(string? maxMemory, long? maxPoints)
    {
        var memory = MemoryBudget.Default;
        if (maxMemory is not null)
        {
            if (!MemoryBudget.TryParse(maxMemory, out var bytes))
                throw new UsageException($"--max-memory must be a positive size such as 4G or 512M, found '{maxMemory}'");
            memory = new MemoryBudget(bytes);
        }
        if (maxPoints is < 1 or > int.MaxValue) throw new UsageException($"--max-points must lie in [1, {int.MaxValue}], found {maxPoints}");
        return new RunLimits(memory, maxPoints ?? DefaultMaxPoints);
    }
}
