namespace Neuromorphic.Cli;

/// <summary>A command line that asks for something impossible (missing option, out-of-range value): exit 2.</summary>
internal sealed class UsageException(string message) : Exception(message);
