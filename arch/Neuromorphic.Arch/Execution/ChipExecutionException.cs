namespace Neuromorphic.Arch.Execution;

/// <summary>The network cannot run on the chip as given (e.g. a real-valued input on word lines): bad input, exit 2.</summary>
public sealed class ChipExecutionException(string message) : Exception(message);
