namespace Neuromorphic.Arch.Mapping;

/// <summary>A network that does not fit the architecture (too many macros): bad input, exit 2.</summary>
public sealed class MappingException(string message) : Exception(message);
