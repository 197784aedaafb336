using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Benchmarks;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Transformers;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Sim.Benchmarks;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Tests.Lsm;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// The partial sums of a layer's row blocks are added on the neuron core's lanes (the executor times them as the core's
/// batches): one class, <c>digital_neuron</c>, is charged their dynamic energy (<c>add</c>), holds the adders in its area
/// and leakage, and under <c>per_unit</c> is powered over the core's measured busy time, which holds them. No other class
/// counts them, and no separate partial-sum adder sits in the area beside it.
/// </summary>
public sealed class PartialSumAddTests
{
    private const int Outputs = 40, Inputs = 1100, Steps = 25;

    [Test]
    public void Row_blocks_partial_sums_are_added_and_charged_on_the_neuron_core_only()
    {
        var spec = Spec() with { Power = PowerGating.PerUnit };
        var chip = new ChipModel(spec);
        var program = NetworkMapper.Map(Network(), chip, 1);
        var rows = spec.Macro.Crossbar.Rows;
        var matrix = program["syn"].Matrices[0].Matrix;
        // The layout the count below assumes: every input its own word line, row blocks of `rows` word lines, one column block.
        Assert.That(matrix.InputRows, Is.Null);
        Assert.That(matrix.Tiles.Select(t => t.RowStart).Distinct().Order(), Is.EqualTo(new[] { 0, rows, 2 * rows }));
        Assert.That(matrix.Tiles.All(t => t.ColumnStart == 0 && t.ColumnCount == Outputs), Is.True);

        // By hand: every weight is 1, so a macro with an active row in its block gives every column a non-zero partial sum;
        // the first block's read starts each output's sum, every later block with a spike adds one partial sum per output.
        var raster = Raster();
        long expected = 0;
        for (var t = 0; t < Steps; t++)
            for (var block = 1; block * rows < Inputs; block++)
            {
                var spiked = false;
                for (var e = block * rows; e < Math.Min(Inputs, (block + 1) * rows); e++) spiked |= raster.Row(t)[e] != 0;
                if (spiked) expected += Outputs;
            }
        Assert.That(expected, Is.GreaterThan(0));

        var executor = new ChipExecutor(program, 1e-3, seed: 1, golden: false);
        executor.RunSample(raster);
        var result = executor.Finish();
        var lines = result.Account.Lines.Where(l => l.Action != "leakage").ToList();
        var adds = lines.Where(l => l.Component == DigitalNeuronUnit.Component && l.Action == DigitalNeuronUnit.AddAction).ToList();
        Assert.That(adds.Where(l => l.Layer == "syn").Sum(l => l.Count), Is.EqualTo(expected), "the row blocks' partial sums, counted once each");
        Assert.That(adds.Where(l => l.Layer != "syn").Sum(l => l.Count), Is.Zero, "no other layer adds");
        Assert.That(lines.Where(l => l.Component == AccumulateCore.Component).Sum(l => l.Count), Is.Zero, "the accumulate core adds none of them");
        Assert.That(result.Account.Lines.Any(l => l.Component == "partial_sum_adder"), Is.False, "no separate adder");
        var addPj = chip.Costs.Get(DigitalNeuronUnit.Component, DigitalNeuronUnit.AddAction).EnergyPj;
        Assert.That(addPj, Is.EqualTo(ArithmeticEnergy.AddPj(spec.NeuronCore.MembraneBits, spec.TechnologyNm)), "one lane adder");
        Assert.That(adds.Sum(l => l.DynamicPj), Is.EqualTo(expected * addPj).Within(1e-9 * expected * addPj));

        // per_unit: the class charged for the adds is powered over the units that time them (the neuron cores), measured.
        var (_, power) = ChipRunPower.Price(program, executor, result, 1e-3);
        var instances = chip.Instances(program.MacrosUsed, program.TilesUsed, program.AdcsPerMacro(), program.RowTableTiles);
        var measured = MeasuredBusy.PerInstanceSeconds(chip, result.Units, instances, power.BusySeconds);
        Assert.That(measured.ContainsKey(DigitalNeuronUnit.Component), Is.True);
        Assert.That(power.Account.PoweredSeconds[DigitalNeuronUnit.Component], Is.EqualTo(measured[DigitalNeuronUnit.Component]));
        var core = result.Units.Where(u => u.Kind == "neuron_core").Sum(u => u.BusyCycles) / spec.BaseClockHz;
        Assert.That(power.Account.PoweredSeconds[DigitalNeuronUnit.Component] * instances[DigitalNeuronUnit.Component], Is.EqualTo(core).Within(1e-12 * core));
        // Where no unit is measured (a transformer's pricing), an add holds the core a cycle over its lanes, as an update.
        var occupancy = UnitOccupancy.Of(chip).OccupancyNsByAction;
        Assert.That(occupancy[(DigitalNeuronUnit.Component, DigitalNeuronUnit.AddAction)],
            Is.EqualTo(occupancy[(DigitalNeuronUnit.Component, DigitalNeuronUnit.LifUpdateAction)]));
    }

    [Test]
    public void The_adders_of_partial_sums_are_in_the_area_once_in_every_workload()
    {
        // The class that adds the partial sums holds its adders in its own area (the core's lanes); no class that counts no
        // action sits beside it for the same adds. Every workload's powered instances come from one place (ChipModel.Instances).
        var spec = Spec();
        var chip = new ChipModel(spec);
        Assert.That(chip.Costs.Actions.Any(a => a.Component == "partial_sum_adder"), Is.False, "no cost row for a separate adder");
        Assert.That(chip.Costs.InstanceOf("partial_sum_adder"), Is.Null);
        var lane = chip.Costs.Get(DigitalNeuronUnit.Component, DigitalNeuronUnit.AddAction);
        Assert.That(lane.LatencyNs, Is.EqualTo(chip.NeuronUnit.CycleNs), "the core's clock");

        var program = NetworkMapper.Map(Network(), chip, 1);
        var executor = new ChipExecutor(program, 1e-3, seed: 1, golden: false);
        executor.RunSample(Raster());
        var (_, nir) = ChipRunPower.Price(program, executor, executor.Finish(), 1e-3);
        var cuba = CubaOnChip.Run(ArchitectureLoader.Load("rram-40nm-256kb"), new CubaParameters { Neurons = 1000 }, 0.01, 4).Power!;
        var lsm = LsmExperiment.Run(LsmTestData.Preset.Architecture, LsmTestData.Preset.Lsm, LsmTestData.Preset.Readout,
            LsmTestData.PoissonSamples(2, 2, 64, 10, 5), 0.5, 3).Power!;
        foreach (var (name, power) in new[] { ("nir", nir), ("cuba", cuba), ("lsm", lsm) })
        {
            Assert.That(power.AreaUm2ByComponent.Keys, Does.Not.Contain("partial_sum_adder"), name);
            Assert.That(power.Account.LeakagePowerUwByComponent.Keys, Does.Not.Contain("partial_sum_adder"), name);
            Assert.That(power.AreaUm2ByComponent.ContainsKey(DigitalNeuronUnit.Component), Is.True, name);
        }
        var transformer = TransformerExperiment.Run(RunConfigLoader.Load("sdt-v2-small").Architecture, new TransformerRunSpec
        {
            Model = "meta-spikeformer-16-32-64-96", ImageSize = 32, Timesteps = 2, Classes = 10, Mode = "rates", UniformRate = 0.1,
        }, 1);
        Assert.That(transformer.Account.LeakagePowerUwByComponent.Keys, Does.Not.Contain("partial_sum_adder"), "transformer");
    }

    /// <summary>An ideal chip of 4 tiles with one-bit weights on single cells (every weight 1 is one cell on).</summary>
    private static ArchitectureSpec Spec()
    {
        var spec = ChipTestData.Ideal(tiles: 4);
        return spec with { Macro = spec.Macro with { Crossbar = spec.Macro.Crossbar with { WeightBits = 1 } } };
    }

    /// <summary>in -> "syn" (every weight 1: three row blocks of a 512-row macro, one column block) -> "lif" -> out.</summary>
    private static Network Network()
    {
        var pointers = Enumerable.Range(0, Outputs + 1).Select(o => o * Inputs).ToArray();
        var columns = Enumerable.Range(0, Outputs).SelectMany(_ => Enumerable.Range(0, Inputs)).ToArray();
        var weights = new CsrMatrix(Outputs, Inputs, pointers, columns, Enumerable.Repeat(1f, columns.Length).ToArray());
        return new Network(
        [
            new InputNode("in", [Inputs]), new SparseNode("syn", weights),
            new NeuronNode("lif", new IntegratorModel(NeuronModel.Fill(Outputs, 1), NeuronModel.Fill(Outputs, 50f))), new OutputNode("out", [Outputs]),
        ], [new Edge("in", "syn"), new Edge("syn", "lif"), new Edge("lif", "out")]);
    }

    /// <summary>Spikes on 0.2 % of the inputs a step (some steps leave a row block silent), seeded.</summary>
    private static SpikeRaster Raster()
    {
        var rng = new Random(11);
        return new SpikeRaster(Steps, Inputs, Enumerable.Range(0, Steps * Inputs).Select(_ => rng.NextDouble() < 0.002 ? 1f : 0f).ToArray());
    }
}
