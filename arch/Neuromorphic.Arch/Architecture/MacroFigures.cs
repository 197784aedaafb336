using System.Text.Json.Serialization;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Macro;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Kernel;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Arch.Architecture;

/// <summary>
/// The derived figures of one macro of an architecture, measured by running the macro model itself
/// (programmed with a seeded random matrix, driven by seeded random spike vectors) and pricing its
/// ledger with the cost table: what <c>neuromorphic inspect PRESET</c> prints. 1 MAC = 2 ops.
/// </summary>
public sealed record MacroFigures
{
    /// <summary>Bits stored by one macro.</summary>
    [JsonPropertyName("capacity_bits")] public long CapacityBits { get; init; }
    /// <summary>Weights (logical columns x rows) one macro holds.</summary>
    [JsonPropertyName("weights")] public long Weights { get; init; }
    /// <summary>Area of one macro with its periphery, um^2.</summary>
    [JsonPropertyName("area_um2")] public double AreaUm2 { get; init; }
    /// <summary>ADCs per macro.</summary>
    [JsonPropertyName("adcs")] public int Adcs { get; init; }
    /// <summary>Input density the figures are measured at.</summary>
    [JsonPropertyName("input_density")] public double InputDensity { get; init; }
    /// <summary>Energy of one row-group read (all columns converted) at the input density, pJ.</summary>
    [JsonPropertyName("energy_per_row_group_read_pJ")] public double EnergyPerRowGroupReadPj { get; init; }
    /// <summary>Latency of one row-group read, ns.</summary>
    [JsonPropertyName("latency_per_row_group_read_ns")] public double LatencyPerRowGroupReadNs { get; init; }
    /// <summary>Energy of one full matrix-vector product at the input density, pJ.</summary>
    [JsonPropertyName("energy_per_mvm_pJ")] public double EnergyPerMvmPj { get; init; }
    /// <summary>Latency of one full matrix-vector product at the input density, ns.</summary>
    [JsonPropertyName("latency_per_mvm_ns")] public double LatencyPerMvmNs { get; init; }
    /// <summary>Throughput with every row active and operations back to back, TOPS.</summary>
    [JsonPropertyName("peak_tops")] public double PeakTops { get; init; }
    /// <summary>Energy efficiency at the input density, TOPS/W (ops counted on the active inputs).</summary>
    [JsonPropertyName("tops_per_watt")] public double TopsPerWatt { get; init; }
    /// <summary>Energy efficiency with every row active, TOPS/W.</summary>
    [JsonPropertyName("peak_tops_per_watt")] public double PeakTopsPerWatt { get; init; }
    /// <summary>Energy per multiply-accumulate at the input density, fJ.</summary>
    [JsonPropertyName("energy_per_mac_fJ")] public double EnergyPerMacFj { get; init; }
    /// <summary>Energy per ADC conversion (logic and column load) at the input density, fJ.</summary>
    [JsonPropertyName("energy_per_conversion_fJ")] public double EnergyPerConversionFj { get; init; }
    /// <summary>Energy per synaptic event (input spike x non-zero weight) at the input density, fJ.</summary>
    [JsonPropertyName("energy_per_synaptic_event_fJ")] public double EnergyPerSynapticEventFj { get; init; }
    /// <summary>Share of the MVM energy spent in ADCs.</summary>
    [JsonPropertyName("adc_energy_share")] public double AdcEnergyShare { get; init; }

    /// <summary>Measures the figures of <paramref name="chip"/>'s macro at <paramref name="inputDensity"/>.</summary>
    public static MacroFigures Measure(ChipModel chip, double inputDensity, ulong seed = 1, int vectors = 64)
    {
        var spec = chip.Spec;
        var m = spec.Macro;
        var array = ProgramRandom(chip, seed);
        var rows = array.Rows;

        // A full MVM at the input density, averaged over random spike vectors.
        var mvm = Run(chip, array, seed, vectors, _ => RandomRows(rows, inputDensity, DeterministicRandom.ForComponent(seed, $"figures.input.{_}")));
        // One row group: the first group with its share of active rows.
        var groupRows = Math.Max(1, (int)Math.Round(m.ParallelRows * inputDensity));
        var group = Run(chip, array, seed, 1, _ => Enumerable.Range(0, groupRows).ToArray());
        // Peak: every row active, operations back to back.
        var all = Enumerable.Range(0, rows).ToArray();
        var peak = Run(chip, array, seed, 8, _ => all, backToBack: true);

        var area = AreaOf(chip);
        var macsPerFull = (double)rows * array.LogicalColumns;
        return new MacroFigures
        {
            CapacityBits = (long)m.Crossbar.Rows * m.Crossbar.Columns * m.Device.BitsPerCell,
            Weights = (long)rows * array.LogicalColumns,
            AreaUm2 = area,
            Adcs = chip.Mux.AdcsFor(m.Crossbar.Columns),
            InputDensity = inputDensity,
            EnergyPerRowGroupReadPj = group.EnergyPj,
            LatencyPerRowGroupReadNs = group.LatencyNs,
            EnergyPerMvmPj = mvm.EnergyPj,
            LatencyPerMvmNs = mvm.LatencyNs,
            PeakTops = 2 * macsPerFull / (peak.SpanNs * 1e-9) / 1e12,
            TopsPerWatt = 2 * mvm.Macs / (mvm.EnergyPj * 1e-12) / 1e12,
            PeakTopsPerWatt = 2 * peak.Macs / (peak.EnergyPj * 1e-12) / 1e12,
            EnergyPerMacFj = mvm.EnergyPj * 1e3 / mvm.Macs,
            EnergyPerConversionFj = mvm.ConversionEnergyPj * 1e3 / Math.Max(1, mvm.Conversions),
            EnergyPerSynapticEventFj = mvm.EnergyPj * 1e3 / Math.Max(1, mvm.SynapticEvents),
            AdcEnergyShare = mvm.ConversionEnergyPj / mvm.EnergyPj,
        };
    }

    /// <summary>Per-operation averages of a measurement.</summary>
    /// <remarks>SpanNs: the whole run's span divided by the operations (time per operation back to back).</remarks>
    private sealed record Measurement(double EnergyPj, double LatencyNs, double SpanNs, double Macs, double SynapticEvents, double ConversionEnergyPj, double Conversions);

    private static Measurement Run(ChipModel chip, CrossbarArray array, ulong seed, int count, Func<int, int[]> inputs, bool backToBack = false)
    {
        var ledger = new Ledger();
        var macro = chip.CreateMacro(array, ledger, "figures");
        var outputs = new double[array.LogicalColumns];
        var noise = DeterministicRandom.ForComponent(seed, "figures.noise");
        var steps = array.MagnitudeSteps > 0 ? array.QuantisedSteps() : null;
        double latency = 0, macs = 0, events = 0;
        long ready = 0, end = 0;
        for (var i = 0; i < count; i++)
        {
            var active = inputs(i);
            if (!backToBack) macro.ResetTimeline();
            var op = macro.Execute(active, backToBack ? ready : 0, outputs, noise);
            latency += op.Latency;
            end = Math.Max(end, op.End);
            macs += (double)active.Length * array.LogicalColumns;
            foreach (var r in active)
                for (var j = 0; j < array.LogicalColumns; j++)
                    events += steps is null || steps[r * array.LogicalColumns + j] != 0 ? 1 : 0;
        }
        var account = EnergyAccount.Compute(ledger, chip.Costs, new Dictionary<string, long>(), 0);
        var conversion = account.Lines.Where(l => l.Component == chip.Adc.Component).Sum(l => l.DynamicPj);
        var conversions = ledger.Count(chip.Adc.Component, "figures", Adc.ConversionAction) + ledger.Count(chip.Adc.Component, "figures", Adc.OpenConversionAction);
        var ns = 1e9 / chip.Spec.BaseClockHz;
        return new Measurement(account.TotalPj / count, latency * ns / count, end * ns / count, macs / count, events / count, conversion / count, (double)conversions / count);
    }

    private static CrossbarArray ProgramRandom(ChipModel chip, ulong seed)
    {
        var m = chip.Spec.Macro;
        var rng = DeterministicRandom.ForComponent(seed, "figures.weights");
        var columns = chip.LogicalColumnsPerMacro;
        // Half the weights non-zero, random sign and magnitude: a trained layer's weights look like this more than all-ones.
        var weights = new float[m.Crossbar.Rows * columns];
        for (var i = 0; i < weights.Length; i++)
            weights[i] = rng.NextDouble() < 0.5 ? 0f : (float)((rng.NextDouble() < 0.5 ? -1 : 1) * rng.NextDouble(0.05, 1));
        return CrossbarArray.Program(weights, m.Crossbar.Rows, columns, m.Crossbar, chip.Device, rng);
    }

    private static int[] RandomRows(int rows, double density, DeterministicRandom rng) =>
        Enumerable.Range(0, rows).Where(_ => rng.NextDouble() < density).ToArray();

    private static double AreaOf(ChipModel chip)
    {
        // The macro's design: every column has its ADC, whether the random matrix's layout fills it or not.
        var instances = chip.Instances(1, 0, chip.Mux.AdcsFor(chip.Spec.Macro.Crossbar.Columns));
        return instances.Sum(p => (chip.Costs.InstanceOf(p.Key)?.AreaUm2 ?? 0) * p.Value);
    }
}
