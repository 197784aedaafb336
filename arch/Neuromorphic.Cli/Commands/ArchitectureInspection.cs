using System.Globalization;
using System.Text.Json;
using Neuromorphic.Arch.Architecture;
using Spectre.Console;

namespace Neuromorphic.Cli.Commands;

/// <summary>Prints an architecture's derived macro figures and its cost table.</summary>
internal static class ArchitectureInspection
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static int Print(Terminal terminal, string nameOrPath, bool json, double? density) =>
        Print(terminal, ArchitectureLoader.Load(nameOrPath), json, density);

    public static int Print(Terminal terminal, ArchitectureSpec spec, bool json, double? density)
    {
        if (density is not null && !(density >= ArchitectureLoader.MinInputDensity && density <= 1))
            throw new UsageException($"--density must lie in [{ArchitectureLoader.MinInputDensity}, 1], found {density}");
        // The figures program one macro cell by cell: the resource guard first.
        terminal.Limits.Memory.Require(Neuromorphic.Arch.Runs.RunMemory.ProgrammedCrossbarBytes(spec, 1), spec.Origin, "macro.rows",
            $"a programmed {spec.Macro.Crossbar.Rows} x {spec.Macro.Crossbar.Columns} macro");
        var chip = new ChipModel(spec);
        var m = spec.Macro;
        var figures = MacroFigures.Measure(chip, density ?? spec.DefaultInputDensity);
        RequireFinite(spec, figures, density is null ? "default_input_density" : "--density");
        if (json)
        {
            var document = new
            {
                name = spec.Name,
                origin = spec.Origin,
                technology_nm = spec.TechnologyNm,
                weights = WeightWording(m),
                macro = figures,
                chip = new { tiles = spec.Chip.Tiles, macros = spec.Chip.Macros },
                cost_table = chip.Costs.Rows().Select(r => new
                {
                    component = r.Component, action = r.Action, energy_pJ = r.EnergyPj, latency_ns = r.LatencyNs,
                    area_um2 = r.AreaUm2, leakage_uW = r.LeakageUw, source = r.Source,
                }),
            };
            // The macro's figures live in one place, under "macro" (.macro.tops_per_watt); they were repeated at the top level.
            terminal.Out.WriteLine(JsonSerializer.Serialize(document, JsonOptions));
            return ExitCodes.Ok;
        }

        string F(double x, string format = "G4") => x.ToString(format, CultureInfo.InvariantCulture);
        terminal.Console.MarkupLine($"[bold]{Markup.Escape(spec.Name)}[/] ({Markup.Escape(spec.Origin)}): {Markup.Escape(spec.Description)}");
        var table = new Table().Border(TableBorder.Rounded).AddColumn("macro figure").AddColumn(new TableColumn("value").RightAligned());
        table.AddRow("array", $"{m.Crossbar.Rows} x {m.Crossbar.Columns}, {m.Device.BitsPerCell} bit/cell, {WeightWording(m)}");
        table.AddRow("capacity", $"{figures.CapacityBits} bits ({F(figures.CapacityBits / 1024.0)} Kb)");
        table.AddRow("readout", $"{figures.Adcs} x {m.Adc.Bits}-bit {AdcName(m.Adc.Kind)}, {m.ColumnsPerAdc} columns each, {m.ParallelRows} rows per read");
        table.AddRow("area", $"{Neuromorphic.Arch.Reports.Quantity.Number(figures.AreaUm2)} um^2");
        table.AddRow("input density", F(figures.InputDensity));
        table.AddRow("row-group read", $"{F(figures.EnergyPerRowGroupReadPj)} pJ, {F(figures.LatencyPerRowGroupReadNs)} ns");
        table.AddRow("full MVM", $"{F(figures.EnergyPerMvmPj)} pJ, {F(figures.LatencyPerMvmNs)} ns");
        table.AddRow("energy per MAC", $"{F(figures.EnergyPerMacFj)} fJ");
        table.AddRow("energy per conversion", $"{F(figures.EnergyPerConversionFj)} fJ");
        table.AddRow("macro energy per synaptic event (dynamic)", $"{F(figures.EnergyPerSynapticEventFj)} fJ");
        table.AddRow("ADC share of energy", $"{F(100 * figures.AdcEnergyShare, "F1")} %");
        // Every figure above is the macro's own: the neuron and accumulate cores, buffers and NoC are not in them.
        table.AddRow("TOPS/W at this density (macro)", F(figures.TopsPerWatt));
        table.AddRow("TOPS/W, all rows active (macro)", F(figures.PeakTopsPerWatt));
        table.AddRow("peak TOPS (macro)", F(figures.PeakTops));
        table.AddRow("chip", $"{spec.Chip.Tiles} tiles x {spec.Chip.MacrosPerTile} macros");
        table.Caption("macro alone: no neuron or accumulate cores, no buffers, no NoC");
        terminal.Console.Write(table);

        var costs = new Table().Border(TableBorder.Rounded).AddColumn("component.action").AddColumn(new TableColumn("energy").RightAligned())
            .AddColumn(new TableColumn("latency").RightAligned()).AddColumn("source");
        foreach (var e in chip.Costs.Actions)
            costs.AddRow(Markup.Escape(e.Key), F(e.EnergyPj) + " pJ", F(e.LatencyNs) + " ns", Markup.Escape(e.Source));
        terminal.Console.Write(costs);
        return ExitCodes.Ok;
    }

    /// <summary>
    /// What a macro's cells store, as the file means it: offset binary's <c>weight_bits</c> are magnitude bits plus the
    /// offset bit (NeuroSim's "8-bit weight" is <c>weight_bits: 7</c>), a differential pair stores the sign in the pair, and
    /// stochastically programmed cells hold analog conductances, not quantised weights.
    /// </summary>
    internal static string WeightWording(Neuromorphic.Hw.Macro.MacroParameters m)
    {
        if (m.Device.Programming == Neuromorphic.Hw.Devices.ProgrammingScheme.StochasticPulse)
            return "analog conductances (stochastic pulses)";
        var bits = m.Crossbar.WeightBits;
        var magnitude = bits == 1 ? "1 magnitude bit" : $"{bits} magnitude bits";
        return m.Crossbar.SignedWeights switch
        {
            Neuromorphic.Hw.Crossbar.SignedWeightScheme.OffsetBinary => $"{bits + 1}-bit offset-binary weights ({magnitude} + offset)",
            Neuromorphic.Hw.Crossbar.SignedWeightScheme.ReferenceColumn => $"{bits + 1}-bit offset weights ({magnitude} + offset, reference columns)",
            Neuromorphic.Hw.Crossbar.SignedWeightScheme.DifferentialPair => $"signed weights of {magnitude} (differential pairs)",
            _ => $"{bits}-bit unsigned weights",
        };
    }

    /// <summary>An ADC kind as a person names it ("64 x 4-bit SAR ADC", not the enum's "Sar ADC").</summary>
    internal static string AdcName(Neuromorphic.Hw.Periphery.AdcKind kind) => kind switch
    {
        Neuromorphic.Hw.Periphery.AdcKind.Sar => "SAR ADC",
        Neuromorphic.Hw.Periphery.AdcKind.Flash => "flash ADC",
        _ => "sense amplifier",
    };

    /// <summary>A derived figure that is NaN or infinite comes from the input (a density, a cost): say which, rather than print "NaN".</summary>
    private static void RequireFinite(ArchitectureSpec spec, MacroFigures figures, string densityKey)
    {
        foreach (var property in typeof(MacroFigures).GetProperties().Where(p => p.PropertyType == typeof(double)))
        {
            var value = (double)property.GetValue(figures)!;
            if (double.IsFinite(value)) continue;
            throw new Traces.InputFormatException(spec.Origin, densityKey + " and cost_table",
                $"the derived figure {property.Name} is {value.ToString(CultureInfo.InvariantCulture)}: the input density or a cost leaves nothing to divide by");
        }
    }
}
