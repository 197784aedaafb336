namespace Neuromorphic.Cli.Commands;

/// <summary>
/// Prints a run's <c>warnings</c> (the list <c>summary.json</c> holds: a silent or saturated reservoir, a layer silent
/// on the chip, accuracy at chance, ...) on standard error, one <c>warning: ...</c> line each, so a table or JSON on
/// standard output stays as it is.
/// </summary>
internal static class RunWarnings
{
    public static void Print(Terminal terminal, IEnumerable<string> warnings)
    {
        foreach (var warning in warnings) terminal.Error.WriteLine($"warning: {warning}");
    }
}
