namespace Neuromorphic.Cli;

/// <summary>Entry point of the <c>neuromorphic</c> command.</summary>
internal static class Program
{
    private static int Main(string[] args) => CliApp.Run(args, Console.Out, Console.Error, interactive: !Console.IsOutputRedirected);
}
