using System.Text.Json;
using Neuromorphic.Sim.Execution;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Nir;
using Spectre.Console;

namespace Neuromorphic.Cli.Commands;

/// <summary>Prints a NIR graph's summary as tables or JSON.</summary>
internal static class NirInspection
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
    };

    /// <summary>HDF5 lists nodes alphabetically ("0", "1", "10", ...); people read a graph from input to output.</summary>
    private static NirSummary InExecutionOrder(NirSummary summary, Network network)
    {
        var order = new ExecutionPlan(network).Order;
        var rank = new int[order.Count];
        for (var i = 0; i < order.Count; i++) rank[order[i]] = i;
        return summary with
        {
            Nodes = summary.Nodes.OrderBy(n => rank[network.IndexOf(n.Name)]).ToList(),
            Edges = summary.Edges.OrderBy(e => rank[network.IndexOf(e.Source)]).ThenBy(e => rank[network.IndexOf(e.Target)]).ToList(),
        };
    }

    public static int Print(Terminal terminal, string path, bool json)
    {
        var document = NirReader.ReadDocument(path);
        var summary = InExecutionOrder(NirSummary.Describe(document.Network, document.Version ?? ""), document.Network);
        var metadata = document.Network.Metadata;
        var origin = NirProvenance.Semantics(metadata);
        var semantics = NirProvenance.Resolve(metadata, null, null);
        if (json)
        {
            var defaults = new
            {
                semantics = Discretisation.Name(semantics.Semantics),
                reset_mechanism = Discretisation.Name(semantics.Reset),
                from = origin is { } o ? $"metadata '{o.Key}'" : "default",
            };
            terminal.Out.WriteLine(JsonSerializer.Serialize(new { file = path, summary, metadata, default_semantics = defaults }, JsonOptions));
            return ExitCodes.Ok;
        }
        var nodes = new Table().Border(TableBorder.Rounded)
            .AddColumn("node").AddColumn("type").AddColumn("input").AddColumn("output")
            .AddColumn(new TableColumn("params").RightAligned()).AddColumn(new TableColumn("synapses").RightAligned())
            .AddColumn(new TableColumn("neurons").RightAligned());
        nodes.Title = new TableTitle(Markup.Escape($"{Path.GetFileName(path)} (NIR {summary.Version})"));
        foreach (var n in summary.Nodes)
            nodes.AddRow(Markup.Escape(n.Name), n.Type, Shape.Format(n.InputShape), Shape.Format(n.OutputShape),
                n.ParameterCount.ToString(), n.SynapseCount.ToString(), n.NeuronCount.ToString());
        nodes.AddEmptyRow();
        nodes.AddRow("[bold]total[/]", $"{summary.NodeCount} nodes", "", "", summary.ParameterCount.ToString(),
            summary.SynapseCount.ToString(), summary.NeuronCount.ToString());
        terminal.Console.Write(nodes);
        terminal.Console.WriteLine("edges: " + string.Join(", ", summary.Edges.Select(e => $"{e.Source} -> {e.Target}")));
        if (metadata.Count > 0)
            terminal.Console.WriteLine("metadata: " + string.Join(", ", metadata.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} = {p.Value}")));
        terminal.Console.WriteLine($"run semantics by default: {semantics} " +
            (origin is { } from ? $"(metadata '{from.Key}')" : "(the file names no framework; --semantics snntorch|norse to follow one)"));
        return ExitCodes.Ok;
    }
}
