using CsCheck;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Hw.Periphery;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Review;

/// <summary>
/// Sweeps a user runs over one chip knob at a time, on random small networks of an exact chip (<see cref="ReviewChips"/>):
/// the spikes stay the software's, the work counted stays the same where the knob changes no work, and the run's time,
/// energy and area move the way the hardware must.
/// </summary>
public sealed class ChipScalingPropertyTests
{
    private static readonly Gen<ReviewChips.Shape> Shapes = ReviewChips.Shapes;

    private static (ChipExecutor Executor, ChipRunResult Result, ChipProgram Program) Run(ArchitectureSpec spec, ReviewChips.Shape shape)
    {
        var program = NetworkMapper.Map(ReviewChips.Network(shape), new ChipModel(spec), 1);
        var executor = new ChipExecutor(program, 1e-3, 1, golden: false);
        executor.RunSample(ReviewChips.Input(12, shape.Inputs, 0.25, shape.Seed + 1));
        return (executor, executor.Finish(), program);
    }

    private static Dictionary<string, long> Counts(ChipExecutor e, params string[] except) => e.Ledger.Entries()
        .Where(x => x.Count != 0 && !except.Contains($"{x.Key.Unit}.{x.Key.Action}")).GroupBy(x => $"{x.Key.Unit}.{x.Key.Action}")
        .ToDictionary(g => g.Key, g => g.Sum(x => x.Count));

    private static double Energy(ChipRunResult r, string component) => r.Account.Lines.Where(l => l.Component == component).Sum(l => l.DynamicPj);

    private static double Area(ChipRunResult r, ChipProgram p, string component) =>
        (p.Chip.Costs.InstanceOf(component)?.AreaUm2 ?? 0) * (r.Account.Lines.SingleOrDefault(l => l.Component == component && l.Action == "leakage")?.Count ?? 0);

    private static IEnumerable<string> Spikes(ChipRunResult r) => r.Layers.Select(l => $"{l.Node}:{l.ChipSpikes}");

    [Test]
    public void More_ADC_bits_on_a_chip_that_cannot_clip_change_no_spike_nor_count_and_never_make_it_faster_cheaper_or_smaller()
    {
        (from shape in Shapes from more in Gen.Int[1, 3] select (shape, more)).Sample(c =>
        {
            var spec = ReviewChips.Ideal();
            var wider = spec with { Macro = spec.Macro with { Adc = spec.Macro.Adc with { Bits = spec.Macro.Adc.Bits + c.more } } };
            var (ea, a, pa) = Run(spec, c.shape);
            var (eb, b, pb) = Run(wider, c.shape);
            var adc = pa.Chip.Adc.Component;
            Assert.That(Spikes(b), Is.EqualTo(Spikes(a)));
            // The column load counts conductance x conversion time: longer conversions, more of it. Every other count is the same work.
            Assert.That(Counts(eb, $"{adc}.column_load"), Is.EqualTo(Counts(ea, $"{adc}.column_load")));
            Assert.That(b.TotalCycles, Is.GreaterThanOrEqualTo(a.TotalCycles));
            Assert.That(Energy(b, adc), Is.GreaterThan(Energy(a, adc)));
            Assert.That(Area(b, pb, adc), Is.GreaterThan(Area(a, pa, adc)));
        }, iter: 15);
    }

    [Test]
    public void Sharing_each_ADC_among_more_columns_keeps_the_spikes_and_the_work_and_trades_time_for_ADC_area()
    {
        (from shape in Shapes from k in Gen.OneOf(Gen.Const(1), Gen.Const(2), Gen.Const(4), Gen.Const(8)) select (shape, k)).Sample(c =>
        {
            var spec = ReviewChips.Ideal();
            ArchitectureSpec At(int k) => spec with { Macro = spec.Macro with { ColumnsPerAdc = k } };
            var (ea, a, pa) = Run(At(c.k), c.shape);
            var (eb, b, pb) = Run(At(2 * c.k), c.shape);
            var adc = pa.Chip.Adc.Component;
            Assert.That(Spikes(b), Is.EqualTo(Spikes(a)));
            Assert.That(Counts(eb), Is.EqualTo(Counts(ea)), "every column is converted and selected once per read either way");
            Assert.That(b.TotalCycles, Is.GreaterThanOrEqualTo(a.TotalCycles));
            Assert.That(Area(b, pb, adc), Is.LessThan(Area(a, pa, adc)));
        }, iter: 15);
    }

    [Test]
    public void More_neuron_core_lanes_keep_the_spikes_and_the_work_and_never_make_a_run_slower()
    {
        (from shape in Shapes from lanes in Gen.OneOf(Gen.Const(1), Gen.Const(2), Gen.Const(4), Gen.Const(16)) select (shape, lanes)).Sample(c =>
        {
            var spec = ReviewChips.Ideal();
            ArchitectureSpec At(int lanes) => spec with { NeuronCore = spec.NeuronCore with { Lanes = lanes } };
            var (ea, a, pa) = Run(At(c.lanes), c.shape);
            var (eb, b, pb) = Run(At(2 * c.lanes), c.shape);
            Assert.That(Spikes(b), Is.EqualTo(Spikes(a)));
            Assert.That(Counts(eb), Is.EqualTo(Counts(ea)));
            Assert.That(b.TotalCycles, Is.LessThanOrEqualTo(a.TotalCycles));
            Assert.That(Area(b, pb, "digital_neuron"), Is.GreaterThan(Area(a, pa, "digital_neuron")));
        }, iter: 15);
    }

    [Test]
    public void Wider_NoC_links_keep_the_spikes_and_carry_the_same_packets_in_no_more_flits_and_no_more_time()
    {
        (from shape in Shapes from width in Gen.OneOf(Gen.Const(8), Gen.Const(16), Gen.Const(32)) select (shape, width)).Sample(c =>
        {
            var spec = ReviewChips.Ideal();
            ArchitectureSpec At(int bits) => spec with { Noc = spec.Noc with { LinkWidthBits = bits } };
            var (ea, a, _) = Run(At(c.width), c.shape);
            var (eb, b, _) = Run(At(2 * c.width), c.shape);
            Assert.That(Spikes(b), Is.EqualTo(Spikes(a)));
            long Flits(ChipExecutor e) => e.Ledger.Entries().Where(x => x.Key.Unit == MeshNoc.Component).Sum(x => x.Count);
            Assert.That(Flits(eb), Is.LessThanOrEqualTo(Flits(ea)));
            Assert.That(eb.NocPackets, Is.EqualTo(ea.NocPackets));
            Assert.That(b.TotalCycles, Is.LessThanOrEqualTo(a.TotalCycles));
            var other = (ChipExecutor e) => Counts(e, $"{MeshNoc.Component}.{MeshNoc.RouterFlitAction}", $"{MeshNoc.Component}.{MeshNoc.LinkFlitAction}",
                "io_buffer.write_bit", "io_buffer.read_bit");
            Assert.That(other(eb), Is.EqualTo(other(ea)), "the NoC's flits and the buffers' bits aside, the same work");
        }, iter: 15);
    }
}
