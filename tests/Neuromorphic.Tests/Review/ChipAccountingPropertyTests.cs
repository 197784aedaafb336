using CsCheck;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Review;

/// <summary>
/// Design-review invariants of whole chip runs on random small networks (<see cref="ReviewChips"/>): energy is the
/// ledger's counts times the cost table plus leakage over the powered time, shares stay shares, the base clock is a
/// unit of time only, faster unit clocks never make a run slower, and an exact chip computes the software's spikes.
/// </summary>
public sealed class ChipAccountingPropertyTests
{
    private static readonly Gen<ReviewChips.Shape> Shapes = ReviewChips.Shapes;

    private static (ChipExecutor Executor, ChipRunResult Result, ChipProgram Program) Run(ArchitectureSpec spec, ReviewChips.Shape shape, int steps = 12,
        double rate = 0.2, bool golden = true)
    {
        var program = NetworkMapper.Map(ReviewChips.Network(shape), new ChipModel(spec), 1);
        var executor = new ChipExecutor(program, 1e-3, 1, golden: golden);
        executor.RunSample(ReviewChips.Input(steps, shape.Inputs, rate, shape.Seed + 1));
        return (executor, executor.Finish(), program);
    }

    [Test]
    public void A_runs_energy_is_its_ledger_priced_by_the_cost_table_plus_leakage_over_its_time_and_its_shares_are_shares()
    {
        Shapes.Sample(shape =>
        {
            var spec = ReviewChips.Ideal();
            var (executor, r, program) = Run(spec, shape, golden: false);
            var chip = program.Chip;
            // Every dynamic line is one ledger key's count times that action's energy in the table in force.
            var ledger = executor.Ledger.Entries().Where(e => e.Count != 0).ToDictionary(e => (e.Key.Layer, e.Key.Unit, e.Key.Action), e => e.Count);
            var dynamic = r.Account.Lines.Where(l => l.Action != "leakage").ToList();
            Assert.That(dynamic.Count, Is.EqualTo(ledger.Count), "one line per counted key");
            foreach (var l in dynamic)
            {
                var cost = chip.Costs.Get(l.Component, l.Action).EnergyPj;
                Assert.That(l.Count, Is.EqualTo(ledger[(l.Layer, l.Component, l.Action)]));
                Assert.That(l.EnergyPerActionPj, Is.EqualTo(cost));
                Assert.That(l.DynamicPj, Is.EqualTo(l.Count * cost));
            }
            // Leakage: every powered instance of the chip's one macro design, for the run's whole time.
            var seconds = r.TotalCycles / spec.BaseClockHz;
            var instances = chip.Instances(program.MacrosUsed, program.TilesUsed, chip.Mux.AdcsFor(spec.Macro.Crossbar.Columns));
            foreach (var l in r.Account.Lines.Where(l => l.Action == "leakage"))
            {
                Assert.That(l.Count, Is.EqualTo(instances[l.Component]), $"{l.Component} instances");
                var expected = l.Count * chip.Costs.InstanceOf(l.Component)!.LeakageUw * seconds * 1e6;
                Assert.That(l.LeakagePj, Is.EqualTo(expected).Within(1e-9 * expected + 1e-12), l.Component);
            }
            var sum = r.Account.Lines.Sum(l => l.DynamicPj + l.LeakagePj);
            Assert.That(r.Account.TotalPj, Is.EqualTo(sum).Within(1e-9 * sum));
            Assert.That(r.EnergyJ, Is.EqualTo(r.Account.TotalPj * 1e-12));
            // Shares are shares: every unit busy at most the run's time, every layer's activity in [0, 1], the macros' cells used at most all.
            Assert.That(r.Units.All(u => u.BusyCycles >= 0 && u.BusyCycles <= r.TotalCycles), "utilisation in [0, 1]");
            Assert.That(r.Layers.All(l => l.Activity is >= 0 and <= 1));
            Assert.That(program.Nodes.SelectMany(n => n.Matrices).All(m => m.Matrix.Utilisation is > 0 and <= 1));
            Assert.That(r.StepLatencyCycles.All(c => c >= 0) && r.StepLatencyCycles.Sum() <= r.TotalCycles);
        }, iter: 8);
    }

    [Test]
    public void A_macro_has_the_ADCs_of_its_design_whatever_the_width_of_the_layer_it_holds()
    {
        // A 20-output layer on 128-column macros uses 40 columns; the macro still has 128 / 8 = 16 ADCs, 16 muxes and
        // 16 shift-adds, which take area and leak (as its 64 x 128 array's cells take area, used or not).
        var spec = ReviewChips.Ideal();
        var (_, r, program) = Run(spec, new ReviewChips.Shape(30, 10, 20, 0.2, false, 3), golden: false);
        var adcs = program.Chip.Mux.AdcsFor(spec.Macro.Crossbar.Columns);
        Assert.That(program.AdcsPerMacro(), Is.EqualTo(adcs));
        foreach (var component in new[] { program.Chip.Adc.Component, "column_mux", "shift_add" })
            Assert.That(r.Account.Lines.Single(l => l.Component == component && l.Action == "leakage").Count, Is.EqualTo((long)program.MacrosUsed * adcs), component);
    }

    [Test]
    public void An_exact_chip_computes_the_software_networks_spikes_on_every_storage_and_schedule()
    {
        // Zero variation and noise, an ADC that cannot clip and a wide core: quantisation is the only difference left, and
        // integer weights in [-3, 3] with thresholds between integers have none. Every population agrees on every step.
        var gen = from shape in Shapes
                  from scheme in Gen.OneOf(Gen.Const(SignedWeightScheme.DifferentialPair), Gen.Const(SignedWeightScheme.ReferenceColumn),
                      Gen.Const(SignedWeightScheme.OffsetBinary))
                  from bitsPerCell in Gen.Int[1, 2]
                  from parallel in Gen.OneOf(Gen.Const(8), Gen.Const(32))
                  from compacted in Gen.Bool from pipelined in Gen.Bool from signedScheme in Gen.Bool
                  from placement in Gen.OneOf(Gen.Const(NeuronPlacement.Packed), Gen.Const(NeuronPlacement.Spread), Gen.Const(NeuronPlacement.NearSynapses))
                  select (shape, scheme, bitsPerCell, parallel, compacted, pipelined, signedScheme, placement);
        long spikes = 0;
        gen.Sample(c =>
        {
            var spec = ReviewChips.Ideal(c.scheme, c.bitsPerCell, c.parallel);
            spec = spec with
            {
                Chip = spec.Chip with { Execution = c.pipelined ? ExecutionMode.Pipelined : ExecutionMode.Barrier, NeuronPlacement = c.placement },
                Mapping = spec.Mapping with
                {
                    WordLines = c.compacted ? WordLineMapping.Compacted : WordLineMapping.Dense,
                    OneSignedLayers = c.signedScheme ? OneSignedLayers.SignedScheme : OneSignedLayers.SingleCells,
                },
            };
            var (executor, r, _) = Run(spec, c.shape, steps: 15, rate: 0.3);
            foreach (var layer in r.Layers.Where(l => l.Kind == "population"))
            {
                Assert.That(layer.CellAgreement, Is.EqualTo(1.0), $"{layer.Node}: {c}");
                Assert.That(layer.ChipSpikes, Is.EqualTo(layer.SoftwareSpikes), $"{layer.Node}: {c}");
                Interlocked.Add(ref spikes, layer.ChipSpikes); // samples run on several threads
            }
            Assert.That(r.ChipOutputs["out"].Row(14).ToArray(), Is.EqualTo(executor.LastSoftwareOutputs["out"].Row(14).ToArray()));
        }, iter: 30);
        Assert.That(spikes, Is.GreaterThan(0), "the networks spiked");
    }

    [Test]
    public void The_base_clock_is_a_unit_of_time_only()
    {
        // Doubling base_clock_hz with every unit clock unchanged doubles every cycle count and changes nothing else:
        // not the seconds, not one ledger count, not the energy.
        Shapes.Sample(shape =>
        {
            var spec = ReviewChips.Ideal();
            var (e1, r1, _) = Run(spec, shape, golden: false);
            var (e2, r2, _) = Run(spec with { BaseClockHz = 2e9 }, shape, golden: false);
            Assert.That(r2.TotalCycles, Is.EqualTo(2 * r1.TotalCycles));
            Assert.That(r2.StepLatencyCycles, Is.EqualTo(r1.StepLatencyCycles.Select(c => 2 * c).ToArray()));
            Assert.That(e2.Ledger.Entries().Select(e => (e.Key, e.Count)), Is.EqualTo(e1.Ledger.Entries().Select(e => (e.Key, e.Count))));
            Assert.That(r2.EnergyJ, Is.EqualTo(r1.EnergyJ).Within(1e-12 * r1.EnergyJ));
        }, iter: 6);
    }

    [Test]
    public void Faster_unit_clocks_never_make_a_run_slower_and_do_the_same_work()
    {
        // Each unit clock (macro, neuron core, NoC) either stays or doubles, on a 2 GHz base clock that all of them divide.
        // The faster clock's edges include the slower one's, so no phase can end later, and each step starts no later.
        // (One step's own latency may still grow: it can start on another phase of a clock that did not change.)
        var clock = Gen.OneOf(Gen.Const(100e6), Gen.Const(200e6), Gen.Const(500e6));
        var gen = from shape in Shapes from macro in clock from core in clock from noc in clock
                  from faster in Gen.Int[1, 7] select (shape, macro, core, noc, faster);
        gen.Sample(c =>
        {
            ArchitectureSpec At(double macro, double core, double noc)
            {
                var spec = ReviewChips.Ideal() with { BaseClockHz = 2e9 };
                return spec with
                {
                    Macro = spec.Macro with { ClockHz = macro },
                    NeuronCore = spec.NeuronCore with { ClockHz = core },
                    Noc = spec.Noc with { ClockHz = noc },
                };
            }
            var slow = At(c.macro, c.core, c.noc);
            var fast = At(c.macro * ((c.faster & 1) != 0 ? 2 : 1), c.core * ((c.faster & 2) != 0 ? 2 : 1), c.noc * ((c.faster & 4) != 0 ? 2 : 1));
            var (es, rs, _) = Run(slow, c.shape, golden: false);
            var (ef, rf, _) = Run(fast, c.shape, golden: false);
            Assert.That(rf.TotalCycles, Is.LessThanOrEqualTo(rs.TotalCycles), c.ToString());
            // The same work: every count but the array-read units (conductance x drive time, priced at 0).
            static IEnumerable<(LedgerKey, long)> Work(ChipExecutor e) =>
                e.Ledger.Entries().Where(x => x.Key.Action != "read" || x.Key.Unit != "rram_array").Select(x => (x.Key, x.Count));
            Assert.That(Work(ef), Is.EqualTo(Work(es)), c.ToString());
        }, iter: 25);
    }
}
