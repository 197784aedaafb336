using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using CsvHelper.Configuration;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Reports.Plots;

/// <summary>One line of <c>energy_breakdown.csv</c>.</summary>
/// <param name="Layer">The layer (empty for chip-wide lines such as leakage).</param>
/// <param name="Unit">The hardware unit.</param>
/// <param name="Component">The component priced.</param>
/// <param name="Action">The action counted.</param>
/// <param name="Count">How many times the action happened.</param>
/// <param name="EnergyPerActionPj">Energy of one action, pJ.</param>
/// <param name="DynamicPj">Dynamic energy of the line, pJ.</param>
/// <param name="LeakagePj">Leakage energy of the line, pJ.</param>
public sealed record EnergyRecord(string Layer, string Unit, string Component, string Action, double Count,
    double EnergyPerActionPj, double DynamicPj, double LeakagePj)
{
    /// <summary>Dynamic plus leakage energy, pJ.</summary>
    public double TotalPj => DynamicPj + LeakagePj;
}

/// <summary>One line of <c>cost_table.csv</c>; empty cells are null.</summary>
/// <param name="Component">The component.</param>
/// <param name="Action">The action (or <c>leakage</c>, <c>area</c>).</param>
/// <param name="EnergyPj">Energy per action, pJ.</param>
/// <param name="LatencyNs">Latency per action, ns.</param>
/// <param name="AreaUm2">Area, µm².</param>
/// <param name="LeakageUw">Leakage power, µW.</param>
/// <param name="Source">Where the figure comes from.</param>
public sealed record CostRecord(string Component, string Action, double? EnergyPj, double? LatencyNs, double? AreaUm2,
    double? LeakageUw, string Source);

/// <summary>One line of <c>latency_breakdown.csv</c>.</summary>
/// <param name="Timestep">The timestep.</param>
/// <param name="LatencyCycles">Latency of the timestep, base-clock cycles.</param>
/// <param name="LatencyNs">Latency of the timestep, ns.</param>
public sealed record LatencyRecord(int Timestep, double LatencyCycles, double LatencyNs);

/// <summary>One line of <c>sparsity.csv</c>.</summary>
/// <param name="Layer">The layer (population).</param>
/// <param name="Timestep">The timestep.</param>
/// <param name="Activity">Share of neurons that spiked.</param>
/// <param name="Sparsity">Share of neurons that stayed silent (1 - activity).</param>
public sealed record SparsityRecord(string Layer, int Timestep, double Activity, double Sparsity);

/// <summary>One line of <c>layers.csv</c> (transformer runs); columns absent from the file are null.</summary>
/// <param name="Layer">The layer.</param>
/// <param name="Kind">Its kind (Conv, Lif, ...).</param>
/// <param name="Target">Where it runs (rram, digital, neuron, ...).</param>
/// <param name="InputSparsity">Share of silent inputs.</param>
/// <param name="EnergyPj">Energy of the layer, pJ.</param>
/// <param name="LatencyCycles">Latency of the layer, base-clock cycles.</param>
public sealed record LayerRecord(string Layer, string Kind, string Target, double? InputSparsity, double? EnergyPj, double? LatencyCycles);

/// <summary>A <c>spikes_&lt;population&gt;.csv</c> raster: rows are timesteps, columns neurons.</summary>
/// <param name="Population">The population, from the file name.</param>
/// <param name="FileName">The file name (without folder).</param>
/// <param name="Raster">The spikes; non-zero cells are spikes.</param>
public sealed record SpikePopulation(string Population, string FileName, SpikeRaster Raster)
{
    /// <summary>The number of spikes (non-zero cells).</summary>
    public int Spikes => Raster.CountNonZero();
}

/// <summary>
/// The files of a run directory (DESIGN.md section 4), read back for reports and plots: the report
/// writer is fed only by these files, never by live simulation objects. <c>summary.json</c>,
/// <c>energy_breakdown.csv</c> and <c>cost_table.csv</c> are required; <c>latency_breakdown.csv</c>,
/// <c>sparsity.csv</c>, <c>layers.csv</c> and <c>spikes_*.csv</c> are read when present.
/// </summary>
public sealed class RunFiles
{
    /// <summary>The required summary file.</summary>
    public const string SummaryFile = "summary.json";
    /// <summary>The required energy ledger.</summary>
    public const string EnergyFile = "energy_breakdown.csv";
    /// <summary>The required cost table.</summary>
    public const string CostFile = "cost_table.csv";
    /// <summary>The optional per-timestep latency.</summary>
    public const string LatencyFile = "latency_breakdown.csv";
    /// <summary>The optional per-layer, per-timestep sparsity.</summary>
    public const string SparsityFile = "sparsity.csv";
    /// <summary>The optional per-layer table of transformer runs.</summary>
    public const string LayersFile = "layers.csv";

    private RunFiles(string directory) => Directory = directory;

    /// <summary>The run directory.</summary>
    public string Directory { get; }

    /// <summary>The top-level entries of <c>summary.json</c>, in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, JsonNode?>> Summary { get; private set; } = [];

    /// <summary>The lines of <c>energy_breakdown.csv</c>, in file order.</summary>
    public IReadOnlyList<EnergyRecord> Energy { get; private set; } = [];

    /// <summary>The rows of <c>cost_table.csv</c>, in file order.</summary>
    public IReadOnlyList<CostRecord> Costs { get; private set; } = [];

    /// <summary>The rows of <c>latency_breakdown.csv</c>, or null when the file is absent.</summary>
    public IReadOnlyList<LatencyRecord>? Latency { get; private set; }

    /// <summary>The rows of <c>sparsity.csv</c>, or null when the file is absent.</summary>
    public IReadOnlyList<SparsityRecord>? Sparsity { get; private set; }

    /// <summary>The rows of <c>layers.csv</c>, or null when the file is absent.</summary>
    public IReadOnlyList<LayerRecord>? Layers { get; private set; }

    /// <summary>The spike rasters (<c>spikes_*.csv</c>), ordered by file name; empty files are skipped.</summary>
    public IReadOnlyList<SpikePopulation> Spikes { get; private set; } = [];

    /// <summary>The names of the files read, in the order read.</summary>
    public IReadOnlyList<string> FilesRead { get; private set; } = [];

    /// <summary>A summary value as text (numbers in invariant culture), or null when absent or null.</summary>
    public string? Text(string key)
    {
        var node = Find(key);
        if (node is null) return null;
        if (node is JsonValue v && v.TryGetValue<string>(out var s)) return s;
        return node.ToJsonString();
    }

    /// <summary>A numeric summary value, or null when absent, null or not a number.</summary>
    public double? Number(string key) =>
        Find(key) is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<double>() : null;

    private JsonNode? Find(string key)
    {
        foreach (var (k, v) in Summary)
            if (k == key) return v;
        return null;
    }

    /// <summary>Reads a run directory.</summary>
    /// <param name="directory">The run directory.</param>
    /// <exception cref="FileNotFoundException">The directory or a required file is missing (the message names it).</exception>
    /// <exception cref="InputFormatException">A file is malformed (names the file and line).</exception>
    public static RunFiles Load(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!System.IO.Directory.Exists(directory))
            throw new FileNotFoundException($"{directory}: no such run directory", directory);
        var run = new RunFiles(directory);
        var read = new List<string>();
        string Required(string name)
        {
            var path = Path.Combine(directory, name);
            // A software-only run (the built-in example, a NIR graph without --arch) writes summary.json and outputs.csv, no energy.
            if (!File.Exists(path) && name == EnergyFile && File.Exists(Path.Combine(directory, SummaryFile)) && File.Exists(Path.Combine(directory, "outputs.csv")))
                throw new FileNotFoundException($"{path}: missing: a software-only run (run --example, or NET.nir without --arch) has no energy to report; run it on a chip with --arch ARCH", path);
            if (!File.Exists(path)) throw new FileNotFoundException($"{path}: missing (not a run directory? it needs {SummaryFile}, {EnergyFile} and {CostFile})", path);
            read.Add(name);
            return path;
        }
        string? Optional(string name)
        {
            var path = Path.Combine(directory, name);
            if (!File.Exists(path)) return null;
            read.Add(name);
            return path;
        }

        run.Summary = ReadSummary(Required(SummaryFile));
        run.Energy = ReadEnergy(Required(EnergyFile));
        run.Costs = ReadCosts(Required(CostFile));
        run.Latency = Optional(LatencyFile) is { } latency ? ReadLatency(latency) : null;
        run.Sparsity = Optional(SparsityFile) is { } sparsity ? ReadSparsity(sparsity) : null;
        run.Layers = Optional(LayersFile) is { } layers ? ReadLayers(layers) : null;

        var spikes = new List<SpikePopulation>();
        foreach (var path in System.IO.Directory.GetFiles(directory, "spikes_*.csv").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(path);
            var population = name["spikes_".Length..^".csv".Length];
            if (population.Length == 0) continue;
            read.Add(name);
            if (new FileInfo(path).Length == 0 || File.ReadAllText(path).Trim().Length == 0) continue;
            spikes.Add(new SpikePopulation(population, name, RasterCsv.Read(path)));
        }
        run.Spikes = spikes;
        run.FilesRead = read;
        return run;
    }

    private static List<KeyValuePair<string, JsonNode?>> ReadSummary(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException ex)
        {
            var problem = ex.Message;
            var cut = problem.IndexOf(" Path:", StringComparison.Ordinal);
            if (cut > 0) problem = problem[..cut];
            throw new InputFormatException(path, ex.LineNumber is { } line ? $"line {line + 1}" : "", "invalid JSON: " + problem, ex);
        }
        if (root is not JsonObject obj) throw new InputFormatException(path, "line 1", "expected a JSON object of summary values");
        return obj.Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value)).ToList();
    }

    private static List<EnergyRecord> ReadEnergy(string path)
    {
        var rows = new List<EnergyRecord>();
        foreach (var r in CsvRows.Read(path, ["layer", "unit", "component", "action", "count", "energy_per_action_pJ", "dynamic_pJ", "leakage_pJ"]))
            rows.Add(new EnergyRecord(r.Text("layer"), r.Text("unit"), r.Text("component"), r.Text("action"),
                r.Number("count"), r.Number("energy_per_action_pJ"), r.Number("dynamic_pJ"), r.Number("leakage_pJ")));
        return rows;
    }

    private static List<CostRecord> ReadCosts(string path)
    {
        var rows = new List<CostRecord>();
        foreach (var r in CsvRows.Read(path, ["component", "action", "energy_pJ", "latency_ns", "area_um2", "leakage_uW", "source"]))
            rows.Add(new CostRecord(r.Text("component"), r.Text("action"), r.OptionalNumber("energy_pJ"), r.OptionalNumber("latency_ns"),
                r.OptionalNumber("area_um2"), r.OptionalNumber("leakage_uW"), r.Text("source")));
        return rows;
    }

    private static List<LatencyRecord> ReadLatency(string path)
    {
        var rows = new List<LatencyRecord>();
        foreach (var r in CsvRows.Read(path, ["timestep", "latency_cycles", "latency_ns"]))
            rows.Add(new LatencyRecord(r.Integer("timestep"), r.Number("latency_cycles"), r.Number("latency_ns")));
        return rows;
    }

    private static List<SparsityRecord> ReadSparsity(string path)
    {
        var rows = new List<SparsityRecord>();
        foreach (var r in CsvRows.Read(path, ["layer", "timestep", "activity", "sparsity"]))
            rows.Add(new SparsityRecord(r.Text("layer"), r.Integer("timestep"), r.Number("activity"), r.Number("sparsity")));
        return rows;
    }

    private static List<LayerRecord> ReadLayers(string path)
    {
        var rows = new List<LayerRecord>();
        foreach (var r in CsvRows.Read(path, ["layer"]))
            rows.Add(new LayerRecord(r.Text("layer"), r.TextOrEmpty("kind"), r.TextOrEmpty("target"),
                r.Has("input_sparsity") ? r.OptionalNumber("input_sparsity") : null,
                r.Has("energy_pJ") ? r.OptionalNumber("energy_pJ") : null,
                r.Has("latency_cycles") ? r.OptionalNumber("latency_cycles") : null));
        return rows;
    }

    /// <summary>A CSV file with a header, read with line numbers for error messages.</summary>
    private sealed class CsvRows
    {
        private readonly string _file;
        private readonly Dictionary<string, int> _columns;
        private readonly string[] _cells;
        private readonly string _line;

        private CsvRows(string file, Dictionary<string, int> columns, string[] cells, long line)
        {
            _file = file;
            _columns = columns;
            _cells = cells;
            _line = $"line {line}";
        }

        public static IEnumerable<CsvRows> Read(string path, IReadOnlyList<string> required)
        {
            var config = new CsvConfiguration(CultureInfo.InvariantCulture)
            {
                BadDataFound = args => throw new InputFormatException(path, $"line {args.Context.Parser?.RawRow}", "malformed quoting in a CSV cell"),
            };
            var rows = new List<CsvRows>();
            using var reader = new StreamReader(path);
            using var parser = new CsvParser(reader, config);
            if (!parser.Read()) throw new InputFormatException(path, "line 1", "empty file: expected the header " + string.Join(",", required));
            var header = parser.Record ?? [];
            var columns = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++) columns.TryAdd(header[i].Trim(), i);
            var missing = required.Where(c => !columns.ContainsKey(c)).ToList();
            if (missing.Count > 0)
                throw new InputFormatException(path, "line 1", $"missing column(s) {string.Join(", ", missing)}; expected {string.Join(",", required)}");
            while (parser.Read())
            {
                var cells = parser.Record ?? [];
                if (cells.Length != header.Length)
                    throw new InputFormatException(path, $"line {parser.RawRow}", $"row has {cells.Length} cells, expected {header.Length} as in the header");
                rows.Add(new CsvRows(path, columns, cells, parser.RawRow));
            }
            return rows;
        }

        public bool Has(string column) => _columns.ContainsKey(column);

        public string Text(string column) => _cells[_columns[column]];

        public string TextOrEmpty(string column) => Has(column) ? Text(column) : "";

        public double Number(string column) => OptionalNumber(column)
            ?? throw new InputFormatException(_file, _line, $"{column} is empty, expected a number");

        public double? OptionalNumber(string column)
        {
            var cell = Text(column).Trim();
            if (cell.Length == 0) return null;
            if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
                throw new InputFormatException(_file, _line, $"{column} '{Clip(cell)}' is not a finite number");
            return value;
        }

        public int Integer(string column)
        {
            var cell = Text(column).Trim();
            return int.TryParse(cell, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value
                : throw new InputFormatException(_file, _line, $"{column} '{Clip(cell)}' is not a non-negative integer");
        }

        private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "...";
    }
}
