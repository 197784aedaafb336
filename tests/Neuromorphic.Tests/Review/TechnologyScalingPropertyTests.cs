using CsCheck;
using Neuromorphic.Arch.Architecture;
using NUnit.Framework;

namespace Neuromorphic.Tests.Review;

/// <summary>
/// A sweep of <c>technology_nm</c>: an older (larger) node never makes any action of the cost table cheaper nor any
/// component smaller, on every architecture preset. (Energies that do not scale stay equal, which is allowed here: a
/// figure given per action in the file, e.g. a NoC's explicit <c>router_energy_pJ_per_flit</c>; the NoC's derived
/// per-flit energies scale with the node since they are per bit.)
/// </summary>
public sealed class TechnologyScalingPropertyTests
{
    private static readonly ArchitectureSpec[] Presets = Neuromorphic.Arch.Architecture.Presets.ArchitectureNames.Select(ArchitectureLoader.Load).ToArray();

    private static ChipModel At(ArchitectureSpec spec, double nm) => new(spec with
    {
        TechnologyNm = nm,
        Macro = spec.Macro with { Adc = spec.Macro.Adc with { TechnologyNm = nm } },
        NeuronCore = spec.NeuronCore with { TechnologyNm = nm },
        Noc = spec.Noc with { TechnologyNm = nm },
        Sdsa = spec.Sdsa with { TechnologyNm = nm },
    });

    [Test]
    public void An_older_node_never_makes_an_action_cheaper_or_a_component_smaller()
    {
        (from preset in Gen.Int[0, Presets.Length - 1] from node in Gen.Double[5, 180] from step in Gen.Double[0, 60]
         select (preset, node, older: Math.Min(180, node + step))).Sample(c =>
        {
            var (a, b) = (At(Presets[c.preset], c.node).Costs, At(Presets[c.preset], c.older).Costs);
            foreach (var action in a.Actions)
            {
                var later = b.Get(action.Component, action.Action).EnergyPj;
                Assert.That(later, Is.GreaterThanOrEqualTo(action.EnergyPj * (1 - 1e-12)), $"{action.Key} at {c.node} -> {c.older} nm");
            }
            foreach (var component in a.Components)
                Assert.That(b.InstanceOf(component.Component)!.AreaUm2, Is.GreaterThanOrEqualTo(component.AreaUm2 * (1 - 1e-12)),
                    $"{component.Component} area at {c.node} -> {c.older} nm");
        }, iter: 150);
    }
}
