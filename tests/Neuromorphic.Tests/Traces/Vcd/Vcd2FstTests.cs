using System.Diagnostics;
using System.Globalization;
using Neuromorphic.Traces.Vcd;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces.Vcd;

/// <summary>
/// Validates written files with GTKWave's converters (Debian package <c>gtkwave</c>):
/// <c>vcd2fst</c> must accept them, and since vcd2fst exits 0 even on garbage, the FST is read
/// back with <c>fst2vcd</c> and compared with the original (variables, values over time, end
/// time). Ignored when <c>vcd2fst</c> is not on PATH.
/// </summary>
[TestFixture]
public class Vcd2FstTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("vcd2fst-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void HardwareAndSpikeDumpConvertsAndReadsBackIdentically() =>
        ConvertAndCompare(w => WriteScenario(w, window: null));

    [Test]
    public void WindowedDumpConvertsAndReadsBackIdentically() =>
        ConvertAndCompare(w => WriteScenario(w, window: (40, 120)));

    [Test]
    public void MoreThan94SquaredSignalsConvert() => ConvertAndCompare(w =>
    {
        const int count = 94 + (94 * 94) + 70;
        VcdSignal[] spikes = Enumerable.Range(0, count).Select(i => w.Wire("chip.reservoir", "n" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
        w.EndDefinitions();
        for (int t = 0; t < 20; t++)
        {
            for (int i = t; i < count; i += 97)
            {
                w.Pulse(spikes[i], t);
            }
        }
    });

    private static void WriteScenario(VcdWriter w, (long From, long To)? window)
    {
        var spikes = new VcdSignal[300];
        for (int i = 0; i < spikes.Length; i++)
        {
            spikes[i] = w.Wire("chip.lsm.reservoir", "n[" + i.ToString(CultureInfo.InvariantCulture) + "]");
        }

        VcdSignal step = w.Wire("chip", "timestep");
        VcdSignal[] busy = Enumerable.Range(0, 4).Select(m => w.Wire($"chip.tile0.macro{m}", "busy")).ToArray();
        VcdSignal[] adc = Enumerable.Range(0, 4).Select(m => w.Integer($"chip.tile0.macro{m}", "adc conversions", 32)).ToArray();
        VcdSignal queue = w.Wire("chip.router", "queue depth", 8);
        VcdSignal load = w.Real("chip.router", "load");
        if (window is { } win)
        {
            w.Window(win.From, win.To);
        }

        w.EndDefinitions();
        var rng = new Random(42);
        ulong[] conversions = new ulong[4];
        for (long cycle = 0; cycle < 200; cycle++)
        {
            if (cycle % 10 == 0)
            {
                w.Pulse(step, cycle);
                foreach (VcdSignal s in spikes.Where(_ => rng.NextDouble() < 0.05))
                {
                    w.Pulse(s, cycle);
                }
            }

            for (int m = 0; m < 4; m++)
            {
                bool on = rng.NextDouble() < 0.3;
                w.Change(busy[m], cycle, on ? 1UL : 0UL);
                if (on)
                {
                    conversions[m] += (ulong)rng.Next(1, 64);
                    w.Change(adc[m], cycle, conversions[m]);
                }
            }

            w.Change(queue, cycle, (ulong)rng.Next(0, 256));
            w.Change(load, cycle, Math.Round(rng.NextDouble(), 3) * (cycle % 7 == 0 ? -1e-7 : 1.0));
        }
    }

    private void ConvertAndCompare(Action<VcdWriter> write)
    {
        string? vcd2fst = FindOnPath("vcd2fst");
        if (vcd2fst is null)
        {
            Assert.Ignore("vcd2fst is not on PATH: install Debian's gtkwave (apt-get install -y gtkwave) to run this check");
        }

        string vcdPath = Path.Combine(_dir, "dump.vcd");
        string fstPath = Path.Combine(_dir, "dump.fst");
        VcdFile.Write(vcdPath, write);

        (int exit, string output, string errors) = Run(vcd2fst!, vcdPath, fstPath);
        Assert.That(exit, Is.EqualTo(0), "vcd2fst failed:\n" + output + errors);
        Assert.That(new FileInfo(fstPath).Length, Is.GreaterThan(0), "vcd2fst wrote an empty .fst");

        string? fst2vcd = FindOnPath("fst2vcd");
        if (fst2vcd is null)
        {
            Assert.Warn("fst2vcd is not on PATH: only the vcd2fst exit code was checked");
            return;
        }

        (int backExit, string back, string backErrors) = Run(fst2vcd, fstPath);
        Assert.That(backExit, Is.EqualTo(0), "fst2vcd failed:\n" + backErrors);
        VcdText original = VcdText.Parse(File.ReadAllText(vcdPath));
        VcdText roundTrip = VcdText.Parse(back);

        Assert.That(original.Variables, Is.Not.Empty);
        Assert.That(roundTrip.Timescale, Is.EqualTo(original.Timescale.Replace(" ", "", StringComparison.Ordinal)));
        Assert.That(roundTrip.Variables, Is.EqualTo(original.Variables), "declared variables");
        Assert.That(roundTrip.LastTime, Is.EqualTo(original.LastTime), "end time");
        foreach ((string name, List<(long Time, string Value)> values) in original.Values)
        {
            List<(long Time, string Value)> readBack = roundTrip.Values[name];
            if (!original.Variables[name].StartsWith("real", StringComparison.Ordinal))
            {
                Assert.That(readBack, Is.EqualTo(values), $"values of {name}");
                continue;
            }

            // fst2vcd prints reals with 16 significant digits (printf %.16g), the writer with the
            // shortest round-trip text (up to 17): compare the numbers, not the text.
            Assert.That(readBack.Select(v => v.Time), Is.EqualTo(values.Select(v => v.Time)), $"change times of {name}");
            for (int k = 0; k < values.Count; k++)
            {
                double expected = double.Parse(values[k].Value, CultureInfo.InvariantCulture);
                double actual = double.Parse(readBack[k].Value, CultureInfo.InvariantCulture);
                Assert.That(actual, Is.EqualTo(expected).Within(Math.Abs(expected) * 1e-15), $"{name} at {values[k].Time}");
            }
        }
    }

    private static string? FindOnPath(string tool)
    {
        string path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, tool))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Runs a tool and returns its exit code, stdout and stderr.</summary>
    private static (int Exit, string Output, string Errors) Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {tool}");
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} did not finish within 2 minutes");
        }

        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
