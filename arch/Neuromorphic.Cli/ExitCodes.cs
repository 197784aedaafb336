namespace Neuromorphic.Cli;

/// <summary>Process exit codes (DESIGN.md section 5).</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Ok = 0;
    /// <summary>An internal error (a bug): the message says what and where.</summary>
    public const int InternalError = 1;
    /// <summary>Bad input: a one-line error names the file and the place.</summary>
    public const int BadInput = 2;
}
