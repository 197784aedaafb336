using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Costs;

namespace Neuromorphic.Cli.Commands;

/// <summary>
/// NIR graph runs on the chip and replays price leakage with the chip executor's own account, over the busy time (the
/// <c>idle</c> policy), whatever <c>power.gating</c> says; their <c>summary.json</c> records <c>power_gating: idle</c>,
/// and a file that asks for another policy is told so on stderr.
/// </summary>
internal static class PowerPolicyNote
{
    /// <summary>Writes the one-line note when <paramref name="spec"/> asks for a policy other than idle.</summary>
    /// <param name="terminal">Where the note goes (stderr).</param>
    /// <param name="spec">The architecture.</param>
    /// <param name="source">The architecture's file or preset, named in the note.</param>
    public static void Warn(Terminal terminal, ArchitectureSpec spec, string source)
    {
        if (spec.Power == PowerGating.Idle) return;
        var name = spec.Power == PowerGating.None ? "none" : "per_unit";
        terminal.Error.WriteLine($"note: {source}: power.gating {name} is not applied to this chip run; its leakage is priced over the busy time (idle)");
    }
}
