namespace Neuromorphic.Arch.Runs.Records;

/// <summary>The identity block every configured run's record starts with, written in one place so the keys and their order agree.</summary>
public static class RunIdentity
{
    /// <summary>A record holding tool version, configuration file and hash, name, seed, architecture and technology node.</summary>
    public static RunRecord Start(RunConfig config) => new RunRecord()
        .Text("tool_version", typeof(RunIdentity).Assembly.GetName().Version?.ToString())
        .Text("config", config.Origin)
        .Text("config_hash", config.ConfigHash)
        .Text("name", config.Name)
        .Count("seed", config.Seed)
        .Text("architecture", config.Architecture.Name)
        .Number("technology_nm", config.Architecture.TechnologyNm);
}
