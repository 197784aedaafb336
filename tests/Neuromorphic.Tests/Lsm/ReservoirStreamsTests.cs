using Neuromorphic.Arch.Lsm;
using Neuromorphic.Hw.Devices;
using NUnit.Framework;

namespace Neuromorphic.Tests.Lsm;

/// <summary>
/// Common random numbers across device knobs: a reservoir drawn with stuck-at faults or device-to-device variation is
/// the same reservoir as the ideal one, cell by cell, with only what the knob models changed. A sweep over those knobs
/// (arch/sweeps/lsm-64.yaml sweeps the sigma) then compares one reservoir on different devices, not different
/// reservoirs.
/// </summary>
public sealed class ReservoirStreamsTests
{
    private const ulong Seed = 17;

    private static readonly LsmParameters Small = new()
    {
        Neurons = 60,
        InputFanIn = 20,
        InputSigns = InputSigns.Random,
        ConnectionProbability = 0.3,
    };

    private static LsmReservoir Draw(double sigma = 0, double stuckOn = 0, double stuckOff = 0) =>
        LsmReservoir.Draw(Small, 80, new RramDevice(new RramDeviceParameters
        {
            RonOhm = 1e4,
            OnOffRatio = 100,
            Programming = ProgrammingScheme.StochasticPulse,
            PulseDistribution = ConductanceDistribution.Normal(20e-6, 4.7e-6),
            DeviceToDeviceSigma = sigma,
            StuckAtOnRate = stuckOn,
            StuckAtOffRate = stuckOff,
        }), Seed);

    private static double[] Cells(LsmReservoir r) =>
        [.. r.InputPositive, .. r.InputNegative, .. r.RecurrentPositive.Conductances, .. r.RecurrentNegative.Conductances];

    [Test]
    public void Faults_leave_every_healthy_cell_as_the_fault_free_reservoir_has_it()
    {
        var ideal = Draw();
        var faulty = Draw(stuckOn: 0.05, stuckOff: 0.05);
        var (g0, g1) = (Cells(ideal), Cells(faulty));
        var device = ideal.Device;
        var connected = Enumerable.Range(0, g0.Length).Where(i => g0[i] != device.GMin).ToList();
        var stuck = connected.Count(i => g1[i] == device.GMax || g1[i] == device.GMin);
        Assert.Multiple(() =>
        {
            // Each connected cell is either stuck (at a window edge) or exactly the fault-free draw.
            Assert.That(connected.Where(i => g1[i] != g0[i]).Select(i => g1[i]), Is.All.EqualTo(device.GMax).Or.EqualTo(device.GMin));
            Assert.That(faulty.Stats.StuckOn + faulty.Stats.StuckOff, Is.EqualTo(stuck));
            // About 10 % of the connected cells are stuck (binomial: more than 6 sigma from 0 and from all).
            Assert.That(stuck, Is.InRange(0.07 * connected.Count, 0.13 * connected.Count));
            // Unconnected cells are untouched.
            Assert.That(Enumerable.Range(0, g0.Length).Where(i => g0[i] == device.GMin).Select(i => g1[i]), Is.All.EqualTo(device.GMin));
        });
    }

    [Test]
    public void Device_to_device_variation_scales_the_same_pulse_by_the_same_normal_draw()
    {
        // g = (1 + sigma z) g_ideal with z the cell's own draw: the relative change at sigma 0.2 is twice that at 0.1.
        var (g0, g1, g2) = (Cells(Draw()), Cells(Draw(sigma: 0.1)), Cells(Draw(sigma: 0.2)));
        var gmin = Draw().Device.GMin;
        var connected = Enumerable.Range(0, g0.Length).Where(i => g0[i] != gmin).ToList();
        Assert.That(connected, Has.Count.GreaterThan(1000));
        var z = connected.Select(i => (g1[i] / g0[i] - 1) / 0.1).ToList();
        Assert.Multiple(() =>
        {
            foreach (var (i, zi) in connected.Zip(z))
                Assert.That(g2[i] / g0[i] - 1, Is.EqualTo(0.2 * zi).Within(1e-9), $"cell {i}");
            // The draws are standard normal (mean 0, spread 1 within sampling error).
            Assert.That(z.Average(), Is.EqualTo(0).Within(0.1));
            Assert.That(Math.Sqrt(z.Select(v => v * v).Average()), Is.EqualTo(1).Within(0.1));
        });
    }
}
