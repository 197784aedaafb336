using Neuromorphic.Hw.Digital;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Hw.Periphery;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Periphery;

/// <summary>The per-operation methods of the periphery, digital and interconnect models allocate nothing.</summary>
[TestFixture]
public sealed class PerOperationAllocationTests
{
    [Test]
    public void HotPathsAllocateNothing()
    {
        var adc = new Adc(new AdcParameters());
        var shift = new ShiftAdd(new ShiftAddParameters());
        var neuron = new DigitalNeuronUnit(new DigitalNeuronUnitParameters());
        var core = new AccumulateCore(new AccumulateCoreParameters());
        var noc = new MeshNoc(new MeshNocParameters());
        var bus = new SharedBus(new SharedBusParameters());
        var membrane = new int[64];
        var current = new int[64];
        var input = new int[64];
        var spikes = new bool[64];
        int[] offsets = [0, 2, 2, 3, 6];
        int[] columns = [0, 2, 1, 0, 1, 2];
        int[] weights = [5, -3, 7, 1, 2, 4];
        int[] fired = [0, 3];
        var acc = new int[3];
        Array.Fill(input, 40);

        double sink = 0;
        void Work()
        {
            for (int i = 0; i < 1000; i++)
            {
                sink += adc.Quantise(i * 1e-3, 1.0) + adc.ConversionEnergyFj(i * 1e-6) + adc.ColumnLoadUnits(i * 1e-6);
                sink += shift.Add(i, 3, 2);
                sink += neuron.StepLif(membrane, input, 230, 1000, ResetMode.Subtract, spikes);
                sink += neuron.StepCubaLif(current, membrane, input, 200, 230, 1000, ResetMode.Zero, spikes);
                sink += core.Accumulate(fired, offsets, columns, weights, acc).Events + core.Count(fired, offsets).Cycles;
                sink += noc.Send(i % 16, (i * 7) % 16, 64, i) + bus.Send(i % 8, (i + 3) % 8, 64, i);
            }
        }

        Work(); // JIT warm-up
        Assert.That(ThreadAllocation.During(Work), Is.Zero);
        Assert.That(sink, Is.Not.NaN);
    }
}
