using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Cli;
using Neuromorphic.Cli.Commands;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Tests.Nir;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// The per-layer spike agreement (spikes both fired / spikes either fired) against hand-counted rasters, and the
/// chip run's layer rows and table built on it. The share of equal cells, the old headline, gave a chip that fired
/// nothing 94-99 % on the CNN: a silent chip must score 0 here.
/// </summary>
public sealed class SpikeAgreementTests
{
    private const int Neurons = 10, Steps = 20;

    /// <summary>Compares two rasters of <see cref="Neurons"/> x <see cref="Steps"/> given by their spiking (neuron, step) cells.</summary>
    private static SpikeComparison Compare((int Neuron, int Step)[] chip, (int Neuron, int Step)[] software)
    {
        var comparison = new SpikeComparison();
        for (var t = 0; t < Steps; t++)
        {
            var c = new double[Neurons];
            var s = new float[Neurons];
            foreach (var (n, step) in chip) if (step == t) c[n] = 1;
            foreach (var (n, step) in software) if (step == t) s[n] = 1;
            comparison.Add(c, s);
        }
        return comparison;
    }

    private static readonly (int, int)[] Software = [(2, 3), (5, 7), (6, 0), (9, 19)];

    [Test]
    public void A_silent_chip_scores_zero_however_sparse_the_layer()
    {
        var silent = Compare([], Software);
        Assert.That(silent.Jaccard, Is.EqualTo(0.0));
        // What the cell agreement said of the same chip: 196 of 200 cells equal.
        Assert.That(silent.CellAgreement, Is.EqualTo(196.0 / 200));
        Assert.That((silent.Both, silent.Either, silent.SoftwareSpikes), Is.EqualTo((0L, 4L, 4L)));
    }

    [Test]
    public void Identical_rasters_score_one()
    {
        var same = Compare(Software, Software);
        Assert.That(same.Jaccard, Is.EqualTo(1.0));
        Assert.That(same.CellAgreement, Is.EqualTo(1.0));
    }

    [Test]
    public void A_known_overlap_scores_spikes_both_fired_over_spikes_either_fired()
    {
        // Chip: (0, 1), (2, 3), (5, 7); software: (2, 3), (5, 7), (6, 0), (9, 19). Both: 2; either: 3 + 4 - 2 = 5.
        var overlap = Compare([(0, 1), (2, 3), (5, 7)], Software);
        Assert.That((overlap.Both, overlap.Either), Is.EqualTo((2L, 5L)));
        Assert.That(overlap.Jaccard, Is.EqualTo(0.4));
        // Three cells differ ((0, 1), (6, 0), (9, 19)): 197 of 200.
        Assert.That(overlap.CellAgreement, Is.EqualTo(197.0 / 200));
    }

    [Test]
    public void Neither_side_firing_has_no_spike_agreement()
    {
        var quiet = Compare([], []);
        Assert.That(quiet.Jaccard, Is.NaN);
        Assert.That(quiet.CellAgreement, Is.EqualTo(1.0));
    }

    /// <summary>Braille on the preset chip: binary weights and a 4-bit ADC make the chip depart from the software.</summary>
    private static (ChipProgram Program, ChipRunResult Result) Braille()
    {
        var network = NirReader.Read(FixturePaths.Nir("braille_noDelay_bias_zero.nir"));
        var program = NetworkMapper.Map(network, new ChipModel(ArchitectureLoader.Load("rram-40nm-256kb")), seed: 1);
        var executor = new ChipExecutor(program, 1e-4, seed: 1);
        executor.RunSample(SpikeRaster.Load(ChipTestData.BrailleInput));
        return (program, executor.Finish());
    }

    [Test]
    public void The_output_row_counts_its_own_spikes_and_agreement_from_the_written_rasters()
    {
        // The output row showed software_spikes 0 (and chip_spikes 0) next to its source's agreement.
        var (_, r) = Braille();
        var chip = r.ChipOutputs["output"];
        var software = r.SoftwareOutputs["output"];
        long both = 0, either = 0;
        for (var t = 0; t < chip.Timesteps; t++)
            for (var k = 0; k < chip.Channels; k++)
            {
                bool c = chip.Row(t)[k] != 0, s = software.Row(t)[k] != 0;
                if (c && s) both++;
                if (c || s) either++;
            }
        var output = r.Layers.Single(l => l.Node == "output");
        Assert.That(chip.CountNonZero(), Is.GreaterThan(0), "the output must fire for the check to mean anything");
        Assert.That(output.ChipSpikes, Is.EqualTo(chip.CountNonZero()));
        Assert.That(output.SoftwareSpikes, Is.EqualTo(software.CountNonZero()));
        Assert.That(output.SpikeJaccard, Is.EqualTo((double)both / either));
        Assert.That(output.SpikeJaccard, Is.LessThan(1.0), "the preset departs from the software");
        // The run's spike count is the populations' and does not count the output's again.
        Assert.That(r.Spikes, Is.EqualTo(r.Layers.Where(l => l.Kind == "population").Sum(l => l.ChipSpikes)));
    }

    [Test]
    public void The_table_heads_each_layer_with_its_spike_agreement_not_its_cell_agreement()
    {
        var (program, r) = Braille();
        var output = new StringWriter();
        var terminal = new Terminal(output, new StringWriter(), interactive: false);
        terminal.Console.Profile.Width = 120;
        ChipRun.Print(terminal, program, r, r.EnergyJ, "braille.nir");
        var text = output.ToString();
        Assert.That(text, Does.Contain("agreement"));
        foreach (var layer in r.Layers.Where(l => l.Kind == "population" && l.Compared))
        {
            var row = text.Split('\n').Single(l => l.StartsWith("│ " + layer.Node + " ", StringComparison.Ordinal));
            var jaccard = layer.SpikeJaccard.ToString("P2", System.Globalization.CultureInfo.InvariantCulture);
            var cells = layer.CellAgreement.ToString("P2", System.Globalization.CultureInfo.InvariantCulture);
            Assert.That(jaccard, Is.Not.EqualTo(cells), "the two figures must differ for the check to mean anything");
            Assert.That(row, Does.Contain(jaccard).And.Not.Contain(cells), row);
        }
    }
}
