using Neuromorphic.Arch.Execution;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// <see cref="TimingCode.Prepare"/>: every method it picks can be compiled ahead (a delegate's runtime-implemented
/// methods, nested in the kernel's scheduler, cannot, and threw PlatformNotSupportedException before they were left
/// out), it asks whether to stop before each method and stops at the first yes, and a method the runtime fails to
/// compile is skipped, not thrown (the compilation is optional).
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
        Assert.That(TimingCode.Prepare(TimingCode.Methods(ExecutorMethods), () => false, System.Runtime.CompilerServices.RuntimeHelpers.PrepareMethod),
            Is.Zero, "no method it picks fails to compile");
    }

    [Test]
    public void A_method_that_fails_to_compile_is_skipped_and_the_rest_still_compiled()
    {
        var methods = TimingCode.Methods(ExecutorMethods).ToList();
        var tried = new List<RuntimeMethodHandle>();
        var failures = new Exception[] { new PlatformNotSupportedException(), new ArgumentException(), new TypeLoadException(), new MissingMethodException() };
        var failed = 0;
        Assert.DoesNotThrow(() => failed = TimingCode.Prepare(methods, () => false, handle =>
        {
            tried.Add(handle);
            // Every third method fails, with each of the exceptions PrepareMethod documents in turn.
            if (tried.Count % 3 == 0) throw failures[tried.Count / 3 % failures.Length];
        }));
        Assert.That(tried.Count, Is.GreaterThan(ExecutorMethods.Count + 50), "it carried on past the failures");
        Assert.That(failed, Is.EqualTo(tried.Count / 3));
        // Another exception (not a compilation failure) still propagates.
        Assert.Throws<OutOfMemoryException>(() => TimingCode.Prepare(methods, () => false, _ => throw new OutOfMemoryException()));
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
