using Spectre.Console;
using Spectre.Console.Rendering;

namespace Neuromorphic.Cli;

/// <summary>
/// The time left, once an estimate means something. Spectre's own column extrapolates from the first
/// updates, so a run showed an hour and a half left in its first second (the first samples of a run
/// compile code and fill caches); this one shows <c>--:--:--</c> until the task has run
/// <see cref="MinimumElapsed"/> and done <see cref="MinimumPercentage"/> percent.
/// </summary>
internal sealed class SteadyRemainingTimeColumn : ProgressColumn
{
    /// <summary>Time a task must have run before its time left is shown.</summary>
    public static readonly TimeSpan MinimumElapsed = TimeSpan.FromSeconds(3);

    /// <summary>Percent a task must have done before its time left is shown.</summary>
    public const double MinimumPercentage = 2;

    /// <inheritdoc />
    protected override bool NoWrap => true;

    /// <inheritdoc />
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
        new Text(Format(task.Percentage, task.ElapsedTime, task.RemainingTime), Style.Plain);

    /// <inheritdoc />
    public override int? GetColumnWidth(RenderOptions options) => 8;

    /// <summary>
    /// What the column shows for a task at <paramref name="percentage"/> percent after <paramref name="elapsed"/>, whose
    /// time left is estimated at <paramref name="remaining"/>: <c>--:--:--</c> while the estimate is unknown or too early
    /// to trust, <c>hh:mm:ss</c> otherwise (<c>99:59:59</c> at most).
    /// </summary>
    public static string Format(double percentage, TimeSpan? elapsed, TimeSpan? remaining)
    {
        if (remaining is not { } left || elapsed is not { } run || run < MinimumElapsed || percentage < MinimumPercentage) return "--:--:--";
        var seconds = (long)Math.Min(Math.Ceiling(Math.Max(0, left.TotalSeconds)), 99 * 3600 + 59 * 60 + 59);
        return $"{seconds / 3600:00}:{seconds / 60 % 60:00}:{seconds % 60:00}";
    }
}
