using System.Globalization;
using System.Text.Json;
using Neuromorphic.Arch.Architecture;
using Spectre.Console;

namespace Neuromorphic.Cli.Commands;

/// <summary><c>inspect ARCH --workload layer:...</c>: one subarray read and the whole layer, in NeuroSim V1.4's rows and units.</summary>
internal static class LayerWorkloadInspection
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static int Print(Terminal terminal, string architecture, string workloadText, bool json)
    {
        LayerWorkload workload;
        try { workload = LayerWorkload.Parse(workloadText); }
        catch (FormatException ex) { throw new UsageException($"--workload: {ex.Message}"); }
        var spec = ArchitectureLoader.Load(architecture);
        if (!(spec.TechnologyNm >= 22 && spec.TechnologyNm <= 130))
            throw new UsageException($"--workload needs a technology node in 22-130 nm (NeuroSim's table); {spec.Name} is at {spec.TechnologyNm} nm");
        var result = LayerInspection.Measure(spec, workload, workloadText);
        if (json)
        {
            terminal.Out.WriteLine(JsonSerializer.Serialize(result, JsonOptions));
            return ExitCodes.Ok;
        }
        string F(double x) => x.ToString(x >= 100 ? "F1" : "F2", CultureInfo.InvariantCulture);
        terminal.Console.MarkupLine($"[bold]{Markup.Escape(spec.Name)}[/] on {Markup.Escape(workloadText)}: {result.Subarrays} subarrays, " +
            $"{result.CellsPerWeight} cells per weight, {result.ReadTiming} read, clock {F(result.ClockPeriodNs)} ns");
        var sub = new Table().Border(TableBorder.Rounded).AddColumn("one subarray read");
        foreach (var r in result.SubarrayReads) sub.AddColumn(new TableColumn($"{r.ActiveInputs} inputs active").RightAligned());
        void Row(string name, Func<SubarrayRow, string> cell) => sub.AddRow([name, .. result.SubarrayReads.Select(cell)]);
        Row("total", r => $"{F(r.TotalPj)} pJ");
        Row("SAR ADC", r => $"{F(r.AdcPj)} pJ");
        Row("word lines / switch matrix", r => $"{F(r.WordLinesAndSwitchMatrixPj)} pJ ({F(r.WordLineArrayPj)} array + {F(r.SwitchMatrixPj)} switch matrix)");
        Row("column mux", r => $"{F(r.MuxPj)} pJ");
        Row("accumulation (shift-add, adders)", r => $"{F(r.AccumulationPj)} pJ");
        Row("latency", r => $"{F(r.LatencyNs)} ns");
        var a = result.SubarrayArea;
        Row("area", _ => $"{F(a.TotalUm2)} um^2 used (ADC {F(a.AdcUm2)}; other periphery {F(a.OtherPeripheryUm2)}; accumulation {F(a.AccumulationUm2)}; array {F(a.ArrayUm2)}); bounding box {F(a.BoundingBoxUm2)} um^2");
        terminal.Console.Write(sub);

        var l = result.Layer;
        var layer = new Table().Border(TableBorder.Rounded).AddColumn("the whole layer").AddColumn(new TableColumn("value").RightAligned());
        layer.AddRow("read energy", $"{F(l.ReadEnergyPj)} pJ: ADC {F(l.AdcPj)}, accumulation {F(l.AccumulationPj)}, other {F(l.OtherPj)} (interconnect {F(l.InterconnectPj)}, buffers {F(l.BuffersPj)})");
        layer.AddRow("latency", $"{F(l.LatencyNs)} ns ({F(l.BufferLatencyNs)} ns buffers, {F(l.InterconnectLatencyNs)} ns interconnect, {F(l.SubarrayLatencyNs)} ns subarrays)");
        layer.AddRow("chip area", $"{l.ChipAreaMm2.ToString("F3", CultureInfo.InvariantCulture)} mm^2 (IC {l.InterconnectAreaMm2.ToString("F3", CultureInfo.InvariantCulture)}, " +
            $"ADC {l.AdcAreaMm2.ToString("F3", CultureInfo.InvariantCulture)}, accumulation {l.AccumulationAreaMm2.ToString("F3", CultureInfo.InvariantCulture)}, " +
            $"other {l.OtherAreaMm2.ToString("F3", CultureInfo.InvariantCulture)}, arrays {l.ArrayAreaMm2.ToString("F3", CultureInfo.InvariantCulture)}, " +
            $"empty {l.EmptyAreaMm2.ToString("F3", CultureInfo.InvariantCulture)})");
        terminal.Console.Write(layer);
        return ExitCodes.Ok;
    }
}
