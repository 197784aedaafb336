using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Neuromorphic.Traces;

namespace Neuromorphic.Hw.Costs;

/// <summary>
/// The cost table as CSV: <c>component,action,energy_pJ,latency_ns,area_um2,leakage_uW,source</c>,
/// invariant culture, one row per action plus one <c>instance</c> row per component class
/// (area and leakage). Empty cells are absent figures.
/// </summary>
public static class CostTableCsv
{
    /// <summary>The header, in order.</summary>
    public static IReadOnlyList<string> Header { get; } = ["component", "action", "energy_pJ", "latency_ns", "area_um2", "leakage_uW", "source"];

    /// <summary>Reads the rows of a CSV cost table (not yet validated against a model: see <see cref="CostTable.WithOverrides"/>).</summary>
    /// <exception cref="InputFormatException">Naming the file and line of a malformed row.</exception>
    public static IReadOnlyList<CostTableRow> Read(string path)
    {
        using var reader = new StreamReader(path);
        return Read(reader, path);
    }

    /// <summary>Reads rows from a text reader; <paramref name="file"/> names it in errors.</summary>
    public static IReadOnlyList<CostTableRow> Read(TextReader text, string file)
    {
        try
        {
            return ReadRows(text, file);
        }
        catch (CsvHelperException ex)
        {
            // CsvHelper's own message runs to several lines of parser state: say where, in one line.
            var row = ex.Context?.Parser?.RawRow ?? 0;
            throw new InputFormatException(file, row > 0 ? $"line {row}" : "", $"malformed CSV: {ex.GetType().Name.Replace("Exception", "", StringComparison.Ordinal)}", ex);
        }
    }

    private static IReadOnlyList<CostTableRow> ReadRows(TextReader text, string file)
    {
        var config = new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim, BadDataFound = null, MissingFieldFound = null };
        using var csv = new CsvReader(text, config);
        if (!csv.Read() || !csv.ReadHeader()) throw new InputFormatException(file, "line 1", "empty cost table: expected the header " + string.Join(",", Header));
        var missing = Header.Where(h => !csv.HeaderRecord!.Contains(h, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0) throw new InputFormatException(file, "line 1", $"missing column(s) {string.Join(", ", missing)}; expected {string.Join(",", Header)}");
        var rows = new List<CostTableRow>();
        while (csv.Read())
        {
            var line = $"line {csv.Parser.RawRow}";
            if (csv.Parser.Count != csv.HeaderRecord!.Length)
                throw new InputFormatException(file, line, $"{csv.Parser.Count} fields, expected {csv.HeaderRecord.Length} ({string.Join(",", csv.HeaderRecord)})");
            double? Number(string column)
            {
                var cell = csv.GetField(column);
                if (string.IsNullOrWhiteSpace(cell)) return null;
                if (!double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                    throw new InputFormatException(file, line, $"{column} '{cell}' is not a number");
                // Negative figures are left to the table's own check, which names them as such.
                if (v > CostTableRow.MaxFigure)
                    throw new InputFormatException(file, line, $"{column} {v.ToString(CultureInfo.InvariantCulture)} is out of range [0, {CostTableRow.MaxFigure.ToString(CultureInfo.InvariantCulture)}]");
                return v;
            }
            rows.Add(new CostTableRow(csv.GetField("component") ?? "", csv.GetField("action") ?? "",
                Number("energy_pJ"), Number("latency_ns"), Number("area_um2"), Number("leakage_uW"), csv.GetField("source"), file, line));
        }
        return rows;
    }

    /// <summary>Writes the table atomically.</summary>
    public static void Write(string path, CostTable table) => AtomicFile.WriteText(path, w => Write(w, table));

    /// <summary>Writes the table to a text writer.</summary>
    public static void Write(TextWriter text, CostTable table)
    {
        using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" }, leaveOpen: true);
        foreach (var h in Header) csv.WriteField(h);
        csv.NextRecord();
        foreach (var row in table.Rows())
        {
            csv.WriteField(row.Component);
            csv.WriteField(row.Action);
            foreach (var v in new[] { row.EnergyPj, row.LatencyNs, row.AreaUm2, row.LeakageUw })
                csv.WriteField(v?.ToString("R", CultureInfo.InvariantCulture) ?? "");
            csv.WriteField(row.Source);
            csv.NextRecord();
        }
    }
}
