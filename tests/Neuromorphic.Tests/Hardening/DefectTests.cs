using System.Diagnostics;
using System.Text;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Tests.Cli;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using Neuromorphic.Traces.Events.Formats;
using Neuromorphic.Traces.Recording;
using NUnit.Framework;
using PureHDF;
using static Neuromorphic.Tests.Hardening.HardeningFiles;
using static Neuromorphic.Tests.Nir.NirTestData;

namespace Neuromorphic.Tests.Hardening;

/// <summary>
/// The eighteen defects of issue 12, each as the command a user ran: every one must now end in
/// exit 2 with one printable line naming the file and the place, quickly and without allocating
/// what the input asks for.
/// </summary>
public sealed class DefectTests
{
    private HardeningFiles _files = null!;

    [SetUp]
    public void CreateDirectory() => _files = new HardeningFiles(Directory.CreateTempSubdirectory("nm-harden-").FullName);

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_files.Dir, recursive: true);

    [Test]
    public void Item01_DelayOfMoreThan2To31StepsIsBadInput()
    {
        var net = _files.DelayNir(1e4);
        var error = FailsWithBadInput("run", net, "--input", _files.OnesCsv(3, 2), "--dt", "1e-6");
        Assert.That(error, Does.Contain("delay.nir: node 'd' (delay)").And.Contain("timesteps"));
    }

    [Test]
    public void Item02_RasterWithoutTimestepsIsBadInputAndWritesNothing()
    {
        var empty = _files.Path("empty.npy");
        Npy.Write(empty, ReadOnlySpan<float>.Empty, [0, 3]);
        var net = _files.SmallNir();
        var outDir = _files.Path("out");
        Assert.That(FailsWithBadInput("run", net, "--input", empty, "--dt", "1e-3", "--out", outDir), Does.Contain("empty.npy"));
        Assert.That(FailsWithBadInput("run", net, "--input", empty, "--dt", "1e-3", "--record-output", _files.Path("x.csv")), Does.Contain("empty.npy"));
        Assert.That(FailsWithBadInput("run", net, "--input", empty, "--dt", "1e-3"), Does.Contain("timestep"));
        Assert.That(FailsWithBadInput("replay", empty, "--network", net, "--out", outDir), Does.Contain("empty.npy"));
        Assert.That(Directory.Exists(outDir), Is.False, "nothing written");
        Assert.That(File.Exists(_files.Path("x.csv")), Is.False);
    }

    [Test]
    public void Item03_DeeplyNestedYamlIsBadInputNotAStackOverflow()
    {
        var flow = _files.Write("flow.yaml", "name: x\nlsm: " + new string('[', 100_000) + new string(']', 100_000) + "\n");
        Assert.That(FailsWithBadInput("run", flow), Does.Contain("flow.yaml: line 2").And.Contain("nests more than"));
        // Block mappings 2000 levels deep (one more level a line). Lines past the 2001st would only repeat the
        // deepest indent (siblings: bytes, not depth; 100,000 of them made a 200 MB file), so the file stops there.
        var block = new StringBuilder("name: x\n");
        for (var i = 0; i <= 2000; i++) block.Append(' ', i).Append("k").Append(i).Append(":\n");
        Assert.That(FailsWithBadInput("inspect", _files.Write("block.yaml", block.ToString())), Does.Contain("nests more than"));
        Assert.That(FailsWithBadInput("run", _files.Write("dashes.yaml", string.Concat(Enumerable.Repeat("- ", 50_000)) + "x\n")), Does.Contain("nests more than"));
    }

    [TestCase("  validation_fraction: 0.2", "  validation_fraction: 0.2\n  lambdas: []", "readout.lambdas")]
    [TestCase("neurons: 200", "neurons: 100000", "lsm.neurons")]
    [TestCase("classes: 10", "classes: 13", "workload.classes")]
    public void Item04_ValuesTheModelsRefuseAreRefusedByTheLoader(string from, string to, string key)
    {
        var config = _files.Config(t => t.Replace(from, to));
        Assert.That(FailsWithBadInput("run", config, "--out", _files.Path("o")), Does.Contain("run.yaml: line").And.Contain(key));
    }

    [Test]
    public void Item04_DeviceWithoutPulseDistributionIsRefusedForAnLsm()
    {
        var config = _files.Config(t => t.Replace("programming: stochastic_pulse", "programming: write_verify").Replace("      pulse_distribution:        # assumed: log-normal spread of one SET pulse's conductance (cycle-to-cycle switching variability)\n        kind: lognormal\n        median_uS: 20\n        sigma_ln: 0.5\n", ""));
        Assert.That(File.ReadAllText(config), Does.Not.Contain("pulse_distribution:"));
        Assert.That(FailsWithBadInput("run", config, "--out", _files.Path("o")), Does.Contain("run.yaml: line").And.Contain("pulse_distribution"));
    }

    [TestCase("    clock_hz: 200.0e6\n    adc:", "    clock_hz: 300.0e6\n    adc:", "architecture.macro.clock_hz")]
    [TestCase("    weight_bits: 1\n", "    weight_bits: 1\n    accumulator_bits: 64\n", "architecture.macro.accumulator_bits")]
    [TestCase("    rows: 512\n    columns: 512\n", "    rows: 65536\n    columns: 65536\n", "architecture.macro.rows")]
    public void Item05_ArchitectureValuesTheComponentsRefuse(string from, string to, string key)
    {
        var config = _files.Config(t => t.Replace(from, to));
        Assert.That(File.ReadAllText(config), Does.Contain(to));
        Assert.That(FailsWithBadInput("run", config, "--out", _files.Path("o")), Does.Contain("run.yaml: line").And.Contain(key));
        Assert.That(FailsWithBadInput("inspect", config, "--json"), Does.Contain(key));
    }

    [Test]
    public void Item06_DerivedFiguresThatAreNotNumbersAreBadInput()
    {
        var zero = _files.Architecture(t => t.Replace("default_input_density: 0.1", "default_input_density: 0"), "zero.yaml");
        Assert.That(File.ReadAllText(zero), Does.Contain("default_input_density: 0 "));
        Assert.That(FailsWithBadInput("inspect", zero, "--json"), Does.Contain("zero.yaml: line").And.Contain("default_input_density"));
        Assert.That(FailsWithBadInput("inspect", zero), Does.Contain("default_input_density"));
        var huge = _files.Architecture(t => t + "cost_table:\n  - {component: sar_adc, action: conversion, energy_pJ: 1e308, source: x}\n", "huge.yaml");
        Assert.That(FailsWithBadInput("inspect", huge, "--json"), Does.Contain("huge.yaml: line").And.Contain("energy_pJ"));
    }

    [Test]
    public void Item07_CostTableRowWithMissingFieldsIsOneShortLine()
    {
        var costs = _files.Write("costs.csv", "component,action,energy_pJ,latency_ns,area_um2,leakage_uW,source\nsar_adc,conversion\n");
        var arch = _files.Architecture(t => t + "cost_table_file: costs.csv\n");
        Assert.That(FailsWithBadInput("inspect", arch), Does.Contain("costs.csv: line 2").And.Contain("2 fields, expected 7"));
    }

    [Test]
    public void Item08_SweepsOfTooManyPointsOrABrokenBaseAreBadInput()
    {
        var big = _files.Write("big.yaml", "name: big\nbase: base.yaml\nparameters:\n" + string.Concat(Enumerable.Range(0, 3).Select(i =>
            $"  - path: lsm.threshold{i}\n    range: {{start: 1, stop: 100000, step: 1}}\n")));
        _files.Config(name: "base.yaml");
        Assert.That(FailsWithBadInput("sweep", big, "--out", _files.Path("s")), Does.Contain("big.yaml: line").And.Contain("points"));
        foreach (var (text, name) in new[] { ("", "empty.yaml"), ("- a\n- b\n", "list.yaml"), ("name: [unclosed\n", "invalid.yaml") })
        {
            _files.Write(name, text);
            var sweep = _files.Write("s-" + name, $"name: s\nbase: {name}\nparameters:\n  - path: lsm.threshold\n    values: [4, 5]\n");
            Assert.That(FailsWithBadInput("sweep", sweep, "--out", _files.Path("s")), Does.Contain(name + ": line"), name);
        }
        Assert.That(Directory.Exists(_files.Path("s")), Is.False, "nothing written");
    }

    private static IEnumerable<TestCaseData> DamagedHeaders()
    {
        var header = HeaderOf(SmallTrace());
        yield return new TestCaseData(Encoding.UTF8.GetBytes(header.Replace("\"timesteps\":4,", "")), "missing key 'timesteps'").SetName("Item09_MissingKey");
        yield return new TestCaseData(Encoding.UTF8.GetBytes(header.Replace("\"timesteps\":4", "\"timesteps\":\"4\"")), "key 'timesteps'").SetName("Item09_WrongJsonType");
        yield return new TestCaseData(Encoding.UTF8.GetBytes("[1,2]"), "not a JSON object").SetName("Item09_HeaderNotAnObject");
        yield return new TestCaseData(Encoding.UTF8.GetBytes(header).Concat(new byte[] { 0xC3, 0x28 }).ToArray(), "UTF-8").SetName("Item09_InvalidUtf8");
        yield return new TestCaseData(Encoding.UTF8.GetBytes(header.Replace("\"samples\":2", "\"samples\":-1")), "key 'samples'").SetName("Item09_NegativeSamples");
        yield return new TestCaseData(Encoding.UTF8.GetBytes(header.Replace("\"dt_s\":0.001", "\"dt_s\":0")), "key 'dt_s'").SetName("Item09_ZeroDt");
        yield return new TestCaseData(Encoding.UTF8.GetBytes(header.Replace("\"size\":3", "\"size\":3.5")), "key 'size'").SetName("Item09_FractionalSize");
        yield return new TestCaseData(Encoding.UTF8.GetBytes(header.Replace("{\"kind\":\"test\"}", "{\"kind\":7}")), "metadata.kind").SetName("Item09_MetadataNotAString");
    }

    [TestCaseSource(nameof(DamagedHeaders))]
    public void Item09_TraceWithValidChecksumButDamagedHeader(byte[] header, string expected)
    {
        var path = _files.Path("t.nmtrace");
        File.WriteAllBytes(path, WithHeader(SmallTrace(), header));
        var ex = Assert.Throws<InputFormatException>(() => TraceFile.Read(path))!;
        Assert.That(ex.Message, Does.Contain("t.nmtrace: byte").And.Contain(expected));
        Assert.That(FailsWithBadInput("replay", path), Does.Contain("t.nmtrace"));
    }

    [Test]
    public void Item09_LabelOutsideTheConfigurationsClassesIsRefused()
    {
        var config = File.ReadAllText(_files.Config());
        var input = new SpikeRaster(50, 256);
        var reservoir = new SpikeRaster(50, 200);
        var trace = new SpikeTrace
        {
            Populations = [new("input", 256), new("reservoir", 200), new("software_reservoir", 200)],
            Timesteps = 50,
            Dt = 0.006,
            Samples = Enumerable.Range(0, 4).Select(i => new TraceSample(i == 3 ? 98 : i, [input, reservoir, reservoir])).ToList(),
            Metadata = new Dictionary<string, string> { ["kind"] = "lsm", ["config"] = config },
        };
        var path = _files.Path("labels.nmtrace");
        TraceFile.Write(path, trace);
        Assert.That(FailsWithBadInput("replay", path, "--out", _files.Path("o")), Does.Contain("labels.nmtrace: sample 3: label 98"));
    }

    [Test]
    public void Item10_EventFolderOfDifferentSensorsNamesTheFile()
    {
        var small = new EventStream(34, 34, [new DvsEvent(1, 1, 1, 10), new DvsEvent(2, 2, 1, 20)]);
        var large = new EventStream(128, 128, [new DvsEvent(100, 100, 1, 10), new DvsEvent(2, 2, 1, 20)]);
        Directory.CreateDirectory(_files.Path("ev/0"));
        Directory.CreateDirectory(_files.Path("ev/1"));
        NmnistBin.Write(_files.Path("ev/0/a.bin"), small);
        PropheseeDat.Write(_files.Path("ev/1/b.dat"), large);
        var config = _files.Config(t => t.Replace("kind: builtin ", "kind: events\n  path: ev ").Replace("crop: 32", "crop: 0"));
        Assert.That(FailsWithBadInput("run", config, "--out", _files.Path("o")), Does.Contain("b.dat").And.Contain("sensor has events outside"));
    }

    [Test]
    public void Item11_DelayOfAMillionSecondsIsRefusedBeforeAllocating()
    {
        var net = _files.DelayNir(1e6);
        var watch = Stopwatch.StartNew();
        var error = FailsWithBadInput("run", net, "--input", _files.OnesCsv(3, 2), "--dt", "1e-3", "--max-memory", "1G");
        Assert.That(error, Does.Contain("delay.nir: node 'd' (delay)").And.Contain("--max-memory").And.Contain("GiB"));
        Assert.That(watch.Elapsed.TotalSeconds, Is.LessThan(10));
    }

    [Test]
    public void Item12_LinkCycleInANirFileIsBadInput()
    {
        var nodes = SmallNodes();
        nodes["loop"] = new H5SoftLink("/node");
        var path = Write(_files.Path("cycle.nir"), Graph(nodes, SmallEdges()));
        Assert.That(FailsWithBadInput("inspect", path), Does.Contain("cycle.nir"));
        Assert.That(FailsWithBadInput("run", path, "--input", _files.OnesCsv(3, 3), "--dt", "1e-3"), Does.Contain("cycle.nir"));
    }

    [Test]
    public void Item13_ActivityWithAHugeTMaxIsRefusedBeforeAllocating()
    {
        var spikes = new H5Group { ["type"] = "EventData", ["idx"] = new long[] { 0 }, ["time"] = new[] { 0.0 } };
        spikes.Attributes = new Dictionary<string, object> { ["n_neurons"] = 3L, ["t_max"] = 50_000.0 };
        var file = new H5File
        {
            ["version"] = "0.2.0",
            ["node"] = new H5Group
            {
                ["type"] = "NIRGraphData",
                ["nodes"] = new H5Group { ["input"] = new H5Group { ["type"] = "NIRNodeData", ["observables"] = new H5Group { ["spikes"] = spikes } } },
            },
        };
        var path = _files.Path("activity.h5");
        file.Write(path);
        var error = FailsWithBadInput("replay", path, "--network", _files.SmallNir(), "--dt", "1e-6", "--max-memory", "256M", "--out", _files.Path("o"));
        Assert.That(error, Does.Contain("activity.h5: node 'input'").And.Contain("t_max").And.Contain("--max-memory"));
    }

    [TestCase("timesteps: 50 ", "timesteps: 1000000 ", "encoding.timesteps")]
    [TestCase("feature_bins: 1 ", "feature_bins: 65536 ", "readout.feature_bins")]
    public void Item14_LargeValuesInsideTheRangesAreRefusedByTheGuard(string from, string to, string key)
    {
        var config = _files.Config(t => t.Replace(from, to));
        var watch = Stopwatch.StartNew();
        Assert.That(FailsWithBadInput("run", config, "--out", _files.Path("o"), "--max-memory", "2G"), Does.Contain(key));
        Assert.That(watch.Elapsed.TotalSeconds, Is.LessThan(20));
        Assert.That(Directory.Exists(_files.Path("o")), Is.False);
    }

    [Test]
    public void Item14_HugeMacroIsRefusedByInspect()
    {
        var arch = _files.Architecture(t => t.Replace("rows: 512", "rows: 16384").Replace("columns: 512", "columns: 16384"));
        Assert.That(File.ReadAllText(arch), Does.Contain("rows: 16384"));
        var watch = Stopwatch.StartNew();
        Assert.That(FailsWithBadInput("inspect", arch), Does.Contain("arch.yaml: line").And.Contain("macro.rows"));
        Assert.That(watch.Elapsed.TotalSeconds, Is.LessThan(5));
        // Within the cell limit, the guard refuses what the memory limit does not allow.
        var wide = _files.Architecture(t => t.Replace("rows: 512", "rows: 4096").Replace("columns: 512", "columns: 4096"), "wide.yaml");
        Assert.That(FailsWithBadInput("inspect", wide, "--max-memory", "64M"), Does.Contain("macro.rows").And.Contain("--max-memory"));
    }

    [Test]
    public void Item15_SweepOfABillionPointsIsRefusedBeforeWritingAnything()
    {
        _files.Config(name: "base.yaml");
        var sweep = _files.Write("billion.yaml", "name: billion\nbase: base.yaml\nparameters:\n" + string.Concat(new[] { "lsm.threshold", "lsm.decay", "lsm.input_gain" }.Select(p =>
            $"  - path: {p}\n    sample: {{count: 1000, low: 0.1, high: 0.9}}\n")));
        var outDir = _files.Path("sweep");
        var error = FailsWithBadInput("sweep", sweep, "--out", outDir);
        Assert.That(error, Does.Contain("1,000,000,000 points").And.Contain("--max-points"));
        Assert.That(Directory.Exists(outDir), Is.False, "no sweep.json claiming the points");
    }

    [Test]
    public void Item16_ArchitectureByPresetNameByEmptyNameAndAChipTooSmall()
    {
        Neuromorphic.Arch.Architecture.Presets.TryRead("sdt-v2-small", out var transformer, out _);
        var start = transformer.IndexOf("architecture:", StringComparison.Ordinal);
        var end = transformer.IndexOf("\ntransformer:", StringComparison.Ordinal);
        var byName = _files.Write("named.yaml", transformer[..start] + "architecture: rram-40nm-256kb\n" + transformer[(end + 1)..]);
        Assert.That(RunConfigLoader.Load(byName).Architecture.Name, Is.EqualTo("rram-40nm-256kb"));

        var empty = _files.Write("empty-arch.yaml", transformer[..start] + "architecture: \"\"\n" + transformer[(end + 1)..]);
        Assert.That(FailsWithBadInput("run", empty), Does.Contain("empty-arch.yaml: line").And.Contain("(architecture)"));

        var big = _files.Config(t => t.Replace("neurons: 200", "neurons: 2000"), "big.yaml");
        Assert.That(FailsWithBadInput("run", big, "--out", _files.Path("o")), Does.Contain("big.yaml").And.Contain("macros"));
    }

    [Test]
    public void Item17_ControlBytesFromADamagedFileAreEscaped()
    {
        var config = _files.Config(t => t + "\"bad\\e[31mkey\\a\": 1\n", "ctl.yaml");
        var error = FailsWithBadInput("run", config);
        Assert.That(error, Does.Contain("\\x1B[31mkey\\x07"));
        var bin = _files.Path("ctl.nmtrace");
        File.WriteAllBytes(bin, Encoding.Latin1.GetBytes("NMTRACE\0\u0002\u0000\r\n\u001b]0;title\u0007"));
        FailsWithBadInput("replay", bin);
        var exception = new InputFormatException("f\nile", "line\r1", "bad \u0000 thing " + new string('x', 1000));
        Assert.That(exception.Message.Length, Is.LessThanOrEqualTo(InputFormatException.MaxMessageLength));
        Assert.That(exception.Message, Does.StartWith("f ile: line 1: bad \\x00 thing"));
    }

    [Test]
    public void Item18_NonFiniteRasterCellsAreBadInput()
    {
        var net = _files.SmallNir();
        var csv = _files.Write("nan.csv", "0,1,0\n1,NaN,0\n");
        Assert.That(FailsWithBadInput("run", net, "--input", csv, "--dt", "1e-3"), Does.Contain("nan.csv: line 2, column 2"));
        var npy = _files.Path("inf.npy");
        Npy.Write(npy, new[] { 0f, 1, 0, 1, float.PositiveInfinity, 0 }, [2, 3]);
        Assert.That(FailsWithBadInput("run", net, "--input", npy, "--dt", "1e-3"), Does.Contain("inf.npy: element [1, 1]"));
        Assert.That(FailsWithBadInput("replay", npy, "--network", net, "--out", _files.Path("o")), Does.Contain("inf.npy"));
    }

    [Test]
    public void Item18_MisspeltSweepMetricsAreRefused()
    {
        _files.Config(name: "base.yaml");
        var metric = _files.Write("m.yaml", "name: m\nbase: base.yaml\nparameters:\n  - path: lsm.threshold\n    values: [4, 5]\nmetrics: [acuracy]\n");
        Assert.That(FailsWithBadInput("sweep", metric, "--out", _files.Path("s")), Does.Contain("m.yaml: line 6 (metrics)").And.Contain("accuracy"));
        var objective = _files.Write("o.yaml", "name: o\nbase: base.yaml\nparameters:\n  - path: lsm.threshold\n    values: [4, 5]\nobjectives:\n  - {metric: energy_per_inference, goal: min}\n");
        Assert.That(FailsWithBadInput("sweep", objective, "--out", _files.Path("s")), Does.Contain("o.yaml: line 7 (objectives[0].metric)"));
    }

    [TestCase("range")]
    [TestCase("sample")]
    public void EmptyRangeOrSampleInASweepIsBadInput(string kind)
    {
        // Found by the 200,000-case fuzz campaign (seed 7): a sweep truncated after "range:" threw NullReferenceException.
        _files.Config(name: "base.yaml");
        var sweep = _files.Write("e.yaml", $"name: e\nbase: base.yaml\nparameters:\n  - path: lsm.threshold\n    {kind}:\n");
        Assert.That(FailsWithBadInput("sweep", sweep, "--out", _files.Path("s")), Does.Contain($"e.yaml: line").And.Contain(kind));
    }

    [Test]
    public void Item18_SecondYamlDocumentIsRefused()
    {
        var config = _files.Config(t => t + "---\nname: other\n");
        Assert.That(FailsWithBadInput("run", config), Does.Contain("run.yaml: line").And.Contain("second YAML document"));
    }

    [Test]
    public void Item18_InputFanInLargerThanTheInputsIsRefused()
    {
        var config = _files.Config(t => t.Replace("input_fan_in: 16 ", "input_fan_in: 1000 "));
        Assert.That(FailsWithBadInput("run", config, "--out", _files.Path("o")), Does.Contain("run.yaml: lsm.input_fan_in").And.Contain("256 input channels"));
    }

    [Test]
    public void Item18_UnresolvedLinksInANirFileAreRefused()
    {
        var nodes = SmallNodes();
        ((H5Group)nodes["fc"])["bias"] = new H5SoftLink("/elsewhere/bias");
        var path = Write(_files.Path("link.nir"), Graph(nodes, SmallEdges()));
        Assert.That(FailsWithBadInput("inspect", path), Does.Contain("link.nir: node 'fc'").And.Contain("link"));
        nodes = SmallNodes();
        nodes["ghost"] = new H5SoftLink("/nowhere");
        path = Write(_files.Path("ghost.nir"), Graph(nodes, SmallEdges()));
        Assert.That(FailsWithBadInput("inspect", path), Does.Contain("ghost.nir: node 'ghost'"));
    }
    [TestCase("inspect")]
    [TestCase("replay")]
    public void HdfFileWhoseHeaderPointsBackIntoItselfIsBadInputNotAHang(string command)
    {
        // Found by the 200,000-case fuzz campaign (seed 8, nir-activity case 6498: six flipped bits
        // near byte 3625); PureHDF decoded the same object header forever.
        var damaged = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "fuzz", "nir-activity-8-6498-activity.h5");
        var net = _files.SmallNir();
        string[] args = command == "inspect" ? ["inspect", damaged] : ["replay", damaged, "--network", net];
        var run = Task.Run(() => FailsWithBadInput(args));
        Assert.That(run.Wait(TimeSpan.FromSeconds(30)), Is.True, "refused within 30 s");
        Assert.That(run.Result, Does.Contain("nir-activity-8-6498-activity.h5"));
    }
    [Test]
    public void UnknownExecutionModeIsRefusedNamingTheChoices()
    {
        // 'pipelined' runs (tests/Chip/PipelinedExecutionTests.cs); anything else is bad input, not a silent barrier.
        var arch = _files.Architecture(t => t.Replace("chip:\n", "chip:\n  execution: overlapped\n"), "overlapped.yaml");
        Assert.That(File.ReadAllText(arch), Does.Contain("execution: overlapped"));
        Assert.That(FailsWithBadInput("inspect", arch),
            Does.Contain("overlapped.yaml: line").And.Contain("chip.execution").And.Contain("barrier, pipelined"));
    }
}
