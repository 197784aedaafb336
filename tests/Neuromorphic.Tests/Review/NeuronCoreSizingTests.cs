using CsCheck;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Periphery;
using NUnit.Framework;

namespace Neuromorphic.Tests.Review;

/// <summary>
/// The neuron core's state SRAM holds <c>chip.neurons_per_core</c> membranes of <c>neuron_core.membrane_bits</c>
/// (docs/architecture.md: "4096: neuron states one tile's core holds"; ChipParameters: "a 4096-entry state SRAM per
/// core, 8 KB of 16-bit membranes ... raise it for larger cores"): raising either must make every state access and
/// the core's area cost more, and the defaults keep the 8 KB the figures were measured with.
/// </summary>
public sealed class NeuronCoreSizingTests
{
    private static readonly ArchitectureSpec Preset = ArchitectureLoader.Load("rram-40nm-256kb");

    private static ChipModel Chip(int neuronsPerCore, int membraneBits) => new(Preset with
    {
        Chip = Preset.Chip with { NeuronsPerCore = neuronsPerCore },
        NeuronCore = Preset.NeuronCore with { MembraneBits = membraneBits, FractionBits = Math.Min(Preset.NeuronCore.FractionBits, membraneBits - 1) },
    });

    [Test]
    public void The_default_core_holds_4096_sixteen_bit_membranes_in_8_KB()
    {
        var chip = new ChipModel(Preset);
        Assert.That(ChipModel.StateSramBytes(Preset), Is.EqualTo(8192));
        // Horowitz ISSCC 2014: 10 pJ per 64-bit read of an 8 KB SRAM at 45 nm, scaled to 40 nm by C V^2.
        var perBit = 10.0 / 64 * TechnologyNode.DynamicEnergyScale(40);
        Assert.That(chip.NeuronUnit.StateAccessPjPerBit, Is.EqualTo(perBit).Within(1e-12));
        var expected = ArithmeticEnergy.MultiplyPj(16, 40) + 2 * ArithmeticEnergy.AddPj(16, 40) + 2 * 16 * perBit;
        Assert.That(chip.Costs.Get(DigitalNeuronUnit.Component, DigitalNeuronUnit.LifUpdateAction).EnergyPj, Is.EqualTo(expected).Within(1e-12));
    }

    [Test]
    public void More_neurons_per_core_or_wider_membranes_make_the_state_memory_larger_and_every_update_dearer()
    {
        (from neurons in Gen.Int[16, 1 << 16] from more in Gen.Int[2, 1 << 14] from bits in Gen.Int[4, 31] select (neurons, more, bits)).Sample(c =>
        {
            var (a, b, w) = (Chip(c.neurons, c.bits), Chip(c.neurons + c.more, c.bits), Chip(c.neurons, c.bits + 1));
            double Lif(ChipModel chip) => chip.Costs.Get(DigitalNeuronUnit.Component, DigitalNeuronUnit.LifUpdateAction).EnergyPj;
            double Area(ChipModel chip) => chip.Costs.InstanceOf(DigitalNeuronUnit.Component)!.AreaUm2;
            double Leak(ChipModel chip) => chip.Costs.InstanceOf(DigitalNeuronUnit.Component)!.LeakageUw;
            return ChipModel.StateSramBytes(a.Spec) == ((long)c.neurons * c.bits + 7) / 8
                && Lif(b) >= Lif(a) && Area(b) > Area(a) && Leak(b) > Leak(a)
                && Lif(w) > Lif(a) && Area(w) > Area(a);
        }, iter: 200);
    }
}
