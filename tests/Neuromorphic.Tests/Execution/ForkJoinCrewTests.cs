using Neuromorphic.Sim.Execution;
using NUnit.Framework;

namespace Neuromorphic.Tests.Execution;

/// <summary>The fork-join crew CUBA's parallel run steps with: every participant once per round, failures to the caller, a prompt stop.</summary>
[NonParallelizable]
public sealed class ForkJoinCrewTests
{
    [Test]
    public void EveryParticipantRunsOncePerRoundEvenWithMoreParticipantsThanCores()
    {
        var participants = Environment.ProcessorCount + 2;
        const int rounds = 200;
        var runs = new int[participants * 16]; // a cache line apart: each participant writes its own
        using (var crew = new ForkJoinCrew(participants, p => runs[p * 16]++))
        {
            Assert.That(crew.Participants, Is.EqualTo(participants));
            for (var round = 1; round <= rounds; round++)
            {
                crew.RunRound();
                // The round returns only once every participant's work is done and visible to the caller.
                for (var p = 0; p < participants; p++) Assert.That(runs[p * 16], Is.EqualTo(round), $"participant {p} after round {round}");
            }
        }
    }

    [Test]
    public void AFailingParticipantsExceptionReachesTheCallerAndLaterRoundsStillRun()
    {
        var round = 0;
        var done = new int[3 * 16];
        using var crew = new ForkJoinCrew(3, p =>
        {
            if (p == 2 && Volatile.Read(ref round) == 3) throw new InvalidOperationException("participant 2 fails in round 3");
            done[p * 16]++;
        });
        for (round = 1; round <= 5; round++)
        {
            if (round == 3)
            {
                var failure = Assert.Throws<AggregateException>(crew.RunRound);
                Assert.That(failure!.InnerExceptions.Single(), Is.TypeOf<InvalidOperationException>());
                continue;
            }
            crew.RunRound();
        }
        Assert.That(new[] { done[0], done[16], done[32] }, Is.EqualTo(new[] { 5, 5, 4 }));
    }

    [Test]
    public void DisposeStopsIdleHelpersAndLaterRoundsAreRefused()
    {
        var crew = new ForkJoinCrew(Environment.ProcessorCount + 1, _ => { });
        crew.RunRound();
        // A hang guard, not a timing: the helpers wait spinning and must notice the stop.
        Assert.That(Task.Run(crew.Dispose).Wait(TimeSpan.FromSeconds(30)), Is.True, "Dispose returned");
        Assert.Throws<ObjectDisposedException>(crew.RunRound);
        crew.Dispose(); // twice is harmless
    }
}
