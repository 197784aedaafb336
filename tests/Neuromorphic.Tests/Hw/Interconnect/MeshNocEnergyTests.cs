using CsCheck;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Interconnect;

/// <summary>
/// The NoC's energy per flit follows the flit's width and the node: per-bit router and link figures at Loihi's
/// 14 nm, times the link width, times the C V^2 node scale; an explicit per-flit figure is taken as is.
/// </summary>
public sealed class MeshNocEnergyTests
{
    // Node scale 14 -> 40 nm written out independently of the code: (node / 45) (Vdd / 1 V)^2 at each node, Vdd from
    // NeuroSim's PTM LP points (0.85 V at 22 nm and below, 0.9 V at 32 nm, 1.0 V at 45 nm, linear in between).
    private static readonly double Vdd40 = 0.9 + 0.1 * (40 - 32) / 13.0;
    private static readonly double Scale40 = 40.0 / 45 * Vdd40 * Vdd40 / (14.0 / 45 * 0.85 * 0.85);

    [Test]
    public void A_message_costs_hops_links_and_hops_plus_one_routers_per_flit_per_bit_of_width()
    {
        // b = 100 bits over h = 3 hops on 32-bit links at 40 nm: 4 flits; 3 x 4 link flits, 4 x 4 router flits.
        var p = new MeshNocParameters { LinkWidthBits = 32, TechnologyNm = 40 };
        var noc = new MeshNoc(p);
        noc.Send(0, 3, 100, 0);
        var flits = 4; // ceil(100 / 32)
        var expected = 3 * flits * 32 * (1.6 / 32) * Scale40 + 4 * flits * 32 * (2.0 / 32) * Scale40;
        Assert.That(noc.DynamicEnergyPj, Is.EqualTo(expected).Within(1e-9));
        Assert.That(p.NodeScale, Is.EqualTo(Scale40).Within(1e-12));
        // The cost table carries the same per-flit figures the closed form used.
        var rows = noc.DefaultCosts().ToDictionary(r => r.Action);
        Assert.That(rows[MeshNoc.RouterFlitAction].EnergyPj, Is.EqualTo(2.0 * Scale40).Within(1e-12));
        Assert.That(rows[MeshNoc.LinkFlitAction].EnergyPj, Is.EqualTo(1.6 * Scale40).Within(1e-12));
        Assert.That(rows[MeshNoc.RouterFlitAction].Source, Does.Contain("Davies et al. 2018").And.Contain("assumed"));
    }

    [Test]
    public void Wider_links_leave_the_energy_per_payload_bit_unchanged_up_to_flit_rounding()
    {
        (from bits in Gen.Int[0, 4096] from log in Gen.Int[3, 9] from hops in Gen.Int[1, 6] from node in Gen.Double[5, 180]
         select (bits, width: 1 << log, hops, node)).Sample(c =>
        {
            double Energy(int width)
            {
                var noc = new MeshNoc(new MeshNocParameters { Width = 8, Height = 1, LinkWidthBits = width, TechnologyNm = c.node });
                noc.Send(0, c.hops, c.bits, 0);
                return noc.DynamicEnergyPj;
            }
            var perWireBit = new MeshNocParameters { TechnologyNm = c.node }.NodeScale * (c.hops * 1.6 + (c.hops + 1) * 2.0) / 32;
            foreach (var w in new[] { c.width, 2 * c.width })
            {
                // The wires a message switches are its flits x width: its bits rounded up to whole flits (one flit at least).
                var wires = (long)Math.Max(1, (c.bits + w - 1) / w) * w;
                Assert.That(Energy(w), Is.EqualTo(wires * perWireBit).Within(1e-9 * wires * perWireBit + 1e-12));
                Assert.That(wires - Math.Max(c.bits, 1), Is.InRange(0, w - 1));
            }
            // Bits a whole multiple of both widths: the same energy at either width.
            if (c.bits > 0 && c.bits % (2 * c.width) == 0)
                Assert.That(Energy(2 * c.width), Is.EqualTo(Energy(c.width)).Within(1e-9 * Energy(c.width)));
        }, iter: 200);
    }

    [Test]
    public void An_older_node_never_makes_a_flit_cheaper()
    {
        (from node in Gen.Double[5, 180] from step in Gen.Double[0, 60] from log in Gen.Int[0, 10]
         select (node, older: Math.Min(180, node + step), width: 1 << log)).Sample(c =>
        {
            var (a, b) = (new MeshNocParameters { TechnologyNm = c.node, LinkWidthBits = c.width }, new MeshNocParameters { TechnologyNm = c.older, LinkWidthBits = c.width });
            Assert.That(b.RouterFlitEnergyPj, Is.GreaterThanOrEqualTo(a.RouterFlitEnergyPj * (1 - 1e-12)));
            Assert.That(b.LinkFlitEnergyPj, Is.GreaterThanOrEqualTo(a.LinkFlitEnergyPj * (1 - 1e-12)));
        }, iter: 300);
        // 40 nm against 14 nm: 3.66x per flit (C x 40/14, Vdd 0.96 V against 0.85 V).
        Assert.That(new MeshNocParameters { TechnologyNm = 40 }.RouterFlitEnergyPj / new MeshNocParameters().RouterFlitEnergyPj, Is.EqualTo(3.656).Within(0.001));
    }

    [Test]
    public void An_explicit_per_flit_figure_is_taken_as_is_whatever_the_width_and_node()
    {
        var p = new MeshNocParameters { LinkWidthBits = 128, TechnologyNm = 65, RouterEnergyPjPerFlit = 2.0, LinkEnergyPjPerFlit = 1.6 };
        Assert.That((p.RouterFlitEnergyPj, p.LinkFlitEnergyPj), Is.EqualTo((2.0, 1.6)));
        var rows = new MeshNoc(p).DefaultCosts().ToList();
        Assert.That(rows.Select(r => r.EnergyPj), Is.EqualTo(new[] { 2.0, 1.6 }));
        Assert.That(rows[0].Source, Does.Contain("given per flit"));
        // Only the router's given: the link is still derived.
        var half = new MeshNocParameters { LinkWidthBits = 64, RouterEnergyPjPerFlit = 5 };
        Assert.That((half.RouterFlitEnergyPj, half.LinkFlitEnergyPj), Is.EqualTo((5.0, 3.2)).Within(1e-12));
    }

    private const string Arch = """
        name: noc-energy
        technology_nm: 40
        macro:
          device:
            ron_ohm: 1.0e5
        noc:
          width: 4
          height: 4
          link_width_bits: 64
        """;

    [Test]
    public void The_loader_reads_per_bit_and_per_flit_keys_with_per_flit_first()
    {
        var spec = ArchitectureLoader.Parse(Arch, "a.yaml").Noc;
        Assert.That((spec.RouterEnergyPjPerBit, spec.LinkEnergyPjPerBit, spec.RouterEnergyPjPerFlit, spec.LinkEnergyPjPerFlit), Is.EqualTo(((double?)null, (double?)null, (double?)null, (double?)null)));
        Assert.That((spec.RouterPjPerBit, spec.LinkPjPerBit), Is.EqualTo((0.0625, 0.05)));
        Assert.That(spec.RouterFlitEnergyPj, Is.EqualTo(0.0625 * 64 * Scale40).Within(1e-12));
        var perBit = ArchitectureLoader.Parse(Arch + "\n  router_energy_pJ_per_bit: 0.1\n  link_energy_pJ_per_bit: 0.02\n", "b.yaml").Noc;
        Assert.That((perBit.RouterFlitEnergyPj, perBit.LinkFlitEnergyPj), Is.EqualTo((0.1 * 64 * Scale40, 0.02 * 64 * Scale40)).Within(1e-12));
        var perFlit = ArchitectureLoader.Parse(Arch + "\n  router_energy_pJ_per_flit: 2.0\n  link_energy_pJ_per_flit: 1.6\n", "c.yaml").Noc;
        Assert.That((perFlit.RouterFlitEnergyPj, perFlit.LinkFlitEnergyPj), Is.EqualTo((2.0, 1.6)));
        // A cost_table row still overrides both.
        var row = ArchitectureLoader.Parse(Arch + "\ncost_table:\n  - {component: mesh_noc, action: link_flit, energy_pJ: 0.5, source: test}\n", "d.yaml");
        Assert.That(new ChipModel(row).Costs.Get(MeshNoc.Component, MeshNoc.LinkFlitAction).EnergyPj, Is.EqualTo(0.5));
        // A per-bit figure written out, even the default's, is reported as given (tracked, not compared).
        var written = ArchitectureLoader.Parse(Arch + "\n  router_energy_pJ_per_bit: 0.0625\n", "e.yaml").Noc;
        Assert.That(new MeshNoc(written).DefaultCosts().First().Source, Does.Contain("given in the architecture"));
        Assert.That(new MeshNoc(spec).DefaultCosts().First().Source, Does.Contain("Davies et al. 2018"));
    }

    [TestCase("  router_energy_pJ_per_bit: -0.1\n", "noc.router_energy_pJ_per_bit", 10)]
    [TestCase("  link_energy_pJ_per_bit: .nan\n", "noc.link_energy_pJ_per_bit", 10)]
    [TestCase("  link_energy_pJ_per_flit: -1\n", "noc.link_energy_pJ_per_flit", 10)]
    [TestCase("  router_energy_pJ_per_flit: lots\n", "noc.router_energy_pJ_per_flit", 10)]
    public void Bad_energy_keys_are_one_line_errors_naming_the_file_and_place(string line, string key, int at)
    {
        var e = Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(Arch + "\n" + line, "bad.yaml"));
        Assert.That(e!.Message, Does.Contain("bad.yaml").And.Contain($"line {at}").And.Contain(key));
        Assert.That(e.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public void A_zero_link_width_is_a_one_line_error_naming_the_file_and_place()
    {
        var e = Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(Arch.Replace("link_width_bits: 64", "link_width_bits: 0"), "zero.yaml"));
        Assert.That(e!.Message, Does.Contain("zero.yaml").And.Contain("line 9").And.Contain("noc.link_width_bits"));
    }

    [Test]
    public void A_given_link_length_prices_the_link_as_its_width_of_wires_of_that_length()
    {
        // 64 wires x 500 um x 0.2 fF/um x (0.9615 V at 40 nm)^2 x 0.5 = 2.958 pJ per link flit; the router keeps its per-bit price.
        var p = new MeshNocParameters { TechnologyNm = 40, LinkWidthBits = 64, LinkLengthUm = 500 };
        Assert.That(p.LinkFlitEnergyPj, Is.EqualTo(64 * 500 * 0.2e-3 * Vdd40 * Vdd40 * 0.5).Within(1e-12));
        Assert.That(p.RouterFlitEnergyPj, Is.EqualTo(0.0625 * 64 * Scale40).Within(1e-12));
        var noc = new MeshNoc(p);
        noc.Send(0, 2, 64, 0); // 2 hops, 1 flit
        Assert.That(noc.DynamicEnergyPj, Is.EqualTo(2 * p.LinkFlitEnergyPj + 3 * p.RouterFlitEnergyPj).Within(1e-9));
        Assert.That(noc.DefaultCosts().Last().Source, Does.Contain("500 um").And.Contain("no repeaters"));
        (from node in Gen.Double[5, 180] from step in Gen.Double[0, 60] from length in Gen.Double[10, 5000]
         select (node, older: Math.Min(180, node + step), length)).Sample(c =>
        {
            var q = new MeshNocParameters { TechnologyNm = c.node, LinkLengthUm = c.length };
            Assert.That((q with { LinkLengthUm = 2 * c.length }).LinkFlitEnergyPj, Is.EqualTo(2 * q.LinkFlitEnergyPj).Within(1e-9 * q.LinkFlitEnergyPj));
            Assert.That((q with { TechnologyNm = c.older }).LinkFlitEnergyPj, Is.GreaterThanOrEqualTo(q.LinkFlitEnergyPj * (1 - 1e-12)), "an older node");
        }, iter: 100);
        var both = Assert.Throws<ArgumentException>(() => (p with { LinkEnergyPjPerFlit = 1.6 }).Validate());
        Assert.That(both!.Message, Does.Contain("at most one"));
    }

    [TestCase("  link_length_um: 0\n", "line 10", "noc.link_length_um")]
    [TestCase("  link_energy_pJ_per_bit: 0.1\n  link_length_um: 600\n", "line 11", "noc.link_length_um")]
    [TestCase("  link_energy_pJ_per_flit: 1.6\n  link_energy_pJ_per_bit: 0.1\n", "line 11", "noc.link_energy_pJ_per_bit")]
    [TestCase("  router_energy_pJ_per_flit: 2\n  router_energy_pJ_per_bit: 0.1\n", "line 11", "noc.router_energy_pJ_per_bit")]
    [TestCase("  link_length_um: -5\n", "line 10", "noc.link_length_um")]
    public void A_bad_link_length_is_a_one_line_error_naming_the_file_and_place(string line, string at, string key)
    {
        var e = Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(Arch + "\n" + line, "len.yaml"));
        Assert.That(e!.Message, Does.Contain("len.yaml").And.Contain(at).And.Contain(key));
        Assert.That(e.Message, Does.Not.Contain('\n'));
    }
}
