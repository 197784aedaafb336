using Neuromorphic.Arch.Execution;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// The producer's claim order when both threads time steps (<see cref="StepChains"/>), step by step against a hand-worked
/// sequence: a chain's steps are timed from the residue the step before ended on, only its first from a guess; the top
/// chain climbs from the newest step until the kernel's thread passes it; the fill chain climbs from halfway between the
/// kernel's step and the lowest claimed one, up to it.
/// </summary>
public class StepChainsTests
{
    private static (long Step, long Start)? Next(ref StepChains chains, long kernel, long newest) =>
        chains.Next(kernel, newest, out var step, out var start) ? (step, start) : null;

    [Test]
    public void Chains_climb_from_the_newest_step_and_from_halfway_below_it()
    {
        var chains = new StepChains();
        chains.Begin();
        // Nothing claimed: the newest step, from the guess (none yet: 0).
        Assert.That(Next(ref chains, kernel: 10, newest: 20), Is.EqualTo((20L, 0L)));
        chains.Timed(20, end: 7);
        // The top chain is at the newest step: a fill chain halfway between the kernel's step and step 20, from the guess
        // (the last end: 7).
        Assert.That(Next(ref chains, 10, 20), Is.EqualTo((15L, 7L)));
        chains.Timed(15, end: 2);
        // Step 21 captured: the top chain goes on from step 20's end.
        Assert.That(Next(ref chains, 11, 21), Is.EqualTo((21L, 7L)));
        chains.Timed(21, end: 4);
        // The top chain is at the newest again: the fill chain goes on from step 15's end.
        Assert.That(Next(ref chains, 11, 21), Is.EqualTo((16L, 2L)));
        chains.Timed(16, end: 9);
        Assert.That(Next(ref chains, 16, 21), Is.EqualTo((17L, 9L)));
        // The kernel's thread took step 17 first: the fill chain ends; the next begins halfway between it and step 20.
        chains.Refused();
        Assert.That(Next(ref chains, 17, 21), Is.EqualTo((18L, 9L)), "from the guess: the last end");
        chains.Timed(18, end: 1);
        Assert.That(Next(ref chains, 17, 21), Is.EqualTo((19L, 1L)));
        chains.Timed(19, end: 5);
        // Step 20 is claimed: the fill chain has met it, and nothing lies between the kernel's step and step 18.
        Assert.That(Next(ref chains, 17, 21), Is.Null);
    }

    [Test]
    public void A_top_chain_the_kernel_passed_begins_again_at_the_newest_step()
    {
        var chains = new StepChains();
        chains.Begin();
        Assert.That(Next(ref chains, 0, 8), Is.EqualTo((8L, 0L)));
        chains.Timed(8, end: 3);
        // The kernel's thread is past step 8: a new top chain at the newest step, from the last end.
        Assert.That(Next(ref chains, 9, 30), Is.EqualTo((30L, 3L)));
        chains.Timed(30, end: 6);
        Assert.That(Next(ref chains, 9, 30), Is.EqualTo((19L, 6L)), "halfway between step 9 and step 30");
        chains.Timed(19, end: 11);
        Assert.That(Next(ref chains, 9, 31), Is.EqualTo((31L, 6L)), "the top chain goes on from step 30's end");
        // Beaten to step 31 (the kernel's thread is on it): nothing is left above the kernel's step.
        chains.Refused();
        Assert.That(Next(ref chains, 31, 31), Is.Null);
        // A new sample: nothing claimed; the guess (the last end) is kept.
        chains.Begin();
        Assert.That(Next(ref chains, 40, 40), Is.Null, "the kernel's thread is on the only captured step");
        Assert.That(Next(ref chains, 40, 45), Is.EqualTo((45L, 11L)));
    }
}
