using Neuromorphic.Arch.Execution;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// <see cref="TimingCode.Prepare"/>: every method it picks can be compiled ahead (a delegate's runtime-implemented
/// methods, nested in the kernel's scheduler, cannot, and threw PlatformNotSupportedException before they were left
/// out), and it asks whether to stop before each method and stops at the first yes.
/// </summary>
public class TimingCodeTests
{
    private static readonly HashSet<string> ExecutorMethods = ["Start", "Completed", "SendPackets", "StartReads"];

    [Test]
    public void Prepares_every_method_it_picks_without_failing()
    {
        var asked = 0;
        Assert.DoesNotThrow(() => TimingCode.Prepare(ExecutorMethods, () => { asked++; return false; }));
        // The executor's four methods and the units' many: each one asked about once.
        Assert.That(asked, Is.GreaterThan(ExecutorMethods.Count + 50));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(7)]
    public void Stops_at_the_first_yes(int methods)
    {
        var asked = 0;
        TimingCode.Prepare(ExecutorMethods, () => ++asked > methods);
        Assert.That(asked, Is.EqualTo(methods + 1));
    }
}
