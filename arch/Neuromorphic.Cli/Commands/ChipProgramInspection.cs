using System.Globalization;
using System.Text.Json;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Nir;
using Spectre.Console;

namespace Neuromorphic.Cli.Commands;

/// <summary><c>neuromorphic inspect NET.nir --arch ARCH [--json]</c>: how the network maps onto the chip.</summary>
internal static class ChipProgramInspection
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static int Print(Terminal terminal, string networkPath, string architecture, bool json, ulong seed = 1, int threads = 1)
    {
        var network = NirReader.Read(networkPath);
        var chip = new ChipModel(ArchitectureLoader.Load(architecture));
        var program = NetworkMapper.Map(network, chip, seed, threads: threads);
        var description = ChipProgramDescription.Describe(program);
        if (json)
        {
            terminal.Out.WriteLine(JsonSerializer.Serialize(description, JsonOptions));
            return ExitCodes.Ok;
        }
        var table = new Table().Border(TableBorder.Rounded).AddColumn("node").AddColumn("type").AddColumn("on")
            .AddColumn(new TableColumn("macros").RightAligned()).AddColumn(new TableColumn("blocks rows x cols").RightAligned())
            .AddColumn(new TableColumn("cell use").RightAligned()).AddColumn("weights").AddColumn("tiles").AddColumn(new TableColumn("neurons").RightAligned());
        table.Title = new TableTitle(Markup.Escape($"{Path.GetFileName(networkPath)} on {chip.Spec.Name}"));
        foreach (var n in description.Nodes)
            table.AddRow(Markup.Escape(n.Node), Markup.Escape(n.Type), n.On, n.Macros.ToString(CultureInfo.InvariantCulture),
                n.Macros == 0 ? "" : $"{n.RowBlocks} x {n.ColumnBlocks}", n.Macros == 0 ? "" : n.Utilisation.ToString("P1", CultureInfo.InvariantCulture),
                Markup.Escape(n.Weights?.Replace('_', ' ') ?? ""), string.Join(" ", n.Tiles), n.Neurons == 0 ? "" : n.Neurons.ToString(CultureInfo.InvariantCulture));
        terminal.Console.Write(table);
        terminal.Console.MarkupLine(Markup.Escape(
            $"{description.MacrosUsed} of {description.MacrosAvailable} macros, {description.TilesUsed} of {description.TilesAvailable} tiles; "
            + $"neurons per core: {string.Join(" ", description.NeuronsPerTile)} (capacity {description.NeuronsPerCore}, placement {description.Placement}); execution {description.Execution}; "
            + $"macro order {description.MacroOrder}; one-signed layers {description.OneSignedLayers}; word lines {description.WordLines}"
            + (description.MacrosDense is not { } dense ? ""
                : !description.Nodes.Any(n => n.MacrosDense is not null) ? " (no sparse projection: nothing compacted, no row-address table)"
                : $" ({dense} macros with dense word lines; row-address tables: fullest tile {description.RowTableEntriesMax} of {description.RowTableEntriesAvailable} entries; "
                  + string.Join(", ", description.Nodes.Where(n => n.MacrosDense is not null).Select(n => $"{n.Node} {n.MacrosDense} -> {n.Macros} macros, {n.RowTableEntries} entries")) + ")")));
        terminal.Console.WriteLine("routes: " + string.Join(", ", description.Routes.Select(r =>
            $"{r.From} -> {r.To} [{string.Join(" ", r.FromTiles)} -> {string.Join(" ", r.ToTiles)}]{(r.Recurrent ? " (recurrent)" : "")}")));
        return ExitCodes.Ok;
    }
}
