using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Interconnect;
using NUnit.Framework;

namespace Neuromorphic.Tests.Review;

/// <summary>A section left out of an architecture file takes its defaults at the file's node, like the sections given.</summary>
public sealed class ArchitectureDefaultsTests
{
    private const string Minimal = """
        name: minimal
        technology_nm: 40
        macro:
          device:
            ron_ohm: 1.0e5
        """;

    [Test]
    public void A_file_without_a_noc_section_prices_its_mesh_at_its_own_node()
    {
        var spec = ArchitectureLoader.Parse(Minimal, "minimal.yaml");
        var given = ArchitectureLoader.Parse(Minimal + "\nnoc:\n  width: 4\n", "given.yaml");
        // Every section's defaults follow technology_nm (the router's area was priced at 14 nm before).
        Assert.That(spec.Noc.TechnologyNm, Is.EqualTo(40));
        Assert.That(spec.NeuronCore.TechnologyNm, Is.EqualTo(40));
        Assert.That(spec.Macro.Adc.TechnologyNm, Is.EqualTo(40));
        Assert.That(spec.Sdsa.TechnologyNm, Is.EqualTo(40));
        var (a, b) = (new ChipModel(spec).Costs.InstanceOf(MeshNoc.Component)!, new ChipModel(given).Costs.InstanceOf(MeshNoc.Component)!);
        Assert.That(a.AreaUm2, Is.EqualTo(b.AreaUm2));
        Assert.That(a.LeakageUw, Is.EqualTo(b.LeakageUw));
    }
}
