using Neuromorphic.Arch.Architecture;
using System.Text.Json.Serialization;
using Neuromorphic.Sim.Networks;

namespace Neuromorphic.Arch.Mapping;

/// <summary>One node of a printed mapping.</summary>
/// <param name="Node">Name.</param>
/// <param name="Type">NIR type (or the neuron model).</param>
/// <param name="On">rram, neuron_core or wiring.</param>
/// <param name="Macros">Macros it occupies.</param>
/// <param name="RowBlocks">Row blocks of its matrix.</param>
/// <param name="ColumnBlocks">Column blocks of its matrix.</param>
/// <param name="Utilisation">Share of its macros' cells holding its weights.</param>
/// <param name="Tiles">Tiles its work runs on.</param>
/// <param name="Neurons">Neurons (populations).</param>
/// <param name="MacrosDense">Compacted word lines: the macros the dense mapping would take for this node (null otherwise).</param>
/// <param name="NonZeros">Sparse projections: the weights its macros hold (null for dense matrices and convolutions).</param>
/// <param name="RowTableEntries">Compacted word lines: the row-address table entries of its sources (null otherwise).</param>
/// <param name="Weights">
/// Crossbars: how its weights sit in the cells (<see cref="MappedMatrix.Storage"/>: <c>single_cells</c> for a one-signed layer, the
/// architecture's signed scheme otherwise, <c>programmed_*</c> for cells programmed in place; several matrices' joined by '+'); null otherwise.
/// </param>
public sealed record ChipNodeDescription(
    [property: JsonPropertyName("node")] string Node,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("on")] string On,
    [property: JsonPropertyName("macros")] int Macros,
    [property: JsonPropertyName("row_blocks")] int RowBlocks,
    [property: JsonPropertyName("column_blocks")] int ColumnBlocks,
    [property: JsonPropertyName("utilisation")] double Utilisation,
    [property: JsonPropertyName("tiles")] IReadOnlyList<int> Tiles,
    [property: JsonPropertyName("neurons")] int Neurons,
    [property: JsonPropertyName("macros_dense"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MacrosDense = null,
    [property: JsonPropertyName("nonzeros"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? NonZeros = null,
    [property: JsonPropertyName("row_table_entries"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? RowTableEntries = null,
    [property: JsonPropertyName("weights"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Weights = null);

/// <summary>One route of a printed mapping.</summary>
/// <param name="From">Source node.</param>
/// <param name="To">Target node.</param>
/// <param name="FromTiles">Tiles the traffic leaves.</param>
/// <param name="ToTiles">Tiles it reaches.</param>
/// <param name="Recurrent">Carries the previous timestep.</param>
public sealed record ChipRouteDescription(
    [property: JsonPropertyName("from")] string From,
    [property: JsonPropertyName("to")] string To,
    [property: JsonPropertyName("from_tiles")] IReadOnlyList<int> FromTiles,
    [property: JsonPropertyName("to_tiles")] IReadOnlyList<int> ToTiles,
    [property: JsonPropertyName("recurrent")] bool Recurrent);

/// <summary>A chip program as plain data (what <c>inspect NET --arch</c> prints).</summary>
/// <param name="Architecture">Architecture name.</param>
/// <param name="MacrosUsed">Macros holding weights.</param>
/// <param name="MacrosAvailable">Macros on the chip.</param>
/// <param name="TilesUsed">Tiles in use.</param>
/// <param name="TilesAvailable">Tiles on the chip.</param>
/// <param name="NeuronsPerCore">Capacity of one neuron core.</param>
/// <param name="NeuronsPerTile">Neurons placed on each tile's core.</param>
/// <param name="Placement">Placement policy.</param>
/// <param name="Execution">Barrier or pipelined.</param>
/// <param name="Nodes">Nodes in evaluation order.</param>
/// <param name="Routes">Routes in edge order.</param>
/// <param name="WordLines">Word-line mapping of sparse projections: dense or compacted.</param>
/// <param name="MacrosDense">Compacted word lines: the macros the dense mapping would take (null otherwise).</param>
/// <param name="RowTableEntriesMax">Compacted word lines: entries of the fullest tile's row-address table (null otherwise).</param>
/// <param name="RowTableEntriesAvailable">Compacted word lines: entries each tile's table holds (null otherwise).</param>
/// <param name="MacroOrder">The order a projection's blocks took consecutive macros: row_block_major or column_block_major.</param>
/// <param name="OneSignedLayers">How layers whose weights share one sign are stored (<c>mapping.one_signed_layers</c>): single_cells or signed_scheme.</param>
public sealed record ChipProgramDescription(
    [property: JsonPropertyName("architecture")] string Architecture,
    [property: JsonPropertyName("macros_used")] int MacrosUsed,
    [property: JsonPropertyName("macros_available")] int MacrosAvailable,
    [property: JsonPropertyName("tiles_used")] int TilesUsed,
    [property: JsonPropertyName("tiles_available")] int TilesAvailable,
    [property: JsonPropertyName("neurons_per_core")] int NeuronsPerCore,
    [property: JsonPropertyName("neurons_per_tile")] IReadOnlyList<int> NeuronsPerTile,
    [property: JsonPropertyName("placement")] string Placement,
    [property: JsonPropertyName("execution")] string Execution,
    [property: JsonPropertyName("nodes")] IReadOnlyList<ChipNodeDescription> Nodes,
    [property: JsonPropertyName("routes")] IReadOnlyList<ChipRouteDescription> Routes,
    [property: JsonPropertyName("word_lines")] string WordLines = "dense",
    [property: JsonPropertyName("macros_dense"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? MacrosDense = null,
    [property: JsonPropertyName("row_table_entries_max"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RowTableEntriesMax = null,
    [property: JsonPropertyName("row_table_entries_available"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? RowTableEntriesAvailable = null,
    [property: JsonPropertyName("macro_order")] string MacroOrder = "row_block_major",
    [property: JsonPropertyName("one_signed_layers")] string OneSignedLayers = "single_cells")
{
    /// <summary>Describes <paramref name="program"/>.</summary>
    public static ChipProgramDescription Describe(ChipProgram program)
    {
        var spec = program.Chip.Spec;
        var compacted = spec.Mapping.WordLines == WordLineMapping.Compacted;
        // What the option changed: the same network's macros under the dense mapping.
        var dense = compacted ? new ChipModel(spec with { Mapping = spec.Mapping with { WordLines = WordLineMapping.Dense } }) : null;
        var nodes = program.Plan.Order.Select(i => program.Nodes[i]).Select(n => new ChipNodeDescription(
            n.Name, n.Node is NeuronNode nn ? nn.Model.Kind : n.Node.NirType,
            n.Kind switch { ChipNodeKind.Crossbar => "rram", ChipNodeKind.Population or ChipNodeKind.Digital => "neuron_core", ChipNodeKind.Input => "input_port", _ => "wiring" },
            n.Macros, n.RowBlocks, n.ColumnBlocks,
            n.Macros == 0 ? 0 : n.Matrices.Sum(m => m.Matrix.Utilisation * m.Matrix.Tiles.Count) / n.Macros,
            n.Tiles, n.Kind == ChipNodeKind.Population ? n.OutputTile.Length : 0,
            dense is not null && n.Node is SparseNode ? NetworkMapper.MacrosOf(n.Node, dense) : null,
            n.Node is SparseNode && n.Matrices.All(m => m.Matrix.NonZeros >= 0) ? n.Matrices.Sum(m => m.Matrix.NonZeros) : null,
            n.Matrices.Count > 0 && n.Matrices[0].Matrix.Routes is not null ? n.Matrices.Sum(m => (long)m.Matrix.Routes!.Entries) : null,
            n.Kind == ChipNodeKind.Crossbar ? string.Join("+", n.Matrices.Select(m => m.Matrix.Storage).Distinct()) : null)).ToList();
        var rank = new int[program.Nodes.Count];
        for (var k = 0; k < program.Plan.Order.Count; k++) rank[program.Plan.Order[k]] = k;
        var routes = program.Routes.OrderBy(r => rank[program.Network.IndexOf(r.From)]).ThenBy(r => rank[program.Network.IndexOf(r.To)]).Select(r => new ChipRouteDescription(r.From, r.To, r.FromTiles, r.ToTiles, r.Recurrent)).ToList();
        return new ChipProgramDescription(spec.Name, program.MacrosUsed, spec.Chip.Macros, program.TilesUsed, spec.Chip.Tiles,
            spec.Chip.NeuronsPerCore, program.NeuronsPerTile(), ArchitectureChoices.NeuronPlacement.Name(spec.Chip.NeuronPlacement),
            spec.Chip.Execution.ToString().ToLowerInvariant(), nodes, routes, compacted ? "compacted" : "dense",
            dense is null ? null : program.Nodes.Sum(n => n.Node is SparseNode ? NetworkMapper.MacrosOf(n.Node, dense) : n.Macros),
            compacted ? program.RowTableEntriesMax : null, compacted ? spec.Mapping.RowTableEntries : null, spec.Mapping.MacroOrderName,
            spec.Mapping.OneSignedLayersName);
    }
}
