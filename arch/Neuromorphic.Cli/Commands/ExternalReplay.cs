using System.Globalization;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Arch.Reports;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Runs.Records;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Traces;
using Spectre.Console;

namespace Neuromorphic.Cli.Commands;

/// <summary>
/// <c>neuromorphic replay ACTIVITY --network NET.nir [--arch ARCH]</c>: activity recorded elsewhere
/// (a NumPy raster [T, N] or [T, B, N]; NIR's NIRGraphData) priced on a chip through its NIR graph.
/// </summary>
internal static class ExternalReplay
{
    public static int Execute(Terminal terminal, string activityPath, string networkPath, string? arch, string? population, double dt, string? outDir, bool json,
        int threads = 1)
    {
        if (!File.Exists(activityPath)) throw new FileNotFoundException($"{activityPath}: no such file");
        if (!(dt > 0) || !double.IsFinite(dt)) throw new UsageException($"--dt must be a positive number of seconds, found {dt}");
        outDir ??= Path.Combine("runs", Path.GetFileNameWithoutExtension(activityPath) + "-replay");
        OutputPaths.RequireDirectory(outDir, "--out");
        var network = NirReader.Read(networkPath);
        var samples = Load(activityPath, network, population, dt, terminal.Limits.Memory);
        var architecture = arch is null ? ArchitectureLoader.Load("rram-40nm-256kb")
            : RunConfigLoader.IsRunConfig(arch) ? RunConfigLoader.Load(arch).Architecture : ArchitectureLoader.Load(arch);
        ChipRunResult r;
        ChipProgram program;
        PowerSummary power;
        try
        {
            // Cost-only through the one chip path: recorded populations take their activity, the rest is computed on the chip.
            program = NetworkMapper.Map(network, new ChipModel(architecture), 1, threads: threads);
            var executor = new ChipExecutor(program, dt, 1, golden: false, threads: threads);
            var inputs = network.Inputs.ToList();
            r = terminal.WithProgress($"replay {Path.GetFileName(activityPath)} on {architecture.Name}", progress =>
            {
                for (var s = 0; s < samples.Count; s++)
                {
                    var sample = samples[s];
                    var steps = sample.Values.Max(v => v.Timesteps);
                    var stimulus = inputs.Count == 1 && sample.TryGetValue(inputs[0].Name, out var given) ? given
                        : new SpikeRaster(steps, inputs.Sum(i => Shape.Size(i.Shape)));
                    executor.RunSample(stimulus, sample);
                    progress((s + 1.0) / samples.Count);
                }
                return executor.Finish();
            });
            // Cost-only, driven by the recorded spikes: leakage under power.gating from the busy times the executor
            // measured, else the actions' occupancy, as every workload prices it (ChipRunPower).
            (r, power) = ChipRunPower.Price(program, executor, r, dt);
        }
        catch (Neuromorphic.Arch.Mapping.MappingException ex)
        {
            throw new InputFormatException(arch ?? "rram-40nm-256kb", "chip", $"{Path.GetFileName(networkPath)}: {ex.Message}");
        }
        catch (ChipExecutionException ex)
        {
            throw new InputFormatException(activityPath, "", ex.Message);
        }
        var priced = program.Plan.Order.Select(i => program.Nodes[i]).Where(n => n.Kind == ChipNodeKind.Crossbar).Select(n => n.Name).ToList();
        var rates = samples[0].Keys.ToDictionary(k => k, k =>
            samples.Sum(s => (double)s[k].CountNonZero()) / samples.Sum(s => (double)s[k].Timesteps * s[k].Channels));
        var timesteps = r.Samples == 0 ? 0 : r.Timesteps / r.Samples;
        var latency = r.TotalCycles;
        var warnings = Warnings(activityPath, network, samples, timesteps);
        foreach (var warning in warnings) terminal.Error.WriteLine($"warning: {warning}");
        var summary = new RunRecord()
            .Text("tool_version", typeof(ExternalReplay).Assembly.GetName().Version?.ToString())
            .Text("activity", activityPath)
            .Text("network", networkPath)
            .Text("architecture", architecture.Name)
            .Number("technology_nm", architecture.TechnologyNm)
            .Number("base_clock_hz", architecture.BaseClockHz)
            .Count("samples", r.Samples)
            .Count("timesteps", timesteps)
            .Count("macros", program.MacrosUsed)
            .Number("energy_J", r.Account.TotalPj * 1e-12)
            .Number("dynamic_energy_J", r.Account.DynamicPj * 1e-12)
            .Number("energy_per_inference_J", r.Account.TotalPj * 1e-12 / r.Samples)
            .Text("power_gating", power.GatingName)
            .Number("latency_cycles", (double)latency / r.Samples)
            .Number("latency_s", latency / architecture.BaseClockHz / r.Samples)
            .Number("latency_per_timestep_cycles", r.LatencyPerTimestepCycles)
            .Text("execution", r.Execution)
            .Number("step_interval_cycles", r.StepIntervalCycles)
            .Number("throughput_steps_per_s", r.StepIntervalCycles <= 0 ? null : r.ThroughputStepsPerSecond)
            .Map("firing_rates", rates)
            .List("priced_projections", priced)
            .List("skipped_projections", []);
        power.AddFigures(summary, r.Samples);
        if (warnings.Count > 0) summary.List("warnings", warnings);
        summary.WriteSummary(outDir);
        EnergyBreakdownCsv.Write(Path.Combine(outDir, "energy_breakdown.csv"), r.Account);
        CostTableCsv.Write(Path.Combine(outDir, "cost_table.csv"), r.Costs);
        var ns = 1e9 / architecture.BaseClockHz;
        AtomicFile.WriteText(Path.Combine(outDir, "latency_breakdown.csv"), w =>
        {
            w.Write("timestep,latency_cycles,latency_ns\n");
            for (var t = 0; t < r.StepLatencyCycles.Length; t++) w.Write(string.Create(CultureInfo.InvariantCulture, $"{t},{r.StepLatencyCycles[t]},{r.StepLatencyCycles[t] * ns:R}\n"));
        });
        if (json)
        {
            terminal.Out.WriteLine(summary.ToJsonString());
            return ExitCodes.Ok;
        }
        string F(double x) => x.ToString("G4", CultureInfo.InvariantCulture);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("quantity").AddColumn(new TableColumn("value").RightAligned());
        table.Title = new TableTitle(Markup.Escape($"replay {Path.GetFileName(activityPath)} through {Path.GetFileName(networkPath)} on {architecture.Name}"));
        // The recording names no chip: say when the one priced is only the default.
        table.AddRow("architecture", Markup.Escape(arch is null ? $"{architecture.Name} (the default: --arch chooses the chip)" : architecture.Name));
        table.AddRow("samples x timesteps", $"{r.Samples} x {timesteps}");
        table.AddRow("projections priced", Markup.Escape(string.Join(", ", priced)));
        // SI prefixes: the Sinabs CNN's sample is 11.43 µJ, not 1.143E+04 nJ.
        table.AddRow("energy per inference", Quantity.Si(r.Account.TotalPj * 1e-12 / r.Samples, "J"));
        table.AddRow("latency per inference", Quantity.Si(latency / architecture.BaseClockHz / r.Samples, "s"));
        table.AddRow($"throughput ({r.Execution})", $"one step every {F(r.StepIntervalCycles)} cycles, {Quantity.Number(r.ThroughputStepsPerSecond)} steps/s");
        foreach (var (name, rate) in rates) table.AddRow($"firing rate: {Markup.Escape(name)} (spikes per neuron per step)", F(rate));
        foreach (var warning in warnings) table.AddRow("[yellow]warning[/]", $"[yellow]{Markup.Escape(warning)}[/]");
        terminal.Console.Write(table);
        terminal.Console.MarkupLine($"run directory: [bold]{Markup.Escape(outDir)}[/]");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// What the figures do not show by themselves: a graph input the recording lacks is priced as silent (its projections
    /// read no spikes), and NIRGraphData marks no sample boundaries (a run's recording of many inferences is one).
    /// </summary>
    private static List<string> Warnings(string activityPath, Network network, IReadOnlyList<IReadOnlyDictionary<string, SpikeRaster>> samples, long timesteps)
    {
        var warnings = new List<string>();
        foreach (var input in network.Inputs.Where(i => !samples[0].ContainsKey(i.Name)))
        {
            var fed = network.TargetsOf(input.Name).ToList();
            warnings.Add($"input '{input.Name}' is not in the recording: {(fed.Count == 0 ? "it is" : string.Join(", ", fed) + (fed.Count == 1 ? " is" : " are"))} "
                + "priced as if it received no spikes (record the input too for its cost)");
        }
        if (!activityPath.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
            warnings.Add($"NIRGraphData marks no sample boundaries: the {timesteps} steps of {Path.GetFileName(activityPath)} are priced as one inference "
                + "(a recording of many inferences gets the whole recording's figures per inference)");
        return warnings;
    }

    private static IReadOnlyList<IReadOnlyDictionary<string, SpikeRaster>> Load(string path, Network network, string? population, double dt, MemoryBudget budget)
    {
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase))
        {
            var name = population ?? network.Inputs.FirstOrDefault()?.Name ?? throw new UsageException("--population is needed: the graph has no Input node");
            var array = Npy.Read(path);
            var shape = array.Shape;
            var values = array.ToSingleArray();
            if (shape.Length is not (2 or 3)) throw new InputFormatException(path, "header", $"expected a raster [T, N] or [T, B, N], found shape ({string.Join(", ", shape)})");
            int steps = shape[0], batch = shape.Length == 3 ? shape[1] : 1, n = shape[^1];
            if (steps == 0 || batch == 0 || n == 0)
                throw new InputFormatException(path, "header", $"shape ({string.Join(", ", shape)}) holds no activity: it needs at least one timestep, sample and neuron");
            for (var k = 0; k < values.Length; k++)
                if (!float.IsFinite(values[k])) throw new InputFormatException(path, $"element {k}", $"{values[k]} is not a finite number");
            var samples = new List<IReadOnlyDictionary<string, SpikeRaster>>();
            for (var b = 0; b < batch; b++)
            {
                var raster = new SpikeRaster(steps, n);
                for (var t = 0; t < steps; t++)
                    for (var i = 0; i < n; i++) raster.MutableRow(t)[i] = values[(t * batch + b) * n + i] != 0 ? 1 : 0;
                samples.Add(new Dictionary<string, SpikeRaster> { [name] = raster });
            }
            return samples;
        }
        return [NirGraphData.Read(path, dt, budget)];
    }
}
