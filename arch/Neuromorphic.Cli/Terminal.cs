using Spectre.Console;

namespace Neuromorphic.Cli;

/// <summary>
/// Where a command writes: a Spectre console for people (tables, progress when attached to a
/// terminal) and the raw writers for machine-readable output such as <c>--json</c>.
/// </summary>
internal sealed class Terminal
{
    /// <summary>Creates the terminal over the given writers.</summary>
    public Terminal(TextWriter stdout, TextWriter stderr, bool interactive)
    {
        Out = stdout;
        Error = stderr;
        Interactive = interactive;
        Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(stdout),
            Ansi = interactive ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = interactive ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!interactive) Console.Profile.Width = 120;
    }

    /// <summary>Plain standard output.</summary>
    public TextWriter Out { get; }
    /// <summary>Plain standard error.</summary>
    public TextWriter Error { get; }
    /// <summary>True when a person is watching (stdout is a terminal): show progress.</summary>
    public bool Interactive { get; }
    /// <summary>The Spectre console over standard output.</summary>
    public IAnsiConsole Console { get; }
    /// <summary>The resource guard's limits of this invocation (<c>--max-memory</c>, <c>--max-points</c>).</summary>
    public RunLimits Limits { get; set; } = RunLimits.Default;

    /// <summary>Runs <paramref name="work"/> with a progress bar when interactive, silently otherwise.</summary>
    public T WithProgress<T>(string label, Func<Action<double>, T> work)
    {
        if (!Interactive) return work(_ => { });
        T result = default!;
        Console.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SteadyRemainingTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
        {
            var task = ctx.AddTask(Markup.Escape(label), maxValue: 1.0);
            result = work(fraction => task.Value = Math.Clamp(fraction, 0, 1));
        });
        return result;
    }

    /// <summary>
    /// Runs <paramref name="work"/>, whose progress cannot be measured, with an indeterminate bar, the
    /// elapsed time and a spinner when interactive (a person sees it is working, without a 0 % bar
    /// that never moves); silently otherwise.
    /// </summary>
    public T WithActivity<T>(string label, Func<T> work)
    {
        if (!Interactive) return work();
        T result = default!;
        Console.Progress().AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
        {
            ctx.AddTask(Markup.Escape(label), maxValue: 1.0).IsIndeterminate(true);
            result = work();
        });
        return result;
    }
}
