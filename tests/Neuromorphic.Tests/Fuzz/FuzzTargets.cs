using System.Text;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Sweeps;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Tests.Traces.Events.Recordings;
using Neuromorphic.Traces;
using Neuromorphic.Traces.Events;
using Neuromorphic.Traces.Events.Formats;
using Neuromorphic.Traces.Recording;
using PureHDF;

namespace Neuromorphic.Tests.Fuzz;

/// <summary>
/// Every reader and loader of the program, as a fuzz target: NIR graphs and activity, rasters
/// (.npy, CSV), every event format, run / architecture / sweep YAML, cost tables, traces. Each runs
/// a mutant the way the command line would, with a small memory limit so the resource guard is
/// exercised too. A new format gets a line here (and <see cref="FuzzCoverageTests"/> checks every
/// event-file extension has one).
/// </summary>
internal static class FuzzTargets
{
    /// <summary>The memory limit a fuzz case runs under (the command line's --max-memory).</summary>
    public static readonly MemoryBudget Budget = new(256L << 20);

    /// <summary>All targets.</summary>
    public static IReadOnlyList<FuzzTarget> All { get; } = Build();

    /// <summary>The target of that name.</summary>
    public static FuzzTarget Named(string name) => All.First(t => t.Name == name);

    private static IReadOnlyList<FuzzTarget> Build()
    {
        var events = new EventStream(34, 34, Enumerable.Range(0, 40).Select(i => new DvsEvent((ushort)(i % 34), (ushort)(i * 7 % 34), (byte)(i % 2), i * 500L)).ToList());
        return
        [
            new("nir", "net.nir", NirSeeds(), Text: false, RunNir, Weight: 0.4),
            new("nir-activity", "activity.h5", [Bytes(p => NirGraphData.Write(p, new Dictionary<string, SpikeRaster> { ["input"] = Raster(6, 3), ["lif"] = Raster(6, 2) }, 1e-3))],
                Text: false, p => NirGraphData.Read(p, 1e-3, Budget)),
            new("raster-npy", "raster.npy", [Bytes(p => Npy.Write(p, Raster(5, 3))), Bytes(p => Npy.Write(p, new double[] { 0, 1, 0, 1 }, [2, 2])), Bytes(p => Npy.Write(p, new float[] { 1, 0, 1 }, [3]))],
                Text: false, p => SpikeRaster.Load(p)),
            new("raster-csv", "raster.csv", [Bytes(p => RasterCsv.Write(p, Raster(5, 3))), Encoding.UTF8.GetBytes("0,1,0\n1,0.5,0\n0,0,1e-3\n")], Text: true, p => SpikeRaster.Load(p)),
            new("events-nmnist", "0/s.bin", [Bytes(p => NmnistBin.Write(p, events))], Text: false, RunEvents),
            new("events-aedat2", "0/s.aedat", [Bytes(p => Aedat2.Write(p, events))], Text: false, RunEvents),
            new("events-aedat31", "0/s.aedat3", [Bytes(p => Aedat31.Write(p, events))], Text: false, RunEvents),
            new("events-prophesee", "0/s.dat", [Bytes(p => PropheseeDat.Write(p, events))], Text: false, RunEvents),
            new("events-csv", "0/s.csv", [Bytes(p => EventCsv.Write(p, events))], Text: true, RunEvents),
            new("events-aedat4", "0/s.aedat4", Aedat4Seeds(events), Text: false, RunEvents),
            new("events-evt", "0/s.raw", EvtSeeds(), Text: false, RunEvents),
            new("run-yaml", "run.yaml", Presets.RunNames.Select(PresetBytes).ToList(), Text: true, RunConfigYaml),
            // Plus one seed with the mapping section (compacted word lines and a row-address table size), which no preset sets.
            new("architecture-yaml", "arch.yaml", Presets.ArchitectureNames.Select(PresetBytes)
                .Append(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(PresetBytes("rram-40nm-256kb")) + "\nmapping:\n  word_lines: compacted\n  row_table_entries: 4096\n")).ToList(),
                Text: true, RunArchitecture, Weight: 0.4),
            new("sweep-yaml", "sweep.yaml", [Encoding.UTF8.GetBytes(SweepText)], Text: true, p => RunSweep(p), WriteSweepBase),
            new("cost-table", "costs.csv", [Bytes(p => CostTableCsv.Write(p, new ChipModel(ArchitectureLoader.Load("rram-40nm-256kb")).Costs))],
                Text: true, RunCostTable, folder => File.WriteAllText(Path.Combine(folder, "arch.yaml"), CostTableArchitecture)),
            new("trace", "t.nmtrace", [Bytes(p => TraceFile.Write(p, SmallTrace()))], Text: false, p => TraceFile.Read(p, Budget), Repair: RepairTraceChecksum),
        ];
    }

    private const string SweepText =
        "name: fuzz\nbase: base.yaml\nseed: 3\nmode: grid\nset:\n  transformer.samples: 2\nparameters:\n  - path: transformer.uniform_rate\n    values: [0.05, 0.2]\n" +
        "  - path: architecture.macro.adc.bits\n    range: {start: 4, stop: 8, step: 2}\n  - paths: [lsm.decay, lsm.threshold]\n    sample: {count: 3, low: 0.5, high: 0.9, scale: log}\n" +
        "metrics: [energy_per_inference_J, latency_s]\nobjectives:\n  - {metric: energy_per_inference_J, goal: min}\n  - {metric: latency_s, goal: min}\n";

    private const string CostTableArchitecture = "name: fuzz\ntechnology_nm: 40\nmacro:\n  device: {}\ncost_table_file: costs.csv\n";

    private static void RunNir(string path)
    {
        var network = NirReader.Read(path);
        var width = network.Inputs.Sum(i => Neuromorphic.Sim.Networks.Shape.Size(i.Shape));
        if (width == 0 || !network.Outputs.Any()) return;
        ExecutionMemory.Require(network, 1e-3, 4, sizeof(float), Budget, path);
        new NetworkExecutor<float>(network, 1e-3).Run(Raster(4, width));
    }

    private static void RunEvents(string path)
    {
        // The folder workload the command line reads (class folder 0/ holds the file).
        var root = Path.GetDirectoryName(Path.GetDirectoryName(path))!;
        var encoding = new EncodingSpec { Timesteps = 10, Crop = 0, Polarity = "both" };
        WorkloadLoader.Load(new WorkloadSpec { Kind = "events", Path = root }, encoding, 1,
            plan: (samples, inputs) => Budget.Require(samples * (double)inputs * encoding.Timesteps * sizeof(float), path, "header", "rasters"));
    }

    private static void RunConfigYaml(string path)
    {
        var config = RunConfigLoader.Load(path);
        if (config.Transformer is null) RunMemory.Estimate(config, 100, 256);
    }

    private static void RunArchitecture(string path)
    {
        var spec = ArchitectureLoader.Load(path);
        // Measuring programs a whole macro: the figures of arrays over 32 MiB are left to the command line's guard.
        if (RunMemory.ProgrammedCrossbarBytes(spec, 1) > 32 << 20) return;
        var figures = MacroFigures.Measure(new ChipModel(spec), spec.DefaultInputDensity, vectors: 2);
        foreach (var property in typeof(MacroFigures).GetProperties().Where(p => p.PropertyType == typeof(double)))
            if (!double.IsFinite((double)property.GetValue(figures)!))
                throw new InvalidOperationException($"figure {property.Name} is not finite for a loaded architecture");
    }

    private static void RunSweep(string path)
    {
        var spec = SweepLoader.Load(path, maxPoints: 1000);
        var count = SweepPoints.Count(spec);
        foreach (var index in new[] { 0L, count / 2, count - 1 }.Distinct()) SweepPoints.Point(spec, (int)index);
    }

    private static void WriteSweepBase(string folder)
    {
        Presets.TryRead("sdt-v2-small", out var text, out _);
        File.WriteAllText(Path.Combine(folder, "base.yaml"), text.Replace("mode: functional", "mode: rates") + "lsm:\n  decay: 0.9\n  threshold: 5\n");
    }

    private static void RunCostTable(string path)
    {
        var spec = ArchitectureLoader.Load(Path.Combine(Path.GetDirectoryName(path)!, "arch.yaml"));
        _ = new ChipModel(spec).Costs.Rows().Count();
    }

    /// <summary>A trace whose CRC-32 matches its bytes again (when it is long enough to have one).</summary>
    private static byte[] RepairTraceChecksum(byte[] bytes)
    {
        if (bytes.Length < 12) return bytes;
        var copy = (byte[])bytes.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(copy.Length - 4), Crc32.Compute(copy.AsSpan(8, copy.Length - 12)));
        return copy;
    }

    private static byte[] PresetBytes(string name)
    {
        Presets.TryRead(name, out var text, out _);
        return Encoding.UTF8.GetBytes(text);
    }

    private static IEnumerable<byte[]> NirFixtureSeeds() =>
        new[] { "lif_norse.nir", "two_lif_neurons.nir", "braille_noDelay_bias_zero.nir" }.Select(f => File.ReadAllBytes(FixturePaths.Nir(f)));

    private static IReadOnlyList<byte[]> NirSeeds()
    {
        var delay = new H5Group
        {
            ["input"] = NirTestData.Io("Input", 3),
            ["d"] = new H5Group { ["type"] = "Delay", ["delay"] = new[] { 0.002, 0.001, 0.0 } },
            ["inner"] = NirTestData.Graph(NirTestData.SmallNodes(), NirTestData.SmallEdges()),
            ["output"] = NirTestData.Io("Output", 2),
        };
        var edges = new[,] { { "input", "d" }, { "d", "inner" }, { "inner", "output" } };
        return [.. NirFixtureSeeds(), Bytes(p => NirTestData.Write(p, NirTestData.Graph(NirTestData.SmallNodes(), NirTestData.SmallEdges()))),
            Bytes(p => NirTestData.Write(p, NirTestData.Graph(delay, edges)))];
    }

    /// <summary>AEDAT 4.0 files (built like DV writes them) uncompressed, LZ4 and Zstd, with a second stream to skip.</summary>
    private static IReadOnlyList<byte[]> Aedat4Seeds(EventStream events)
    {
        var xml = FlatBytes.Description((0, "EVTS", 34, 34), (1, "TRIG", 0, 0));
        var first = FlatBytes.EventPacket(events.Events.ToList());
        var later = FlatBytes.EventPacket(events.Events.Select(e => e with { TimeUs = e.TimeUs + 100_000 }).ToList());
        return [.. new[] { 0, 1, 3 }.Select(compression => FlatBytes.File(compression, xml, [(0, first), (1, first), (0, later)]))];
    }

    /// <summary>Prophesee .raw files in EVT 2.0 and EVT 3.0 (built word by word from the specifications).</summary>
    private static IReadOnlyList<byte[]> EvtSeeds()
    {
        var evt2 = EvtWords.Evt2(34, 34).TimeHigh2(0);
        var evt3 = EvtWords.Evt3(34, 34).AddrY(0).Time3(0);
        for (var i = 0; i < 20; i++)
        {
            evt2.Cd(i % 2, i * 2, i % 34, i * 3 % 34);
            evt3.AddrY(i * 3 % 34).Time3(i * 10).AddrX(i % 34, i % 2);
        }
        return [evt2.TimeHigh2(4096).Cd(1, 4100, 1, 1).ToArray(), evt3.VectBaseX(0, 1).Vect12(0x5A5).ToArray()];
    }

    private static SpikeTrace SmallTrace()
    {
        var a = Raster(5, 4);
        var b = Raster(5, 3);
        return new SpikeTrace
        {
            Populations = [new("input", 4), new("reservoir", 3)],
            Timesteps = 5,
            Dt = 1e-3,
            Samples = [new TraceSample(0, [a, b]), new TraceSample(2, [b.Channels == 3 ? a : a, b]), new TraceSample(-1, [a, b])],
            Metadata = new Dictionary<string, string> { ["kind"] = "lsm", ["seed"] = "1", ["splits"] = "RTU" },
        };
    }

    private static SpikeRaster Raster(int timesteps, int channels)
    {
        var raster = new SpikeRaster(timesteps, channels);
        for (var i = 0; i < raster.Data.Length; i++) raster.Data[i] = (i * 7 + 3) % 5 == 0 ? 1 : 0;
        return raster;
    }

    /// <summary>The bytes a writer produces.</summary>
    private static byte[] Bytes(Action<string> write)
    {
        var dir = Directory.CreateTempSubdirectory("nm-fuzz-seed-").FullName;
        try
        {
            var path = Path.Combine(dir, "seed");
            write(path);
            return File.ReadAllBytes(path);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
