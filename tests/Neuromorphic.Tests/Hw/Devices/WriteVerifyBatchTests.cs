using Neuromorphic.Hw.Devices;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hw.Devices;

/// <summary>
/// <see cref="RramDevice.ProgramCells"/> (vectorised deviates, decided with a margin) against the scalar write-verify loop
/// of <see cref="RramDevice.Program(int, ulong, int, int)"/>, cell by cell: the same conductances to the last bit and the
/// same pulse, verify-read and fault totals.
/// </summary>
public sealed class WriteVerifyBatchTests
{
    private static IEnumerable<TestCaseData> Devices()
    {
        yield return new TestCaseData(new RramDeviceParameters { BitsPerCell = 2 }).SetName("defaults, 2-bit cells");
        yield return new TestCaseData(new RramDeviceParameters { BitsPerCell = 1, DeviceToDeviceSigma = 0.4, ProgrammingSigma = 0.05 })
            .SetName("wide device-to-device spread: clamped pulses, unreachable targets");
        yield return new TestCaseData(new RramDeviceParameters { BitsPerCell = 2, StuckAtOnRate = 0.05, StuckAtOffRate = 0.05, ProgrammingSigmaPerLevel = [0, 0.02, 0.03, 0.01] })
            .SetName("faults and per-level residuals");
        yield return new TestCaseData(new RramDeviceParameters { BitsPerCell = 2, VerifyTolerance = 1e-9, MaxVerifyIterations = 3 })
            .SetName("tolerance below the margin, short budget");
        yield return new TestCaseData(new RramDeviceParameters { BitsPerCell = 2, PulseSigma = 0, DeviceToDeviceSigma = 0.5 })
            .SetName("no pulse spread");
        yield return new TestCaseData(new RramDeviceParameters { BitsPerCell = 3, PulseSigma = 2, VerifyTolerance = 0.5, OnOffRatio = 3 })
            .SetName("pulses wider than the window");
    }

    [TestCaseSource(nameof(Devices))]
    public void Programming_many_cells_at_once_gives_each_cell_what_the_scalar_loop_gives(RramDeviceParameters parameters)
    {
        var device = new RramDevice(parameters);
        var random = new Random(7);
        const int Count = 2000; // several chunks of 256, the last one partial
        var levels = Enumerable.Range(0, Count).Select(_ => random.Next(device.Levels)).ToArray();
        var rows = Enumerable.Range(0, Count).Select(_ => random.Next(512)).ToArray();
        var columns = Enumerable.Range(0, Count).Select(_ => random.Next(512)).ToArray();
        const ulong Seed = 0x5EED_1234_ABCDUL;
        long pulses = 0, reads = 0, on = 0, off = 0;
        var expected = new double[Count];
        for (var i = 0; i < Count; i++)
        {
            var cell = device.Program(levels[i], Seed, rows[i], columns[i]);
            expected[i] = cell.Conductance;
            pulses += cell.Pulses;
            reads += cell.VerifyReads;
            if (cell.Fault == CellFault.StuckOn) on++;
            if (cell.Fault == CellFault.StuckOff) off++;
        }
        Assert.That(pulses, Is.GreaterThan(Count), "the loop takes more than one pulse on some cells");
        // The default margin, and a margin so wide that the scalar deviate decides most pulses near the verify's edge.
        foreach (var margin in new[] { 1e-7, 0.5 })
        {
            var conductances = new double[Count];
            var totals = WriteVerifyBatch.Program(device, Seed, levels, rows, columns, conductances, margin);
            Assert.That(totals, Is.EqualTo(new ProgrammingTotals(pulses, reads, on, off)), $"margin {margin}");
            Assert.That(conductances.Select(BitConverter.DoubleToInt64Bits), Is.EqualTo(expected.Select(BitConverter.DoubleToInt64Bits)), $"margin {margin}");
        }
        Assert.That(device.ProgramCells(Seed, levels, rows, columns, new double[Count]), Is.EqualTo(new ProgrammingTotals(pulses, reads, on, off)));
    }
}
