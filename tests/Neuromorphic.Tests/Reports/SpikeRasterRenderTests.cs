using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Neuromorphic.Arch.Reports.Plots;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Reports;

/// <summary>
/// The reservoir spike raster of an LSM run, the figure whose SVG crashed <c>neuromorphic report</c> with SIGSEGV in
/// 4 to 8 of 10 runs: every spike was a ScottPlot <c>HorizontalBar</c> marker, a new <c>SKPath</c> that nothing kept
/// alive during SkiaSharp's <c>sk_canvas_draw_path</c>; the SVG canvas writes to a managed stream inside that call,
/// a garbage collection can start there, and the finalizer thread freed the path under the native code (see
/// <see cref="SpikeDashes"/>). Drawn many times, on several threads and in several processes, it must neither crash
/// nor differ, and the report must leave no temporary file.
/// </summary>
public sealed class SpikeRasterRenderTests
{
    private const int Timesteps = 50;
    private const int Neurons = 200;

    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-raster-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    /// <summary>An LSM-sized reservoir raster (50 timesteps x 200 neurons, about 16 % of the cells spiking, as the default run's), seeded.</summary>
    private static float[] ReservoirCells()
    {
        var data = new float[Timesteps * Neurons];
        var random = new Random(20261207);
        for (var i = 0; i < data.Length; i++) data[i] = random.NextDouble() < 0.16 ? 1 : 0;
        return data;
    }

    [Test]
    public void TheReservoirRasterRendersManyTimesInParallelAndAlwaysTheSame()
    {
        // Before the fix this crashed the test host (SIGSEGV) in 1 of 2 tries rendering one at a time, and less often two
        // at a time: the test host's tiered JIT starts ScottPlot's and SkiaSharp's methods unoptimised, which keeps the
        // path alive. The command-line test below, whose JIT optimises fully from the first call, failed every time.
        // Today's marks are rectangles, one per spike.
        var population = new SpikePopulation("reservoir", "spikes_reservoir.csv", new SpikeRaster(Timesteps, Neurons, ReservoirCells()));
        var expected = RunPlots.SpikeRaster(population).RenderSvg();
        var svgs = new string[48];
        var pngs = new byte[svgs.Length][];
        Parallel.For(0, svgs.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            // A new figure each time: a figure keeps the SVG it rendered.
            var figure = RunPlots.SpikeRaster(population);
            pngs[i] = figure.RenderPng();
            svgs[i] = figure.RenderSvg();
        });
        for (var i = 0; i < svgs.Length; i++)
        {
            Assert.That(svgs[i], Is.EqualTo(expected), $"SVG {i}");
            Assert.That(pngs[i], Is.EqualTo(pngs[0]), $"PNG {i}");
        }
        // One mark per spike: the figure still shows every spike.
        Assert.That(population.Spikes, Is.GreaterThan(1400));
        Assert.That(Regex.Count(expected, "<rect fill=\"#222\" x="), Is.EqualTo(population.Spikes));
    }

    [Test]
    public void TheReportCommandOnTheLsmRunExitsZeroEveryTimeAndLeavesNoTemporaryFile()
    {
        // The real command line in its own process (no tiered compilation, as users run it) on copies of the default
        // LSM run directory, two at a time, each copy holding the temporary files a crashed report left before the fix.
        // Before the fix most of these processes died with SIGSEGV (exit 139).
        var cli = Path.Combine(AppContext.BaseDirectory, "neuromorphic.dll");
        Assert.That(File.Exists(cli), cli);
        var dirs = Enumerable.Range(0, 6).Select(i => CopyLsmRun("run" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        var results = new (int Exit, string Err)[dirs.Length];
        Parallel.For(0, dirs.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i => results[i] = RunCli(cli, "report", dirs[i]));
        for (var i = 0; i < dirs.Length; i++)
        {
            Assert.That(results[i].Exit, Is.EqualTo(0), $"report {dirs[i]}: {results[i].Err}");
            var plots = Path.Combine(dirs[i], "plots");
            Assert.That(File.Exists(Path.Combine(plots, "spikes_reservoir.svg")) && File.Exists(Path.Combine(dirs[i], "report.html")), dirs[i]);
            Assert.That(Directory.GetFiles(dirs[i], "*.tmp*", SearchOption.AllDirectories), Is.Empty, "a temporary file left, or a leftover not cleaned");
        }
    }

    [Test]
    public void LeftoversOfTheReportsOwnFilesAreRemovedAndNothingElse()
    {
        var plots = Directory.CreateDirectory(Path.Combine(_dir, "plots")).FullName;
        string Touch(string folder, string name)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllText(path, "");
            return path;
        }
        var ours = new[] { Touch(plots, "spikes_reservoir.svg.tmp-0123456789ab"), Touch(plots, "energy_by_layer.png.tmp-a1b2c3d4e5f6") };
        var kept = new[]
        {
            Touch(plots, "spikes_reservoir.svg"), Touch(plots, "notes.txt.tmp-0123456789ab"), Touch(plots, "x.svg.tmp-0123"),
            Touch(plots, "x.svg.tmp-0123456789AB"), Touch(_dir, "summary.json.tmp-0123456789ab"),
        };
        Assert.That(ReportTemporaryFiles.RemoveLeftovers(plots, RunPlots.IsFigureFile), Is.EqualTo(ours.Order(StringComparer.Ordinal)));
        Assert.That(ours.Where(File.Exists), Is.Empty);
        Assert.That(kept.Where(File.Exists), Is.EqualTo(kept));
        Assert.That(ReportTemporaryFiles.RemoveLeftovers(Path.Combine(_dir, "missing"), _ => true), Is.Empty);
    }

    [Test]
    public void TheReportGivesChipAreaInTheTerminalsUnit()
    {
        // report.md said "377,128 um^2" where the run's table says "chip area 0.3771 mm^2".
        var run = RunFiles.Load(CopyLsmRun("area"));
        foreach (var text in new[] { Neuromorphic.Arch.Reports.Html.RunReport.ToMarkdown(run, []), Neuromorphic.Arch.Reports.Html.RunReport.ToHtml(run, []) })
            Assert.That(text, Does.Contain("0.3771 mm^2").And.Not.Contain("377,128"));
    }

    /// <summary>A copy of the default LSM run directory (Fixtures/reports/lsm-run) with a crashed report's leftovers.</summary>
    private string CopyLsmRun(string name)
    {
        var fixture = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "reports", "lsm-run");
        var dir = Directory.CreateDirectory(Path.Combine(_dir, name)).FullName;
        foreach (var file in Directory.GetFiles(fixture, "*.*").Where(f => !f.EndsWith(".md", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(dir, Path.GetFileName(file)));
        // What a report killed while writing left: the next report removes it.
        var plots = Directory.CreateDirectory(Path.Combine(dir, "plots")).FullName;
        File.WriteAllText(Path.Combine(plots, "spikes_reservoir.svg.tmp-0123456789ab"), "");
        File.WriteAllText(Path.Combine(dir, "report.html.tmp-0123456789ab"), "<!DOCTYPE");
        return dir;
    }

    private static (int Exit, string Err) RunCli(string cli, params string[] args)
    {
        var info = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        info.ArgumentList.Add(cli);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        _ = stdout.Result;
        return (p.ExitCode, stderr);
    }
}
