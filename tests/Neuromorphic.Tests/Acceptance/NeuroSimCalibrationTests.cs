using Neuromorphic.Arch.Architecture;
using NUnit.Framework;

namespace Neuromorphic.Tests.Acceptance;

/// <summary>
/// Issue 14's acceptance: the preset neurosim-v14-rram-32nm beside NeuroSim V1.4's own figures for one fully
/// connected 128 x 128 layer (8-bit weights, 1-bit inputs, 128 x 128 subarrays) with 0, 13 and 128 inputs
/// active. NeuroSim's numbers are the (NeuroSim V1.4 commit ac828e67 built and run on this machine).
/// Every subarray row within 10 %, subarray latency within 10 %, subarray area within 15 %, whole-layer energy,
/// latency and chip area within 15 %. Figures we do not meet are kept as ignored tests stating the measurement.
/// </summary>
public sealed class NeuroSimCalibrationTests
{
    private static readonly Lazy<LayerInspection> Result = new(() =>
        LayerInspection.Measure(ArchitectureLoader.Load("neurosim-v14-rram-32nm"), LayerWorkload.Parse(Workload), Workload));

    /// <summary>
    /// The layer. Its weights file is not in the issue: on_cells = 0.32 is the share of on-cells NeuroSim's
    /// own ADC figures imply (2.94 uS per driven cell at 128 rows, 2.96 uS at 13 rows; docs/architecture.md).
    /// </summary>
    private const string Workload = "layer:128x128,inputs=13,on_cells=0.32";

    private static SubarrayRow At(int active) => Result.Value.SubarrayReads.Single(r => r.ActiveInputs == active);

    private static void Within(double ours, double neuroSim, double tolerance, string what)
    {
        var difference = (ours - neuroSim) / neuroSim;
        TestContext.Out.WriteLine($"{what}: ours {ours:G4}, NeuroSim {neuroSim:G4}, {100 * difference:+0.0;-0.0} %");
        Assert.That(Math.Abs(difference), Is.LessThanOrEqualTo(tolerance), $"{what}: ours {ours:G4} vs NeuroSim {neuroSim:G4} ({100 * difference:+0.0;-0.0} %)");
    }

    [TestCase(0, 7.07)]
    [TestCase(13, 21.71)]
    [TestCase(128, 58.93)]
    public void SubarrayTotal(int active, double neuroSimPj) => Within(At(active).TotalPj, neuroSimPj, 0.10, $"total, {active} rows");

    [TestCase(128, 34.58)]
    public void SubarrayAdc(int active, double neuroSimPj) => Within(At(active).AdcPj, neuroSimPj, 0.10, $"ADC, {active} rows");

    [Test]
    public void SubarrayAdcAtZeroRows() => Within(At(0).AdcPj, 0.77, 0.10, "ADC, 0 rows");

    [Test]
    public void SubarrayAdcAt13Rows() => Within(At(13).AdcPj, 13.58, 0.10, "ADC, 13 rows");

    [TestCase(0, 2.79)]
    [TestCase(13, 4.62)]
    [TestCase(128, 20.84)]
    public void SubarrayWordLinesAndSwitchMatrix(int active, double neuroSimPj) =>
        Within(At(active).WordLinesAndSwitchMatrixPj, neuroSimPj, 0.10, $"word lines / switch matrix, {active} rows");

    [Test]
    public void SubarrayWordLineArrayAt13Rows() => Within(At(13).WordLineArrayPj, 1.22, 0.10, "word-line array, 13 rows");

    [TestCase(0)]
    [TestCase(13)]
    [TestCase(128)]
    public void SubarrayMux(int active) => Within(At(active).MuxPj, 0.38, 0.10, $"mux, {active} rows");

    [TestCase(0)]
    [TestCase(13)]
    [TestCase(128)]
    public void SubarrayAccumulation(int active) => Within(At(active).AccumulationPj, 3.13, 0.10, $"accumulation, {active} rows");

    [Test]
    public void SubarrayLatency() => Within(At(13).LatencyNs, 91, 0.10, "subarray latency");

    [Test]
    public void ClockIsNeuroSims() => Within(Result.Value.ClockPeriodNs, 11.39, 0.02, "clock period");

    [Test]
    public void SubarrayArea() => Within(Result.Value.SubarrayArea.TotalUm2, 15692, 0.15, "subarray area");

    [Test]
    public void SubarrayAdcArea() => Within(Result.Value.SubarrayArea.AdcUm2, 4205, 0.15, "subarray ADC area");

    [Test]
    public void LayerEnergy() => Within(Result.Value.Layer.ReadEnergyPj, 273.6, 0.15, "layer read energy");

    [Test]
    public void LayerLatency() => Within(Result.Value.Layer.LatencyNs, 834, 0.15, "layer latency");

    [Test]
    public void LayerInterconnectLatency() => Within(Result.Value.Layer.InterconnectLatencyNs, 11.4, 0.15, "layer interconnect latency");

    [Test]
    public void LayerChipArea() => Within(Result.Value.Layer.ChipAreaMm2, 3.91, 0.15, "chip area");

    [Test]
    public void LayerAdcArea() => Within(Result.Value.Layer.AdcAreaMm2, 0.13, 0.15, "layer ADC area");

    [Test]
    public void EmptyReadsAreSkippedWhenTheKnobSaysSo()
    {
        var spec = ArchitectureLoader.Load("neurosim-v14-rram-32nm");
        var ours = spec with { Macro = spec.Macro with { SkipEmptyRowGroups = true } };
        var result = LayerInspection.Measure(ours, LayerWorkload.Parse(Workload), "probe");
        Assert.That(result.SubarrayReads.Single(r => r.ActiveInputs == 0).TotalPj, Is.Zero);
        Assert.That(result.SubarrayReads.Single(r => r.ActiveInputs == 13).TotalPj, Is.EqualTo(At(13).TotalPj).Within(1e-9));
    }

    [Test]
    public void PipelinedDriveDrivesTheWordLinesOncePerRead()
    {
        var spec = ArchitectureLoader.Load("neurosim-v14-rram-32nm");
        var ours = spec with { Macro = spec.Macro with { Timing = Neuromorphic.Hw.Subarray.ReadTiming.Pipelined } };
        var row = LayerInspection.Measure(ours, LayerWorkload.Parse(Workload), "probe").SubarrayReads[0];
        Assert.That(row.WordLineArrayPj, Is.EqualTo(At(13).WordLineArrayPj / 8).Within(1e-9), "8 mux steps re-driven vs once");
        Assert.That(row.LatencyNs, Is.LessThan(At(13).LatencyNs));
    }
}
