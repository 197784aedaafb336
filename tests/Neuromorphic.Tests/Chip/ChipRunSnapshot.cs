using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Arch.Reports;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>What tests compare of two chip runs that must be the same: the run directory, file by file, and the ledger.</summary>
internal static class ChipRunSnapshot
{
    /// <summary>The run directory <see cref="ChipRunFiles"/> writes for <paramref name="run"/> (relative path -> bytes, in ordinal order), written to a temporary directory that is deleted after.</summary>
    public static Dictionary<string, byte[]> Files(ChipProgram program, ChipRunResult run, double dt)
    {
        var directory = Path.Combine(Path.GetTempPath(), $"nm-run-{Guid.NewGuid():N}");
        try
        {
            ChipRunFiles.Write(directory, program, run, "test", 1, dt);
            return Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .ToDictionary(f => Path.GetRelativePath(directory, f), File.ReadAllBytes);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>Every ledger entry as a line (unit, layer, action, count).</summary>
    public static List<string> Ledger(Ledger ledger) => ledger.Entries().Select(e => $"{e.Key.Unit}|{e.Key.Layer}|{e.Key.Action}={e.Count}").ToList();

    /// <summary>Both runs wrote the same files, byte for byte (a file's name says which differs).</summary>
    public static void AssertSameFiles(IReadOnlyDictionary<string, byte[]> one, IReadOnlyDictionary<string, byte[]> two)
    {
        Assert.That(one.Keys, Is.Not.Empty);
        Assert.That(two.Keys, Is.EqualTo(one.Keys));
        foreach (var (name, bytes) in one) Assert.That(two[name], Is.EqualTo(bytes), name);
    }
}
