using System.Reflection;

namespace Neuromorphic.Arch.Architecture;

/// <summary>The architecture presets shipped in <c>arch/presets/</c> (embedded in the assembly).</summary>
public static class Presets
{
    private const string Prefix = "presets/";

    /// <summary>Names of the presets (file names without <c>.yaml</c>).</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(Presets).Assembly.GetManifestResourceNames()
        .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal) && n.EndsWith(".yaml", StringComparison.Ordinal))
        .Select(n => n[Prefix.Length..^".yaml".Length]).Order(StringComparer.Ordinal).ToList();

    /// <summary>Presets that describe an architecture (the others are run configurations, with a workload and a network).</summary>
    public static IReadOnlyList<string> ArchitectureNames { get; } = Names.Where(n => !IsRun(n)).ToList();

    /// <summary>Presets that are run configurations (<c>neuromorphic run NAME</c>).</summary>
    public static IReadOnlyList<string> RunNames { get; } = Names.Where(IsRun).ToList();

    private static bool IsRun(string name)
    {
        using var stream = typeof(Presets).Assembly.GetManifestResourceStream(Prefix + name + ".yaml")!;
        using var reader = new StreamReader(stream);
        // A run configuration has top-level workload or lsm sections (cheap test: no YAML parse needed).
        for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
            if (line.StartsWith("workload:", StringComparison.Ordinal) || line.StartsWith("lsm:", StringComparison.Ordinal)
                || line.StartsWith("transformer:", StringComparison.Ordinal)) return true;
        return false;
    }

    /// <summary>The YAML text of a preset given by name (or by a path ending in a preset's file name that does not exist on disk).</summary>
    public static bool TryRead(string nameOrPath, out string text, out string origin)
    {
        var name = nameOrPath.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) ? nameOrPath[..^5] : nameOrPath;
        text = "";
        origin = "";
        if (File.Exists(nameOrPath) || !Names.Contains(name, StringComparer.Ordinal)) return false;
        using var stream = typeof(Presets).Assembly.GetManifestResourceStream(Prefix + name + ".yaml")!;
        using var reader = new StreamReader(stream);
        text = reader.ReadToEnd();
        origin = $"preset:{name}";
        return true;
    }
}
