using System.Globalization;
using System.Text.Json;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Arch.Reports;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Traces;
using Spectre.Console;

namespace Neuromorphic.Cli.Commands;

/// <summary><c>neuromorphic run NET.nir --input RASTER --dt S --arch ARCH [--out DIR]</c>: the network on the chip, with the software model in lock-step.</summary>
internal static class ChipRun
{
    public static int Execute(Terminal terminal, string networkPath, string? inputPath, double? dt, string architecture, int? timesteps,
        ulong seed, string integrator, string? outDir, bool json, int threads = 1)
    {
        if (inputPath is null) throw new UsageException($"running {networkPath} needs --input RASTER (CSV or .npy, one row per timestep)");
        if (dt is not { } step || !(step > 0 && double.IsFinite(step))) throw new UsageException($"running {networkPath} needs --dt SECONDS (a positive number)");
        if (timesteps is <= 0) throw new UsageException($"--timesteps must be positive, found {timesteps}");
        OutputPaths.RequireDirectory(outDir, "--out");
        var network = NirReader.Read(networkPath, new NirImportOptions
        {
            IntegratorTimeBase = integrator == "euler" ? IntegratorTimeBase.ContinuousEuler : IntegratorTimeBase.PerTimestep,
        });
        var input = LoadInput(inputPath, step, network);
        var width = network.Inputs.Sum(i => Shape.Size(i.Shape));
        if (input.Channels != width)
            throw new InputFormatException(inputPath, "", $"the raster has {input.Channels} channels but the network's input takes {width}");
        if (timesteps is { } t && t < input.Timesteps) input = new SpikeRaster(t, input.Channels, input.Data[..(t * input.Channels)]);
        var chip = new ChipModel(ArchitectureLoader.Load(architecture));
        var program = NetworkMapper.Map(network, chip, seed, threads: threads);
        var executor = new ChipExecutor(program, step, seed, threads: threads);
        // The executor reports no progress within a sample: show that it is working, not a bar stuck at 0 %.
        terminal.WithActivity("running on the chip", () => executor.RunSample(input));
        // Leakage under the architecture's power.gating, as every workload prices it.
        var (result, power) = ChipRunPower.Price(program, executor, executor.Finish(), step);
        var label = Path.GetFileName(networkPath);
        var warnings = ChipRunFiles.Warnings(program, result);
        var summary = ChipRunFiles.Summary(program, result, label, seed, step, power, warnings);
        if (outDir is not null) ChipRunFiles.Write(outDir, program, result, label, seed, step, summary);
        RunWarnings.Print(terminal, warnings);
        if (json)
        {
            terminal.Out.WriteLine(summary.ToJson().ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return ExitCodes.Ok;
        }
        Print(terminal, program, result, result.EnergyJ, label);
        if (outDir is not null) terminal.Console.MarkupLine($"run directory: [bold]{Markup.Escape(outDir)}[/]");
        return ExitCodes.Ok;
    }

    /// <summary>A raster (CSV, .npy), or an event recording (N-MNIST .bin, AEDAT, Prophesee, event CSV) binned at dt into spikes.</summary>
    internal static SpikeRaster LoadInput(string path, double dt, Network network)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is ".npy" || extension == ".csv" && !LooksLikeEvents(path)) return SpikeRaster.Load(path);
        if (!Neuromorphic.Traces.Events.Formats.EventFile.Extensions.Contains(extension)) return SpikeRaster.Load(path);
        var events = Neuromorphic.Traces.Events.Formats.EventFile.Read(path);
        var shape = network.Inputs.First().Shape;
        var (height, width) = shape.Length == 3 ? (shape[1], shape[2]) : (events.Height, events.Width);
        return Neuromorphic.Traces.Events.EventBinning.ToRaster(events, new Neuromorphic.Traces.Events.BinningOptions
        {
            BinUs = Math.Max(1, (long)Math.Round(dt * 1e6)),
            CropWidth = Math.Min(width, events.Width),
            CropHeight = Math.Min(height, events.Height),
        });
    }

    /// <summary>An event CSV starts with a header naming x, y, t or p; a raster CSV holds numbers only.</summary>
    private static bool LooksLikeEvents(string path)
    {
        using var reader = new StreamReader(path);
        var first = reader.ReadLine() ?? "";
        return first.Any(char.IsLetter);
    }

    internal static void Print(Terminal terminal, ChipProgram program, ChipRunResult r, double energyJ, string label)
    {
        // Four significant digits, whole numbers from 10,000 with separators, energies and times with SI prefixes:
        // 9.356E+04 pJ and 4.501E+06 steps/s read as 93.56 nJ and 4,501,000. A unit never wraps away from its
        // number (5.813E+ / 05 on an 80-column terminal).
        static string G(double v) => Quantity.Number(v);
        static string Si(double v, string unit) => Quantity.Si(v, unit);
        // Counts and values with units keep to one line (a 7-digit count folded over two at 80 columns): their columns do not
        // wrap, "busy cycles" heads its column on two lines, and a crossbar's macros share the "on" column ("3 macros"), so
        // the table fits 80 columns with 7-digit reads and busy cycles; layer names and spike counts wrap.
        var table = new Table().Border(TableBorder.Rounded).AddColumn("layer").AddColumn(new TableColumn("on").NoWrap())
            .AddColumn(new TableColumn("reads").RightAligned().NoWrap()).AddColumn(new TableColumn("spikes chip / sw").RightAligned())
            .AddColumn(new TableColumn(new Markup("spike\nagreement")).RightAligned().NoWrap()).AddColumn(new TableColumn("energy").RightAligned().NoWrap())
            .AddColumn(new TableColumn(new Markup("busy\ncycles")).RightAligned().NoWrap());
        table.Title = new TableTitle(Markup.Escape($"{label} on {program.Chip.Spec.Name} ({r.Execution})"));
        foreach (var l in program.Plan.Order.Select(i => r.Layers[i]))
        {
            if (l.Kind is "wiring" or "input" && !l.Compared) continue;
            var on = l.Kind == "crossbar" ? $"{G(l.Macros)} {(l.Macros == 1 ? "macro" : "macros")}" : l.Kind;
            // The spike agreement (Jaccard: spikes both fired / spikes either fired), not the share of equal cells, which a
            // silent chip passes at 94-99 % on sparse layers; "no spikes" when neither side fired.
            var agreement = !l.Compared ? "" : double.IsNaN(l.SpikeJaccard) ? "no spikes" : l.SpikeJaccard.ToString("P2", CultureInfo.InvariantCulture);
            table.AddRow(new Text(l.Node) { Overflow = Overflow.Fold }, new Text(on), new Text(G(l.Reads)),
                new Text(l.Kind == "population" || l.Compared ? $"{G(l.ChipSpikes)} / {(l.SoftwareSpikes < 0 ? "-" : G(l.SoftwareSpikes))}" : ""),
                new Text(agreement), new Text(Si(l.EnergyPj * 1e-12, "J")),
                new Text(G(l.BusyCycles)));
        }
        terminal.Console.Write(table);
        terminal.Console.MarkupLine(Markup.Escape(
            $"energy {Si(energyJ, "J")}, latency {Si(r.TotalCycles / r.BaseClockHz, "s")} ({G(r.LatencyPerTimestepCycles)} cycles per timestep, {r.Execution}: one step completes every {G(r.StepIntervalCycles)} cycles, {G(r.ThroughputStepsPerSecond)} steps/s), {r.Timesteps} timesteps, {program.MacrosUsed} macros on {program.TilesUsed} {(program.TilesUsed == 1 ? "tile" : "tiles")}"));
    }
}
