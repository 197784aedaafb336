using Neuromorphic.Arch.Architecture;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// noc.hop_latency_cycles is at least 1 (the mesh model refuses 0, and a barrier step starts on an idle chip only
/// because a hop takes at least one NoC cycle): the loader says so in one line naming the file, the line and the key.
/// </summary>
public class HopLatencyLoaderTests
{
    private const string Minimal = "name: x\nmacro:\n  rows: 64\n  columns: 64\n  device:\n    ron_ohm: 1e5\n";

    [Test]
    public void A_hop_of_no_cycles_is_refused_with_the_file_line_and_key()
    {
        var ex = Assert.Throws<InputFormatException>(() => ArchitectureLoader.Parse(Minimal + "noc:\n  hop_latency_cycles: 0\n", "arch.yaml"))!;
        Assert.That(ex.Message, Does.StartWith("arch.yaml: line 8 (noc.hop_latency_cycles)"));
        Assert.That(ex.Message, Does.Not.Contain("\n"));
        Assert.That(ArchitectureLoader.Parse(Minimal + "noc:\n  hop_latency_cycles: 1\n", "arch.yaml").Noc.HopLatencyCycles, Is.EqualTo(1));
    }
}
