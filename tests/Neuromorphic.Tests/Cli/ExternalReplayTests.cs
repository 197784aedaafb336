using System.Text.Json;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

/// <summary>
/// Activity recorded elsewhere, replayed through a NIR graph on a preset: NumPy rasters written by
/// NumPy itself, and NIR's NIRGraphData written by us and read back (and by h5py).
/// </summary>
public sealed class ExternalReplayTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-external-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private static string Braille => FixturePaths.Nir("braille_noDelay_bias_zero.nir");

    private static JsonElement Summary(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static void RunPython(string script, params string[] args)
    {
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var info = new System.Diagnostics.ProcessStartInfo(python) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add("import numpy");
        try
        {
            using (var probe = System.Diagnostics.Process.Start(info)!)
            {
                probe.WaitForExit();
                if (probe.ExitCode != 0) Assert.Ignore("python3 with numpy is not available");
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("python3 is not available");
        }
        info.ArgumentList.Clear();
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (var a in args) info.ArgumentList.Add(a);
        using var p = System.Diagnostics.Process.Start(info)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.EqualTo(0), err.Result);
    }

    [Test]
    public void TheTablePrintsEnergyAndLatencyWithSiPrefixes()
    {
        // Fixed nJ and "us": the Sinabs CNN's sample printed as 1.143E+04 nJ.
        var outDir = Path.Combine(_dir, "out");
        var (exit, output, error) = CliRunner.Run("replay", ChipTestDataInput, "--network", Braille, "--out", outDir);
        Assert.That(exit, Is.EqualTo(0), error);
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        var root = summary.RootElement;
        string Row(string label) => output.Split('\n').Single(l => l.Contains(label));
        Assert.That(Row("energy per inference"), Does.Contain(Neuromorphic.Arch.Reports.Quantity.Si(root.GetProperty("energy_per_inference_J").GetDouble(), "J")));
        Assert.That(Row("latency per inference"), Does.Contain(Neuromorphic.Arch.Reports.Quantity.Si(root.GetProperty("latency_s").GetDouble(), "s")).And.Contain("µs"));
    }

    private static string ChipTestDataInput => FixturePaths.Nir(Path.Combine("braille-activity", "input_sample0.npy"));

    [TestCase("bool_", 3)]
    [TestCase("uint8", 2)]
    [TestCase("float32", 3)]
    public void NumPyRasterReplaysThroughAPreset(string dtype, int dims)
    {
        var npy = Path.Combine(_dir, $"spikes-{dtype}.npy");
        // 40 steps, batch 2 (for [T, B, N]), 12 channels: the Braille graph's input width.
        RunPython($$"""
            import numpy as np, sys
            rng = np.random.default_rng(7)
            shape = (40, 2, 12) if {{dims}} == 3 else (40, 12)
            np.save(sys.argv[1], (rng.random(shape) < 0.25).astype(np.{{dtype}}))
            """, npy);
        var raster = Npy.Read(npy);
        var expectedSpikes = raster.ToSingleArray().Count(v => v != 0);
        var samples = dims == 3 ? 2 : 1;
        var r = CliRunner.Run("replay", npy, "--network", Braille, "--arch", "rram-40nm-256kb", "--out", Path.Combine(_dir, "out"), "--json");
        Assert.That(r.Exit, Is.EqualTo(0), r.Err);
        var s = Summary(r.Out);
        Assert.That(s.GetProperty("samples").GetInt32(), Is.EqualTo(samples));
        Assert.That(s.GetProperty("timesteps").GetInt32(), Is.EqualTo(40));
        Assert.That(s.GetProperty("firing_rates").GetProperty("input").GetDouble(), Is.EqualTo(expectedSpikes / (40.0 * 12 * samples)).Within(1e-12));
        Assert.That(s.GetProperty("energy_per_inference_J").GetDouble(), Is.GreaterThan(0));
        Assert.That(s.GetProperty("priced_projections").EnumerateArray().Select(e => e.GetString()), Does.Contain("fc1"));
        foreach (var f in new[] { "summary.json", "energy_breakdown.csv", "cost_table.csv", "latency_breakdown.csv" })
            Assert.That(File.Exists(Path.Combine(_dir, "out", f)), f);
    }

    [Test]
    public void MoreSpikesCostMoreEnergy()
    {
        var sparse = Path.Combine(_dir, "sparse.npy");
        var dense = Path.Combine(_dir, "dense.npy");
        RunPython("""
            import numpy as np, sys
            rng = np.random.default_rng(3)
            u = rng.random((50, 12))
            np.save(sys.argv[1], u < 0.05)
            np.save(sys.argv[2], u < 0.5)
            """, sparse, dense);
        double Energy(string path)
        {
            var r = CliRunner.Run("replay", path, "--network", Braille, "--out", Path.Combine(_dir, Path.GetFileNameWithoutExtension(path)), "--json");
            Assert.That(r.Exit, Is.EqualTo(0), r.Err);
            return Summary(r.Out).GetProperty("energy_per_inference_J").GetDouble();
        }
        Assert.That(Energy(dense), Is.GreaterThan(Energy(sparse)));
    }

    [Test]
    public void SizeMismatchAndUnknownPopulationExitTwoWithoutOutput()
    {
        var npy = Path.Combine(_dir, "wide.npy");
        RunPython("import numpy as np, sys; np.save(sys.argv[1], np.zeros((10, 13), dtype=bool))", npy);
        var outDir = Path.Combine(_dir, "out");
        var r = CliRunner.Run("replay", npy, "--network", Braille, "--out", outDir);
        Assert.That(r.Exit, Is.EqualTo(2));
        Assert.That(r.Err, Does.Contain("wide.npy").And.Contain("13").And.Contain("12"));
        var unknown = CliRunner.Run("replay", npy, "--network", Braille, "--population", "nosuch", "--out", outDir);
        Assert.That(unknown.Exit, Is.EqualTo(2));
        Assert.That(unknown.Err, Does.Contain("nosuch"));
        Assert.That(Directory.Exists(outDir), Is.False, "no half-written output");
    }

    private static Dictionary<string, SpikeRaster> Activity()
    {
        var rng = new Random(5);
        var result = new Dictionary<string, SpikeRaster>();
        foreach (var (name, n) in new[] { ("input", 12), ("lif1.lif", 38) })
        {
            var raster = new SpikeRaster(30, n);
            for (var i = 0; i < raster.Data.Length; i++) raster.Data[i] = rng.NextDouble() < 0.2 ? 1 : 0;
            result[name] = raster;
        }
        return result;
    }

    [Test]
    public void NirGraphDataRoundTripsAndPricesEveryRecordedPopulation()
    {
        var path = Path.Combine(_dir, "activity.h5");
        var activity = Activity();
        NirGraphData.Write(path, activity, 1e-3);
        var back = NirGraphData.Read(path, 1e-3);
        Assert.That(back.Keys, Is.EquivalentTo(activity.Keys));
        foreach (var (name, raster) in activity)
        {
            Assert.That(back[name].Timesteps, Is.EqualTo(raster.Timesteps));
            Assert.That(back[name].Data, Is.EqualTo(raster.Data), name);
        }
        var r = CliRunner.Run("replay", path, "--network", Braille, "--dt", "1e-3", "--out", Path.Combine(_dir, "out"), "--json");
        Assert.That(r.Exit, Is.EqualTo(0), r.Err);
        var priced = Summary(r.Out).GetProperty("priced_projections").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.That(priced, Does.Contain("fc1").And.Contain("fc2"), "hidden activity prices the second layer too");
        // NIRGraphData has no sample boundaries: the whole file is one inference, and the summary says so.
        var warnings = Summary(r.Out).GetProperty("warnings").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.That(warnings, Is.EqualTo(new[]
        {
            "NIRGraphData marks no sample boundaries: the 30 steps of activity.h5 are priced as one inference (a recording of many inferences gets the whole recording's figures per inference)",
        }));
    }

    [Test]
    public void AnInputTheRecordingLacksIsNamedAsPricedSilent()
    {
        // Replaying only lif1.lif priced fc1 with no input spikes and listed it as priced, without a word.
        var path = FixturePaths.Nir(Path.Combine("braille-activity", "snntorch_activity_noDelay_bias_zero.npy"));
        var outDir = Path.Combine(_dir, "out");
        var r = CliRunner.Run("replay", path, "--network", Braille, "--population", "lif1.lif", "--dt", "1e-4", "--out", outDir);
        Assert.That(r.Exit, Is.EqualTo(0), r.Err);
        const string expected = "input 'input' is not in the recording: fc1 is priced as if it received no spikes (record the input too for its cost)";
        Assert.That(r.Err, Is.EqualTo($"warning: {expected}\n"));
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "summary.json")));
        Assert.That(summary.RootElement.GetProperty("warnings").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { expected }));
        // The table names the chip (the default here), says "per inference" as every other table, and gives the rate's unit.
        Assert.That(r.Out, Does.Contain("rram-40nm-256kb (the default: --arch chooses the chip)").And.Contain("energy per inference")
            .And.Contain("firing rate: lif1.lif (spikes per neuron per step)").And.Not.Contain("per sample"));
        // With the input recorded, nothing to warn about.
        var input = CliRunner.Run("replay", ChipTestDataInput, "--network", Braille, "--out", Path.Combine(_dir, "in"), "--json");
        Assert.That(input.Exit, Is.EqualTo(0), input.Err);
        Assert.That(Summary(input.Out).TryGetProperty("warnings", out _), Is.False);
    }

    [Test]
    public void H5pyReadsOurNirGraphDataAsEventData()
    {
        var path = Path.Combine(_dir, "activity.h5");
        var activity = Activity();
        NirGraphData.Write(path, activity, 1e-3);
        var json = NirTestData.RunPythonWithH5py("""
            import h5py, json, sys
            out = {}
            with h5py.File(sys.argv[1], 'r') as f:
                assert f['node']['type'][()] == b'NIRGraphData'
                for name, node in f['node']['nodes'].items():
                    ev = node['observables']['spikes']
                    assert ev['type'][()] == b'EventData'
                    out[name] = {'n': int(ev.attrs['n_neurons']), 'events': int(ev['idx'].shape[0]),
                                 't_max': float(ev.attrs['t_max'])}
            print(json.dumps(out))
            """, path);
        using var doc = JsonDocument.Parse(json);
        foreach (var (name, raster) in activity)
        {
            var node = doc.RootElement.GetProperty(name);
            Assert.That(node.GetProperty("n").GetInt32(), Is.EqualTo(raster.Channels));
            Assert.That(node.GetProperty("events").GetInt32(), Is.EqualTo(raster.Data.Count(v => v != 0)));
            Assert.That(node.GetProperty("t_max").GetDouble(), Is.EqualTo(0.03).Within(1e-12));
        }
    }

    [Test]
    public void TruncatedNirGraphDataExitsTwoNamingTheFile()
    {
        var path = Path.Combine(_dir, "activity.h5");
        NirGraphData.Write(path, Activity(), 1e-3);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 3)]);
        var r = CliRunner.Run("replay", path, "--network", Braille, "--out", Path.Combine(_dir, "out"));
        Assert.That(r.Exit, Is.EqualTo(2));
        Assert.That(r.Err, Does.Contain("activity.h5"));
    }
}
