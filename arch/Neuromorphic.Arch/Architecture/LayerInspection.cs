using System.Text.Json.Serialization;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Subarray;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Arch.Architecture;

/// <summary>
/// An architecture's subarray and whole-layer figures on a <see cref="LayerWorkload"/>, in the rows and
/// units of NeuroSim V1.4's reports (issue 14): what <c>neuromorphic inspect PRESET --workload ...</c> prints.
/// </summary>
public sealed record LayerInspection
{
    /// <summary>Architecture name.</summary>
    [JsonPropertyName("architecture")] public string Architecture { get; init; } = "";
    /// <summary>The workload as given.</summary>
    [JsonPropertyName("workload")] public string Workload { get; init; } = "";
    /// <summary>Subarrays the layer takes.</summary>
    [JsonPropertyName("subarrays")] public int Subarrays { get; init; }
    /// <summary>Cells per weight.</summary>
    [JsonPropertyName("cells_per_weight")] public int CellsPerWeight { get; init; }
    /// <summary>Read timing.</summary>
    [JsonPropertyName("read_timing")] public string ReadTiming { get; init; } = "";
    /// <summary>Clock period of NeuroSim's synchronous read, ns.</summary>
    [JsonPropertyName("clock_period_ns")] public double ClockPeriodNs { get; init; }
    /// <summary>One subarray read (the layer's reads averaged over its subarrays) at the workload's, zero and all inputs active.</summary>
    [JsonPropertyName("subarray_reads")] public IReadOnlyList<SubarrayRow> SubarrayReads { get; init; } = [];
    /// <summary>Used area of one subarray, um^2.</summary>
    [JsonPropertyName("subarray_area")] public SubarrayAreaRow SubarrayArea { get; init; } = new();
    /// <summary>The whole layer at the workload's inputs.</summary>
    [JsonPropertyName("layer")] public LayerRow Layer { get; init; } = new();

    /// <summary>Measures <paramref name="spec"/> on <paramref name="workload"/>.</summary>
    public static LayerInspection Measure(ArchitectureSpec spec, LayerWorkload workload, string workloadText)
    {
        var chip = new ChipModel(spec);
        var m = spec.Macro;
        var probe = CrossbarArray.Program(new float[1], 1, 1, m.Crossbar, chip.Device, new DeterministicRandom(0));
        var model = new SubarrayModel(ParametersOf(spec, probe.ColumnsPerLogical));
        var rng = DeterministicRandom.ForComponent(workload.Seed, "layer.weights");
        var weights = workload.DrawWeights(m.Crossbar.SignedWeights, m.Crossbar.WeightBits, rng);
        var layer = new LayerOnSubarrays(model, m.Crossbar, chip.Device, weights, workload.Inputs, workload.Outputs, rng);
        var floorplan = spec.Floorplan;
        if (floorplan.Tiles * floorplan.SubarraysPerTile < layer.Subarrays)
            floorplan = floorplan with { Tiles = (layer.Subarrays + floorplan.SubarraysPerTile - 1) / floorplan.SubarraysPerTile };
        var whole = new WholeLayerModel(layer, floorplan);

        var order = ActiveOrder(workload);
        SubarrayRow Row(int active)
        {
            var vector = new bool[workload.Inputs];
            for (var i = 0; i < active; i++) vector[order[i]] = true;
            var r = layer.Read(vector);
            double n = layer.Subarrays;
            return new SubarrayRow
            {
                ActiveInputs = active, TotalPj = r.TotalPj / n, AdcPj = r.AdcPj / n, WordLinesAndSwitchMatrixPj = r.WordLinesAndSwitchMatrixPj / n,
                WordLineArrayPj = r.WordLinePj / n, SwitchMatrixPj = r.SwitchMatrixPj / n, MuxPj = r.MuxPj / n,
                AccumulationPj = r.AccumulationPj / n, LatencyNs = r.LatencyNs,
            };
        }
        var rows = new List<SubarrayRow> { Row(workload.ActiveInputs) };
        if (workload.ActiveInputs != 0) rows.Add(Row(0));
        if (workload.ActiveInputs != workload.Inputs) rows.Add(Row(workload.Inputs));

        var probeVector = new bool[workload.Inputs];
        for (var i = 0; i < workload.ActiveInputs; i++) probeVector[order[i]] = true;
        var cost = whole.Estimate(probeVector);
        var a = model.Area();
        return new LayerInspection
        {
            Architecture = spec.Name,
            Workload = workloadText,
            Subarrays = layer.Subarrays,
            CellsPerWeight = layer.CellsPerWeight,
            ReadTiming = m.Timing == Hw.Subarray.ReadTiming.NeuroSimSynchronous ? "neurosim_synchronous" : "pipelined",
            ClockPeriodNs = model.ClockPeriodNs,
            SubarrayReads = rows,
            SubarrayArea = new SubarrayAreaRow
            {
                TotalUm2 = a.TotalUm2, AdcUm2 = a.AdcUm2, OtherPeripheryUm2 = a.OtherPeripheryUm2, AccumulationUm2 = a.AccumulationUm2,
                ArrayUm2 = a.ArrayUm2, BoundingBoxUm2 = a.BoxUm2,
            },
            Layer = new LayerRow
            {
                ReadEnergyPj = cost.TotalPj, AdcPj = cost.AdcRowPj, AccumulationPj = cost.Subarrays.AccumulationPj, OtherPj = cost.OtherRowPj,
                InterconnectPj = cost.InterconnectPj, BuffersPj = cost.BufferPj, LatencyNs = cost.LatencyNs, BufferLatencyNs = cost.BufferLatencyNs,
                InterconnectLatencyNs = cost.InterconnectLatencyNs, SubarrayLatencyNs = cost.SubarrayLatencyNs,
                ChipAreaMm2 = cost.Area.TotalMm2, InterconnectAreaMm2 = cost.Area.InterconnectMm2, AdcAreaMm2 = cost.Area.AdcMm2,
                AccumulationAreaMm2 = cost.Area.AccumulationMm2, OtherAreaMm2 = cost.Area.OtherPeripheryMm2 + cost.Area.BuffersMm2,
                ArrayAreaMm2 = cost.Area.ArraysMm2, EmptyAreaMm2 = cost.Area.EmptyMm2,
            },
        };
    }

    /// <summary>The subarray model's parameters for an architecture's macro.</summary>
    public static SubarrayParameters ParametersOf(ArchitectureSpec spec, int cellsPerWeight)
    {
        var m = spec.Macro;
        return new SubarrayParameters
        {
            Rows = m.Crossbar.Rows,
            Columns = m.Crossbar.Columns,
            ColumnsPerAdc = m.ColumnsPerAdc,
            AdcBits = m.Adc.Bits,
            TechnologyNm = spec.TechnologyNm,
            ReadVoltage = m.Device.ReadVoltage,
            RonOhm = m.Device.RonOhm,
            OnOffRatio = m.Device.OnOffRatio,
            AccessResistanceOhm = m.AccessResistanceOhm,
            CellsPerWeight = cellsPerWeight,
            Timing = m.Timing,
            SkipEmptyReads = m.SkipEmptyRowGroups,
        };
    }

    private static int[] ActiveOrder(LayerWorkload w)
    {
        var rng = DeterministicRandom.ForComponent(w.Seed, "layer.inputs");
        var order = Enumerable.Range(0, w.Inputs).ToArray();
        for (var i = order.Length - 1; i > 0; i--)
        {
            var j = (int)(rng.NextDouble() * (i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}

/// <summary>One subarray read, NeuroSim's rows (pJ, ns).</summary>
public sealed record SubarrayRow
{
    /// <summary>Inputs active in the layer's vector.</summary>
    [JsonPropertyName("active_inputs")] public int ActiveInputs { get; init; }
    /// <summary>Total.</summary>
    [JsonPropertyName("total_pJ")] public double TotalPj { get; init; }
    /// <summary>SAR ADC (with the cells' current).</summary>
    [JsonPropertyName("adc_pJ")] public double AdcPj { get; init; }
    /// <summary>Word lines (array) and switch matrix.</summary>
    [JsonPropertyName("word_lines_switch_matrix_pJ")] public double WordLinesAndSwitchMatrixPj { get; init; }
    /// <summary>Of which the word lines (array).</summary>
    [JsonPropertyName("word_line_array_pJ")] public double WordLineArrayPj { get; init; }
    /// <summary>Of which the switch matrix.</summary>
    [JsonPropertyName("switch_matrix_pJ")] public double SwitchMatrixPj { get; init; }
    /// <summary>Column mux and decoder.</summary>
    [JsonPropertyName("mux_pJ")] public double MuxPj { get; init; }
    /// <summary>Shift-add and adders.</summary>
    [JsonPropertyName("accumulation_pJ")] public double AccumulationPj { get; init; }
    /// <summary>Latency of the read.</summary>
    [JsonPropertyName("latency_ns")] public double LatencyNs { get; init; }
}

/// <summary>Used area of one subarray, um^2.</summary>
public sealed record SubarrayAreaRow
{
    /// <summary>Everything used.</summary>
    [JsonPropertyName("total_um2")] public double TotalUm2 { get; init; }
    /// <summary>ADCs.</summary>
    [JsonPropertyName("adc_um2")] public double AdcUm2 { get; init; }
    /// <summary>Other periphery (switch matrix, level shifters, mux and decoder).</summary>
    [JsonPropertyName("other_periphery_um2")] public double OtherPeripheryUm2 { get; init; }
    /// <summary>Shift-add.</summary>
    [JsonPropertyName("accumulation_um2")] public double AccumulationUm2 { get; init; }
    /// <summary>NeuroSim's bounding box of the subarray and its periphery (what the floorplan places).</summary>
    [JsonPropertyName("bounding_box_um2")] public double BoundingBoxUm2 { get; init; }
    /// <summary>Cells.</summary>
    [JsonPropertyName("array_um2")] public double ArrayUm2 { get; init; }
}

/// <summary>The whole layer, NeuroSim's chip-report rows.</summary>
public sealed record LayerRow
{
    /// <summary>Read energy.</summary>
    [JsonPropertyName("read_energy_pJ")] public double ReadEnergyPj { get; init; }
    /// <summary>ADC row (ADCs and the word-line energy NeuroSim files with them).</summary>
    [JsonPropertyName("adc_pJ")] public double AdcPj { get; init; }
    /// <summary>Accumulation.</summary>
    [JsonPropertyName("accumulation_pJ")] public double AccumulationPj { get; init; }
    /// <summary>Other: switch matrix, mux, interconnect, buffers.</summary>
    [JsonPropertyName("other_pJ")] public double OtherPj { get; init; }
    /// <summary>Of which the H-tree.</summary>
    [JsonPropertyName("interconnect_pJ")] public double InterconnectPj { get; init; }
    /// <summary>Of which the buffers.</summary>
    [JsonPropertyName("buffers_pJ")] public double BuffersPj { get; init; }
    /// <summary>Latency.</summary>
    [JsonPropertyName("latency_ns")] public double LatencyNs { get; init; }
    /// <summary>Of which the subarray read.</summary>
    [JsonPropertyName("subarray_latency_ns")] public double SubarrayLatencyNs { get; init; }
    /// <summary>Of which the buffers.</summary>
    [JsonPropertyName("buffer_latency_ns")] public double BufferLatencyNs { get; init; }
    /// <summary>Of which the interconnect.</summary>
    [JsonPropertyName("interconnect_latency_ns")] public double InterconnectLatencyNs { get; init; }
    /// <summary>Chip area.</summary>
    [JsonPropertyName("chip_area_mm2")] public double ChipAreaMm2 { get; init; }
    /// <summary>Of which the interconnect.</summary>
    [JsonPropertyName("interconnect_area_mm2")] public double InterconnectAreaMm2 { get; init; }
    /// <summary>Of which the ADCs.</summary>
    [JsonPropertyName("adc_area_mm2")] public double AdcAreaMm2 { get; init; }
    /// <summary>Of which accumulation.</summary>
    [JsonPropertyName("accumulation_area_mm2")] public double AccumulationAreaMm2 { get; init; }
    /// <summary>Of which other periphery and buffers.</summary>
    [JsonPropertyName("other_area_mm2")] public double OtherAreaMm2 { get; init; }
    /// <summary>Of which the cells.</summary>
    [JsonPropertyName("array_area_mm2")] public double ArrayAreaMm2 { get; init; }
    /// <summary>Of which empty space inside the subarray, PE, tile and chip bounding boxes.</summary>
    [JsonPropertyName("empty_area_mm2")] public double EmptyAreaMm2 { get; init; }
}
