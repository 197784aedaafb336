using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Reports;

/// <summary>
/// <c>energy_breakdown.csv</c> (DESIGN.md section 4): layer, unit, component, action, count,
/// energy_per_action_pJ, dynamic_pJ, leakage_pJ; invariant culture, stable column names.
/// </summary>
public static class EnergyBreakdownCsv
{
    /// <summary>The header, in order.</summary>
    public static IReadOnlyList<string> Header { get; } =
        ["layer", "unit", "component", "action", "count", "energy_per_action_pJ", "dynamic_pJ", "leakage_pJ"];

    /// <summary>Writes the account's lines atomically.</summary>
    public static void Write(string path, EnergyAccount account) => AtomicFile.WriteText(path, text =>
    {
        using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" }, leaveOpen: true);
        foreach (var h in Header) csv.WriteField(h);
        csv.NextRecord();
        foreach (var l in account.Lines)
        {
            csv.WriteField(l.Layer);
            csv.WriteField(l.Unit);
            csv.WriteField(l.Component);
            csv.WriteField(l.Action);
            csv.WriteField(l.Count.ToString(CultureInfo.InvariantCulture));
            csv.WriteField(l.EnergyPerActionPj.ToString("R", CultureInfo.InvariantCulture));
            csv.WriteField(l.DynamicPj.ToString("R", CultureInfo.InvariantCulture));
            csv.WriteField(l.LeakagePj.ToString("R", CultureInfo.InvariantCulture));
            csv.NextRecord();
        }
    });

    /// <summary>Reads the file back (for tests and for tools that re-price a run).</summary>
    public static IReadOnlyList<EnergyLine> Read(string path)
    {
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture));
        var lines = new List<EnergyLine>();
        csv.Read();
        csv.ReadHeader();
        while (csv.Read())
        {
            double D(string name) => double.Parse(csv.GetField(name)!, CultureInfo.InvariantCulture);
            lines.Add(new EnergyLine(csv.GetField("layer")!, csv.GetField("unit")!, csv.GetField("component")!, csv.GetField("action")!,
                long.Parse(csv.GetField("count")!, CultureInfo.InvariantCulture), D("energy_per_action_pJ"), D("dynamic_pJ"), D("leakage_pJ")));
        }
        return lines;
    }
}
