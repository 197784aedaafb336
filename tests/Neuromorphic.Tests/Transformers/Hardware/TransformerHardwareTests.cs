using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Arch.Transformers;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Transformers.Hardware;

/// <summary>Pricing spike-driven transformers on RRAM macros and on the digital core.</summary>
public sealed class TransformerHardwareTests
{
    private static RunConfig Preset(string name) => RunConfigLoader.Load(name);

    private static TransformerRunSpec SmallRates(double rate) => new()
    {
        Model = "meta-spikeformer-16-32-64-96", ImageSize = 32, Timesteps = 4, Classes = 10, Mode = "rates", UniformRate = rate,
    };

    [Test]
    public void RramAndDigitalPresetsDifferInTheDirectionTheCostTablesImply()
    {
        // The presets' architectures on Meta-SpikeFormer 8_128 at 224 x 224, T = 4, uniform rate 0.15 (the digital
        // preset's rates-mode workload at a quarter of the width: 8_512's 1410 macros take minutes to program in a
        // debug build, and the rram preset runs an image functionally).
        var rramPreset = Preset("sdt-v2-rram");
        var digitalPreset = Preset("sdt-v2-digital");
        var workload = digitalPreset.Transformer! with { Model = "meta-spikeformer-8-128" };
        var rram = TransformerExperiment.Run(rramPreset.Architecture, workload, 1);
        var digital = TransformerExperiment.Run(digitalPreset.Architecture, workload, 1);
        // Weights stay in the arrays on RRAM; the digital core reads each weight from SRAM per accumulation
        // (3.1 pJ a read against a fraction of a pJ per MAC in the macro), and has 16 lanes where every macro works
        // in parallel. (On a tiny model the macros' fixed per-read cost can make RRAM the slower one.)
        Assert.That(rram.EnergyPerInferenceJ, Is.LessThan(digital.EnergyPerInferenceJ));
        Assert.That(rram.LatencyCycles, Is.LessThan(digital.LatencyCycles));
        Assert.That(rram.Macros, Is.GreaterThan(0));
        Assert.That(digital.Macros, Is.Zero);
        Assert.That(rram.Layers.Where(l => l.Kind == "Conv").Select(l => l.Target), Does.Contain("rram").And.Contain("digital"), "the encoding conv stays digital");
    }

    [Test]
    public void EveryMacroLeaksTheAdcsOfItsDesignWhateverItsLayerUses()
    {
        // Every chip run counts a macro's ADCs (each with its column multiplexer and shift-add) as its design has them, the
        // crossbar's columns over columns_per_adc (ChipProgram.AdcsPerMacro; NeuroSim: numCol / numColMuxed). On 2048
        // columns the small model's widest layer on macros, stage 4's MLP fc1 (4 x 96 = 384 outputs of 4 columns each:
        // a 4-bit weight as two 2-bit slices, each a differential pair), fills 1536: still 2048 / 8 = 256 a macro, not 192.
        Presets.TryRead("sdt-v2-small", out var text, out _);
        Assert.That(text, Does.Contain("columns: 512").And.Contain("columns_per_adc: 8").And.Contain("weight_bits: 4").And.Contain("bits_per_cell: 2"));
        double Instances(TransformerResult run, ChipModel on, string component) =>
            run.Account.LeakagePowerUwByComponent[component] / on.Costs.InstanceOf(component)!.LeakageUw;
        foreach (var (columns, adcs) in new[] { (2048, 256), (514, 65), (512, 64) })
        {
            var architecture = RunConfigLoader.Parse(text.Replace("columns: 512", $"columns: {columns}"), "wide.yaml").Architecture;
            var r = TransformerExperiment.Run(architecture, SmallRates(0.1), 1);
            // Instances from the leakage power over one instance's (the SAR ADC's own leakage is 0 in the cost table: its
            // multiplexer's and shift-add's are not).
            foreach (var component in new[] { Neuromorphic.Hw.Periphery.ColumnMux.Component, Neuromorphic.Hw.Periphery.ShiftAdd.Component })
                Assert.That(Instances(r, new ChipModel(architecture), component), Is.EqualTo((double)r.Macros * adcs).Within(1e-6 * r.Macros * adcs), $"{columns} columns: {component}");
        }
    }

    [Test]
    public void Per_tile_parts_leak_and_take_area_on_the_tiles_the_model_occupies_only()
    {
        // The CUBA and LSM runs count the tiles their program uses; so does a transformer. Its layers on macros take
        // macros in layer order, macros_per_tile a tile, every other layer sits on a tile of its input's producer (the
        // encoding conv on tile 0): ceil(macros / macros_per_tile) tiles of the preset's 64; with every layer on the
        // digital core, tile 0 only.
        Presets.TryRead("sdt-v2-small", out var text, out _);
        Assert.That(text, Does.Contain("chip: {tiles: 64, macros_per_tile: 32}").And.Contain("default: rram"));
        string[] perTile = [Neuromorphic.Hw.Digital.DigitalNeuronUnit.Component, Neuromorphic.Hw.Interconnect.MeshNoc.Component,
            Neuromorphic.Hw.Digital.AccumulateCore.Component, Neuromorphic.Hw.Digital.TileIoBuffer.Component, Neuromorphic.Hw.Digital.SdsaUnit.Component, Neuromorphic.Hw.Periphery.SramBuffer.Component];
        foreach (var (perTileMacros, placement) in new[] { (32, "rram"), (16, "rram"), (32, "digital") })
        {
            var architecture = RunConfigLoader.Parse(text.Replace("macros_per_tile: 32", $"macros_per_tile: {perTileMacros}")
                .Replace("default: rram", $"default: {placement}"), "tiles.yaml").Architecture;
            var chip = new ChipModel(architecture);
            var r = TransformerExperiment.Run(architecture, SmallRates(0.1), 1);
            var tiles = placement == "digital" ? 1 : (r.Macros + perTileMacros - 1) / perTileMacros;
            Assert.That(r.Macros, placement == "digital" ? Is.Zero : Is.GreaterThan(perTileMacros), "the model spans several tiles");
            Assert.That(r.Tiles, Is.EqualTo(tiles), $"{perTileMacros} a tile, {placement}");
            foreach (var component in perTile)
                Assert.That(r.Account.LeakagePowerUwByComponent[component] / chip.Costs.InstanceOf(component)!.LeakageUw,
                    Is.EqualTo((double)tiles).Within(1e-9 * tiles), $"{perTileMacros} a tile, {placement}: {component}");
            // Area by hand: per macro its array, 512 / 8 ADCs each with a mux and a shift-add, a driver per row; per tile its parts.
            double Area(string component) => chip.Costs.InstanceOf(component)!.AreaUm2;
            var macroArea = Area(Neuromorphic.Hw.Macro.MacroCosts.ArrayComponent) + 512 * Area(Neuromorphic.Hw.Periphery.WordLineDriver.Component)
                + 64 * (Area(Neuromorphic.Hw.Periphery.Adc.SarComponent) + Area(Neuromorphic.Hw.Periphery.ColumnMux.Component) + Area(Neuromorphic.Hw.Periphery.ShiftAdd.Component));
            var expected = r.Macros * macroArea + tiles * perTile.Sum(Area);
            Assert.That(r.ChipAreaUm2, Is.EqualTo(expected).Within(1e-9 * expected), $"{perTileMacros} a tile, {placement}: area");
        }
    }

    [Test]
    public void LayerEnergiesAddUpToTheDynamicEnergy()
    {
        var r = TransformerExperiment.Run(Preset("sdt-v2-rram").Architecture, SmallRates(0.2), 2);
        Assert.That(r.Layers.Sum(l => l.EnergyPj), Is.EqualTo(r.Account.DynamicPj).Within(1e-6 * r.Account.DynamicPj));
        Assert.That(r.Layers.Where(l => l.Kind is "SdsaV2").All(l => l.Target == "sdsa" && l.EnergyPj > 0));
    }

    [Test]
    public void EnergyGrowsWithTheFiringRate()
    {
        var arch = Preset("sdt-v2-rram").Architecture;
        var low = TransformerExperiment.Run(arch, SmallRates(0.05), 3);
        var high = TransformerExperiment.Run(arch, SmallRates(0.3), 3);
        Assert.That(high.EnergyPerInferenceJ, Is.GreaterThan(low.EnergyPerInferenceJ));
        Assert.That(high.TheoreticalEnergyJ, Is.GreaterThan(low.TheoreticalEnergyJ));
        Assert.That(high.ActivationSparsity, Is.EqualTo(0.7).Within(1e-9));
    }

    [Test]
    public void RatesFileOverridesNamedLayersAndRejectsUnknownOnes()
    {
        var dir = Directory.CreateTempSubdirectory("nm-rates-").FullName;
        try
        {
            var file = Path.Combine(dir, "rates.csv");
            File.WriteAllText(file, "layer,rate\nno.such.layer,0.3\n");
            var spec = SmallRates(0.1) with { RatesFile = file };
            Assert.That(() => TransformerExperiment.Run(Preset("sdt-v2-rram").Architecture, spec, 1),
                Throws.TypeOf<InputFormatException>().With.Message.Contains("no.such.layer"));
            File.WriteAllText(file, "layer,rate\nstage1.block1.lif1,1.5\n");
            Assert.That(() => RateTable.Read(file), Throws.TypeOf<InputFormatException>().With.Message.Contains("line 2"));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Test]
    public void PlacementRulesMatchLayerNames()
    {
        var placement = new LayerPlacement { Default = LayerTarget.Rram, Rules = [("stage3.*.attn.*", LayerTarget.Digital)] };
        Assert.That(placement.TargetOf("stage3.block2.attn.q.pw1"), Is.EqualTo(LayerTarget.Digital));
        Assert.That(placement.TargetOf("stage3.block2.mlp.fc1"), Is.EqualTo(LayerTarget.Rram));
    }
}

/// <summary>Functional runs through the hardware model, with Dynamic Confidence early exit.</summary>
public sealed class TransformerFunctionalTests
{
    private static TransformerRunSpec Small(double earlyExit) => new()
    {
        Model = "meta-spikeformer-16-32-64-96", ImageSize = 32, Timesteps = 4, Classes = 10, Mode = "functional", Samples = 2, EarlyExit = earlyExit,
    };

    /// <summary>
    /// The small model run functionally without early exit (seed 4), which two tests read: made once, on first
    /// use (NUnit runs a fixture's tests on one instance, one after another), and only read.
    /// </summary>
    private readonly Lazy<TransformerResult> _full = new(() => TransformerExperiment.Run(RunConfigLoader.Load("sdt-v2-small").Architecture, Small(0), 4));

    [Test]
    public void FunctionalRunMeasuresRatesAndPricesThem()
    {
        var r = _full.Value;
        Assert.That(r.MeanTimestepsRun, Is.EqualTo(4));
        Assert.That(r.ActivationSparsity, Is.InRange(0.0, 1.0).And.Not.EqualTo(1.0));
        Assert.That(r.EnergyPerInferenceJ, Is.GreaterThan(0));
        Assert.That(r.Layers.Where(l => l.Kind == "Lif").All(l => l.InputRate >= 0));
    }

    [Test]
    public void EarlyExitCountsOnlyTheTimestepsRun()
    {
        // With ten classes max softmax is at least 0.1, so a threshold of 0.05 exits after the first timestep.
        var full = _full.Value;
        var early = TransformerExperiment.Run(RunConfigLoader.Load("sdt-v2-small").Architecture, Small(0.05), 4);
        Assert.That(early.MeanTimestepsRun, Is.EqualTo(1));
        Assert.That(early.EnergyPerInferenceJ, Is.LessThan(full.EnergyPerInferenceJ));
        Assert.That(early.LatencyCycles, Is.LessThan(full.LatencyCycles));
    }

    [Test]
    public void DynamicConfidenceFollowsItsDefinition()
    {
        // O = (2, 0) x 30 after one step: softmax(2, 0) = (0.881, 0.119).
        var sum = new double[2];
        Assert.That(FunctionalRuns.Confident(sum, [60f, 0f], 0.88), Is.True);
        Assert.That(FunctionalRuns.Confident(new double[2], [60f, 0f], 0.89), Is.False);
    }

    private static readonly TransformerRunSpec SmallRates = new()
    {
        Model = "meta-spikeformer-16-32-64-96", ImageSize = 32, Timesteps = 4, Classes = 10, Mode = "rates", UniformRate = 0.1,
    };

    [Test]
    public void A_model_with_more_layers_on_macros_than_the_chip_has_is_refused_naming_its_largest_layers()
    {
        var arch = RunConfigLoader.Load("sdt-v2-rram").Architecture;
        var small = arch with { Chip = arch.Chip with { Tiles = 1, MacrosPerTile = 4 } };
        Assert.That(() => TransformerExperiment.Run(small, SmallRates, 1), Throws.TypeOf<Neuromorphic.Arch.Mapping.MappingException>()
            .With.Message.Contains("macros").And.Message.Contains("the chip has 4").And.Message.Contains("stage"));
        // Functional runs are refused before their weights are made, through the folded model.
        var functional = SmallRates with { Mode = "functional", Samples = 1 };
        Assert.That(() => TransformerExperiment.Run(small, functional, 1), Throws.TypeOf<Neuromorphic.Arch.Mapping.MappingException>());
    }

    [Test]
    public void Layers_on_macros_hold_the_weights_the_chip_stores()
    {
        // The general mapper places each layer with its own weights: the stored scale is the layer's largest magnitude.
        var config = RunConfigLoader.Load("sdt-v2-small");
        var chip = new ChipModel(config.Architecture);
        var model = Neuromorphic.Sim.Transformers.Models.ModelZoo.Create("meta-spikeformer-16-32-64-96", 32, 4, 10);
        var weights = Neuromorphic.Sim.Transformers.Execution.TransformerExecutor.RandomWeights(model, 3);
        var macros = new TransformerMacros(chip, model, weights, 3);
        Assert.That(macros.Layers, Is.Not.Empty);
        var placed = 0;
        foreach (var layer in macros.Layers.Take(6))
        {
            var mapped = macros.Place(layer.Name).Mapped;
            var max = weights[layer.Name].Weight.Max(Math.Abs);
            Assert.That(mapped.Scale, Is.EqualTo(max).Within(1e-6 * max), layer.Name);
            Assert.That(mapped.Tiles, Has.Count.EqualTo(macros.PlacementOf(layer.Name).Count), layer.Name);
            Assert.That(mapped.Tiles[0].Macro, Is.EqualTo(macros.PlacementOf(layer.Name).First), layer.Name);
            placed += mapped.Tiles.Count;
        }
        Assert.That(placed, Is.GreaterThan(0));
    }

    [Test]
    public void A_functional_run_gives_the_same_figures_on_one_thread_and_on_four()
    {
        // Layers on macros are priced in parallel and RepConvs folded on threads: the figures must not depend on it.
        var arch = RunConfigLoader.Load("sdt-v2-small").Architecture;
        var spec = SmallRates with { Mode = "functional", Samples = 1 };
        var one = TransformerExperiment.Run(arch, spec, 5, threads: 1);
        var four = TransformerExperiment.Run(arch, spec, 5, threads: 4);
        Assert.That(four.Layers.Select(l => (l.Layer, l.EnergyPj, l.LatencyCycles)), Is.EqualTo(one.Layers.Select(l => (l.Layer, l.EnergyPj, l.LatencyCycles))));
        Assert.That(four.RateBasedLayers.Select(l => l.EnergyPj), Is.EqualTo(one.RateBasedLayers.Select(l => l.EnergyPj)));
        Assert.That(four.PerTimestep, Is.EqualTo(one.PerTimestep));
        Assert.That(four.EnergyPerInferenceJ, Is.EqualTo(one.EnergyPerInferenceJ));
    }
}
