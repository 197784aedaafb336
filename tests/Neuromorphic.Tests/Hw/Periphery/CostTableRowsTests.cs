using System.Text.RegularExpressions;
using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Hw.Periphery;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Periphery;

/// <summary>Every model's cost rows are well-formed: stable snake-case keys, non-negative figures, a source.</summary>
[TestFixture]
public sealed class CostTableRowsTests
{
    private static readonly Regex Snake = new("^[a-z][a-z0-9_]*$");

    private static IEnumerable<(IEnumerable<CostEntry> Costs, IEnumerable<ComponentCost> Components)> Models()
    {
        foreach (var kind in new[] { AdcKind.Sar, AdcKind.Flash })
        {
            foreach (double node in new[] { 14.0, 22, 28, 32, 40, 45, 65 })
            {
                var adc = new Adc(new AdcParameters { Kind = kind, TechnologyNm = node });
                yield return (adc.DefaultCosts(), adc.DefaultComponentCosts());
            }
        }
        var sa = new Adc(AdcParameters.SenseAmp(40));
        yield return (sa.DefaultCosts(), sa.DefaultComponentCosts());
        // The macro's periphery has one area model (MacroArea): its instance rows go with the parts' action rows.
        var macro = new Neuromorphic.Hw.Macro.MacroParameters();
        var macroAdc = new Adc(macro.Adc);
        var shift = new ShiftAdd(new ShiftAddParameters());
        var wl = new WordLineDriver(new WordLineDriverParameters());
        var mux = new ColumnMux(new ColumnMuxParameters());
        yield return (shift.DefaultCosts().Concat(wl.DefaultCosts()).Concat(mux.DefaultCosts()),
            Neuromorphic.Hw.Macro.MacroArea.Of(macro, 2, macroAdc).Instances(macroAdc, macro.Adc.TechnologyNm));
        var sram = new SramBuffer(new SramBufferParameters());
        yield return (sram.DefaultCosts(), sram.DefaultComponentCosts());
        var neuron = new DigitalNeuronUnit(new DigitalNeuronUnitParameters());
        yield return (neuron.DefaultCosts(), neuron.DefaultComponentCosts());
        var acc = new AccumulateCore(new AccumulateCoreParameters { IndexBits = 10 });
        yield return (acc.DefaultCosts(), acc.DefaultComponentCosts());
        var noc = new MeshNoc(new MeshNocParameters());
        yield return (noc.DefaultCosts(), noc.DefaultComponentCosts());
        var bus = new SharedBus(new SharedBusParameters());
        yield return (bus.DefaultCosts(), bus.DefaultComponentCosts());
    }

    [Test]
    public void EveryRowIsWellFormed()
    {
        int rows = 0;
        foreach (var (costs, components) in Models())
        {
            foreach (CostEntry c in costs)
            {
                rows++;
                Assert.That(c.Component, Does.Match(Snake), c.Key);
                Assert.That(c.Action, Does.Match(Snake), c.Key);
                Assert.That(c.EnergyPj, Is.GreaterThanOrEqualTo(0).And.LessThan(1e6), c.Key);
                Assert.That(double.IsFinite(c.EnergyPj), c.Key);
                Assert.That(c.LatencyNs, Is.GreaterThanOrEqualTo(0), c.Key);
                Assert.That(c.Source, Is.Not.Empty, c.Key);
            }
            foreach (ComponentCost k in components)
            {
                Assert.That(k.Component, Does.Match(Snake));
                Assert.That(k.AreaUm2, Is.GreaterThan(0), k.Component);
                Assert.That(k.LeakageUw, Is.GreaterThanOrEqualTo(0), k.Component);
                Assert.That(k.Source, Is.Not.Empty, k.Component);
            }
        }
        Assert.That(rows, Is.GreaterThan(20));
    }

    [Test]
    public void KeysAreUniquePerModel()
    {
        foreach (var (costs, _) in Models())
        {
            var keys = costs.Select(c => c.Key).ToList();
            Assert.That(keys, Is.Unique);
        }
    }
}
