using System.CommandLine;
using Neuromorphic.Cli.Commands;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Traces;

namespace Neuromorphic.Cli;

/// <summary>
/// The <c>neuromorphic</c> command line: builds the command tree and maps failures to exit codes
/// (0 ok, 2 bad input with a one-line message naming file and place, 1 internal error).
/// </summary>
internal static class CliApp
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr, bool interactive = false)
    {
        var terminal = new Terminal(stdout, stderr, interactive);
        var root = new RootCommand("Neuromorphic: a cycle-level, event-driven co-simulator for neuromorphic hardware (RRAM in-memory compute, spiking networks).");
        root.Subcommands.Add(RunCommand.Create(terminal));
        root.Subcommands.Add(InspectCommand.Create(terminal));
        root.Subcommands.Add(BenchCommand.Create(terminal));
        root.Subcommands.Add(ConvertCommand.Create(terminal));
        root.Subcommands.Add(ReportCommand.Create(terminal));
        root.Subcommands.Add(SweepCommand.Create(terminal));
        root.Subcommands.Add(ReplayCommand.Create(terminal));
        var maxMemory = RunLimits.MaxMemoryOption();
        var maxPoints = RunLimits.MaxPointsOption();
        root.Options.Add(maxMemory);
        root.Options.Add(maxPoints);

        if (args.Length == 0) args = ["--help"];
        if (EmptyValue(args) is { } empty)
        {
            stderr.WriteLine(ErrorText.Line($"error: {empty} (an unset shell variable?)"));
            return ExitCodes.BadInput;
        }
        var parse = root.Parse(args);
        if (ParseErrorText.Of(parse) is { } problem)
        {
            stderr.WriteLine(ErrorText.Line($"error: {problem}"));
            return ExitCodes.BadInput;
        }
        try
        {
            terminal.Limits = RunLimits.From(parse.GetValue(maxMemory), parse.GetValue(maxPoints));
            return parse.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr, EnableDefaultExceptionHandler = false });
        }
        catch (Exception ex) when (IsBadInput(ex))
        {
            stderr.WriteLine(ErrorText.Line($"error: {UserMessages.Of(ex)}"));
            return ExitCodes.BadInput;
        }
        catch (Exception ex)
        {
            // Two lines: what went wrong, and where in the program (for the bug report).
            stderr.WriteLine(ErrorText.Line($"internal error: {ex.GetType().Name}: {ex.Message}"));
            stderr.WriteLine(ErrorText.Line("  " + (ex.StackTrace?.Split('\n').FirstOrDefault()?.Trim() ?? "at ?")));
            return ExitCodes.InternalError;
        }
        finally
        {
            // A command bounds MathNet's process-wide thread setting to its --threads: an in-process caller keeps its own.
            ThreadsOption.UnboundLibraries();
        }
    }

    /// <summary>
    /// No option or argument takes an empty value; one reached the file APIs as an internal error
    /// (--input "", report ""). Returns what is wrong, or null.
    /// </summary>
    private static string? EmptyValue(string[] args)
    {
        for (var i = 0; i < args.Length; i++)
            if (string.IsNullOrWhiteSpace(args[i]))
                return i > 0 && args[i - 1].StartsWith('-') ? $"{args[i - 1]} needs a value, found an empty one" : $"argument {i + 1} is empty";
        return null;
    }

    /// <summary>True for the exceptions the command line reports as bad input (exit 2).</summary>
    internal static bool IsBadInput(Exception ex) =>
        ex is InputFormatException or UsageException or NetworkException or Neuromorphic.Arch.Mapping.MappingException or Neuromorphic.Arch.Execution.ChipExecutionException or DirectoryNotFoundException
            or UnauthorizedAccessException
        // A missing input file is the user's; a missing assembly is ours.
        || ex is FileNotFoundException f && !f.Message.StartsWith("Could not load file or assembly", StringComparison.Ordinal);
}
