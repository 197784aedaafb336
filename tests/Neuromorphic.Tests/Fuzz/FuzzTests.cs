using System.Globalization;
using System.Text.Json;
using Neuromorphic.Traces.Events.Formats;
using NUnit.Framework;

namespace Neuromorphic.Tests.Fuzz;

/// <summary>
/// Mutation fuzzing of every reader and loader (<see cref="FuzzTargets"/>): each damaged file must be
/// read or refused with the program's bad-input exception (exit 2 at the command line) carrying a
/// one-line message, never an unhandled exception, within a time and memory bound. In the suite the
/// seed is fixed; <c>scripts/fuzz/run.sh --seed N --cases M</c> runs long campaigns through the same
/// code with the environment variables below.
/// </summary>
[TestFixture]
[Category("Fuzz")]
public sealed class FuzzTests
{
    /// <summary>Seed of the suite's cases (FUZZ_SEED overrides).</summary>
    public const ulong SuiteSeed = 20_261_206;

    /// <summary>Cases per target of weight 1 in the suite (FUZZ_CASES overrides): 14 x 1,400 + 2 x 560 = 20,720 cases.</summary>
    public const long SuiteCasesPerTarget = 1_400;

    private static IEnumerable<TestCaseData> Targets() =>
        FuzzTargets.All.Where(t => Environment.GetEnvironmentVariable("FUZZ_TARGET") is not { Length: > 0 } only || only == t.Name)
            .Select(t => new TestCaseData(t.Name).SetName($"Fuzz_{t.Name}"));

    [TestCaseSource(nameof(Targets))]
    public void DamagedFilesAreReadOrRefusedCleanly(string name)
    {
        var target = FuzzTargets.Named(name);
        var seed = Environment.GetEnvironmentVariable("FUZZ_SEED") is { Length: > 0 } s ? ulong.Parse(s, CultureInfo.InvariantCulture) : SuiteSeed;
        // FUZZ_TOTAL_CASES (campaigns) is shared over all targets by weight; FUZZ_CASES is per target of weight 1.
        var perUnit = Environment.GetEnvironmentVariable("FUZZ_TOTAL_CASES") is { Length: > 0 } total
            ? double.Parse(total, CultureInfo.InvariantCulture) / FuzzTargets.All.Sum(t => t.Weight)
            : Environment.GetEnvironmentVariable("FUZZ_CASES") is { Length: > 0 } c ? double.Parse(c, CultureInfo.InvariantCulture) : SuiteCasesPerTarget;
        var cases = (long)Math.Round(target.Weight * perUnit);
        var timeout = TimeSpan.FromSeconds(Environment.GetEnvironmentVariable("FUZZ_TIMEOUT_S") is { Length: > 0 } t ? double.Parse(t, CultureInfo.InvariantCulture) : 10);
        var reportFile = Environment.GetEnvironmentVariable("FUZZ_REPORT");
        var failuresDir = Environment.GetEnvironmentVariable("FUZZ_FAILURES") is { Length: > 0 } f ? f : Path.Combine(TestContext.CurrentContext.WorkDirectory, "fuzz-failures");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var report = FuzzHarness.Run(target, seed, 0, cases, timeout, maxAllocatedBytes: 1L << 30, threads: Environment.ProcessorCount, failuresDir);
        TestContext.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {report.Cases} cases in {watch.Elapsed.TotalSeconds:F1} s: {report.Accepted} accepted, {report.BadInput} refused (exit 2), {report.Unhandled} unhandled, {report.Hangs} hangs, {report.TooMuchMemory} over the memory bound; slowest {report.SlowestSeconds:F2} s, most allocated {report.MostAllocatedBytes / 1048576.0:F1} MiB"));
        if (reportFile is { Length: > 0 })
        {
            File.WriteAllText(reportFile, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            return;
        }
        Assert.That(report.Failures, Is.Empty, () => string.Join("\n", report.Failures.Take(5).Select(x =>
            $"case {x.Index} ({x.Edits}) -> {x.Outcome}: {x.Detail.Split('\n')[0]} [{x.Detail.Split('\n').Skip(1).FirstOrDefault()?.Trim()}] saved as {x.SavedFile}")));
        Assert.That(report.BadInput + report.Accepted, Is.EqualTo(cases));
    }
}

/// <summary>The fuzz targets cover every event format the program reads, from valid seeds.</summary>
public sealed class FuzzCoverageTests
{
    private static IEnumerable<TestCaseData> Seeds() =>
        FuzzTargets.All.SelectMany(t => t.Seeds.Select((_, i) => new TestCaseData(t.Name, i).SetName($"FuzzSeedIsValid_{t.Name}_{i}")));

    /// <summary>Mutants of a valid file reach deep into the reader; mutants of a refused one test only its first check.</summary>
    [TestCaseSource(nameof(Seeds))]
    public void EverySeedIsAccepted(string name, int seed)
    {
        var target = FuzzTargets.Named(name);
        var dir = Directory.CreateTempSubdirectory("nm-fuzz-seed-").FullName;
        try
        {
            target.Prepare?.Invoke(dir);
            var path = Path.Combine(dir, target.FileName);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, target.Seeds[seed]);
            var (outcome, detail, _, _) = FuzzHarness.RunOne(target, path, TimeSpan.FromSeconds(60), 1L << 30);
            Assert.That(outcome, Is.EqualTo(FuzzOutcome.Accepted), detail);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public void EveryEventFormatHasAFuzzTarget()
    {
        var dir = Directory.CreateTempSubdirectory("nm-fuzz-cover-").FullName;
        try
        {
            var covered = new HashSet<EventFileFormat>();
            foreach (var target in FuzzTargets.All.Where(t => t.Name.StartsWith("events-", StringComparison.Ordinal)))
            {
                var path = Path.Combine(dir, target.Name + Path.GetExtension(target.FileName));
                File.WriteAllBytes(path, target.Seeds[0]);
                covered.Add(EventFile.DetectFormat(path));
            }
            Assert.That(covered, Is.EquivalentTo(Enum.GetValues<EventFileFormat>()),
                "a new event format needs a fuzz target: add a line to FuzzTargets.All with a seed file written by its writer (or a fixture)");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
