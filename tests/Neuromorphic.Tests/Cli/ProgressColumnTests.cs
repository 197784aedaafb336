using Neuromorphic.Cli;
using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

/// <summary>The progress bar's time left is shown only once the estimate can mean something.</summary>
public class ProgressColumnTests
{
    private static readonly TimeSpan Early = TimeSpan.FromSeconds(1), Later = TimeSpan.FromSeconds(10);

    [Test]
    public void Too_early_or_unknown_shows_no_estimate()
    {
        // In the first second a run's first updates extrapolated to an hour and a half left.
        Assert.That(SteadyRemainingTimeColumn.Format(0.5, Early, TimeSpan.FromSeconds(5109)), Is.EqualTo("--:--:--"));
        Assert.That(SteadyRemainingTimeColumn.Format(50, Early, TimeSpan.FromSeconds(1)), Is.EqualTo("--:--:--"), "under the minimum time");
        Assert.That(SteadyRemainingTimeColumn.Format(1, Later, TimeSpan.FromSeconds(990)), Is.EqualTo("--:--:--"), "under the minimum share");
        Assert.That(SteadyRemainingTimeColumn.Format(50, Later, null), Is.EqualTo("--:--:--"));
        Assert.That(SteadyRemainingTimeColumn.Format(50, null, TimeSpan.FromSeconds(10)), Is.EqualTo("--:--:--"));
    }

    [Test]
    public void A_settled_estimate_is_shown_in_hours_minutes_and_seconds()
    {
        Assert.That(SteadyRemainingTimeColumn.Format(50, Later, TimeSpan.FromSeconds(9.2)), Is.EqualTo("00:00:10"), "rounded up");
        Assert.That(SteadyRemainingTimeColumn.Format(2, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(3725)), Is.EqualTo("01:02:05"));
        Assert.That(SteadyRemainingTimeColumn.Format(100, Later, TimeSpan.Zero), Is.EqualTo("00:00:00"));
        Assert.That(SteadyRemainingTimeColumn.Format(10, Later, TimeSpan.FromDays(30)), Is.EqualTo("99:59:59"), "capped");
    }
}
