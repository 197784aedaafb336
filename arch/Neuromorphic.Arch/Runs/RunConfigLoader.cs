using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Lsm;
using Neuromorphic.Arch.Yaml;
using Neuromorphic.Sim.Neurons;

namespace Neuromorphic.Arch.Runs;

/// <summary>
/// Reads a run configuration (YAML; a preset by name). The <c>architecture</c> key is a preset
/// name, a file (relative to the configuration) or an inline mapping with the keys of an
/// architecture file. Every key is checked; errors name the file, line and dotted key.
/// </summary>
public static class RunConfigLoader
{
    /// <summary>The run preset <c>neuromorphic run</c> uses without arguments.</summary>
    public const string DefaultPreset = "rram-lsm-40nm";

    /// <summary>Loads a preset by name or a file by path.</summary>
    public static RunConfig Load(string nameOrPath)
    {
        if (Presets.TryRead(nameOrPath, out var text, out var origin)) return Parse(text, origin);
        if (!File.Exists(nameOrPath))
            throw new FileNotFoundException($"{nameOrPath}: no such file or run preset (run presets: {string.Join(", ", Presets.RunNames)})");
        return Parse(YamlFile.ReadText(nameOrPath), nameOrPath);
    }

    /// <summary>True if the YAML text is a run configuration (it has a workload or an lsm section) rather than an architecture.</summary>
    public static bool IsRunConfig(string nameOrPath)
    {
        if (!File.Exists(nameOrPath)) return Presets.RunNames.Contains(nameOrPath);
        if (!nameOrPath.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) && !nameOrPath.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)) return false;
        var root = YamlFile.Parse(YamlFile.ReadText(nameOrPath), nameOrPath);
        return root.Has("workload") || root.Has("lsm") || root.Has("transformer") || root.Has("network");
    }

    /// <summary>The keys a run configuration may have at its top level.</summary>
    private static readonly string[] TopLevelKeys =
        ["name", "description", "seed", "architecture", "workload", "encoding", "transformer", "network", "lsm", "readout", "semantics", "reset_mechanism"];

    /// <summary>Top-level keys of a sweep file that a run configuration does not have (a sweep given to <c>run</c>).</summary>
    private static readonly HashSet<string> SweepKeys = new(StringComparer.Ordinal) { "base", "set", "parameters", "objectives", "metrics", "mode" };

    /// <summary>Parses a run configuration.</summary>
    public static RunConfig Parse(string text, string file)
    {
        var root = YamlFile.Parse(text, file);
        root.RejectKeysOtherThan(TopLevelKeys, key => SweepKeys.Contains(key)
            ? $"'{key}' is a sweep file's key: run a sweep with 'neuromorphic sweep FILE'" : null);
        var config = new RunConfig
        {
            Name = root.String("name"),
            Description = root.String("description", ""),
            Origin = file,
            Text = text,
            ConfigHash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant(),
            Seed = root.ULong("seed", 1),
            Architecture = ReadArchitecture(root, file),
            Workload = ReadWorkload(root.Section("workload"), file),
            Encoding = ReadEncoding(root.Section("encoding")),
            Transformer = root.Section("transformer") is { } t ? ReadTransformer(t, file) : null,
            Network = root.Section("network") is { } n ? ReadNetwork(n, file) : null,
            Lsm = (root.Has("transformer") || root.Has("network")) && !root.Has("lsm") ? new LsmParameters()
                : ReadLsm(root.Section("lsm") ?? throw root.Error("lsm", "missing required section (or a transformer or network section)")),
            Readout = ReadReadout(root.Section("readout")),
            Semantics = ReadSemantics(root),
        };
        root.RejectUnknownKeys();
        CheckTogether(root, config);
        return config;
    }

    private static NetworkRunSpec ReadNetwork(YamlSection s, string file)
    {
        var nir = s.String("nir");
        var folder = File.Exists(file) ? Path.GetDirectoryName(Path.GetFullPath(file)) ?? "." : ".";
        if (!Path.IsPathRooted(nir) && File.Exists(file)) nir = Path.Combine(folder, nir);
        var spec = new NetworkRunSpec(nir, s.Has("dt") ? s.Double("dt", null, 1e-9, 10) : null);
        s.RejectUnknownKeys();
        return spec;
    }

    /// <summary>Checks between sections: what the LSM path needs of the architecture, and readout against encoding.</summary>
    private static void CheckTogether(YamlSection root, RunConfig config)
    {
        if (config.Transformer is not null || config.Network is not null) return;
        if (config.Architecture.Macro.Device.PulseDistribution is null)
            throw root.HasMapping("architecture")
                ? root.ErrorAt("architecture", "macro", "the device has no pulse_distribution: the LSM's weights are stochastically programmed conductances (macro.device.pulse_distribution)")
                : root.Error("architecture", $"'{config.Architecture.Name}' has no pulse_distribution for its device: the LSM's weights are stochastically programmed conductances");
        if (config.Readout.FeatureBins > config.Encoding.Timesteps)
            throw root.ErrorAt("readout", "feature_bins", $"{config.Readout.FeatureBins} feature bins for {config.Encoding.Timesteps} timesteps: a bin needs at least one timestep");
    }

    private static ArchitectureSpec ReadArchitecture(YamlSection root, string file)
    {
        // Inline (a mapping) or by name: a preset or a file next to the configuration.
        if (root.HasMapping("architecture"))
        {
            return ArchitectureLoader.Parse(root.Section("architecture")!, file);
        }
        // A preset name or a file (relative to the configuration).
        var name = root.String("architecture").Trim();
        if (name.Length == 0) throw root.Error("architecture", $"empty: give an architecture preset ({string.Join(", ", Presets.ArchitectureNames)}), a file or an inline mapping");
        if (Presets.ArchitectureNames.Contains(name)) return ArchitectureLoader.Load(name);
        var folder = File.Exists(file) ? Path.GetDirectoryName(Path.GetFullPath(file)) ?? "." : ".";
        var candidate = Path.IsPathRooted(name) ? name : Path.Combine(folder, name);
        if (!File.Exists(candidate))
            throw root.Error("architecture", $"'{name}' is neither a file nor an architecture preset (presets: {string.Join(", ", Presets.ArchitectureNames)})");
        return ArchitectureLoader.Load(candidate);
    }

    private static WorkloadSpec ReadWorkload(YamlSection? s, string file)
    {
        if (s is null) return new WorkloadSpec();
        var kind = s.Choice("kind", "builtin", "builtin", "nmnist", "events");
        string? path = null;
        if (kind is "nmnist" or "events")
        {
            path = s.String("path");
            var folder = File.Exists(file) ? Path.GetDirectoryName(Path.GetFullPath(file)) ?? "." : ".";
            if (!Path.IsPathRooted(path) && File.Exists(file)) path = Path.Combine(folder, path);
        }
        var w = new WorkloadSpec
        {
            Kind = kind,
            Classes = s.Int("classes", 12, Neuromorphic.Sim.Workloads.SaccadeWorkloadParameters.MinClasses, Neuromorphic.Sim.Workloads.SaccadeWorkloadParameters.MaxClasses),
            SamplesPerClass = s.Int("samples_per_class", 40, 2, 100_000),
            Path = path,
            MaxPerClass = s.Int("max_per_class", 0, 0, int.MaxValue),
            EventOptions = new Neuromorphic.Traces.Events.Formats.EventFileOptions
            {
                Aedat2Layout = Neuromorphic.Traces.Events.Formats.Aedat2LayoutNames.Parse(
                    s.Choice("aedat2_layout", "dvs128", [.. Neuromorphic.Traces.Events.Formats.Aedat2LayoutNames.All]))!.Value,
                Width = s.Int("sensor_width", 0, 0, 1 << 16),
                Height = s.Int("sensor_height", 0, 0, 1 << 16),
                StreamId = s.Int("aedat4_stream", -1, -1, int.MaxValue) is var id and >= 0 ? id : null,
            },
        };
        s.RejectUnknownKeys();
        return w;
    }

    private static EncodingSpec ReadEncoding(YamlSection? s)
    {
        if (s is null) return new EncodingSpec();
        var e = new EncodingSpec
        {
            Timesteps = s.Int("timesteps", 50, 1, 1_000_000),
            DurationUs = (long)s.Double("duration_us", 300_000, 1, 1e12),
            Crop = s.Int("crop", 0, 0, 1 << 16),
            Downsample = s.Int("downsample", 1, 1, 1 << 10),
            Polarity = s.Choice("polarity", "on", "on", "off", "both"),
            Binary = s.Bool("binary", true),
        };
        s.RejectUnknownKeys();
        return e;
    }

    private static LsmParameters ReadLsm(YamlSection s)
    {
        var p = new LsmParameters
        {
            Neurons = s.Int("neurons", 200, 1, LsmParameters.MaxNeurons),
            ExcitatoryFraction = s.Double("excitatory_fraction", 0.8, 0, 1),
            Connectivity = s.Choice("connectivity", "uniform", "uniform", "distance") == "uniform" ? ReservoirConnectivity.Uniform : ReservoirConnectivity.Distance,
            ConnectionProbability = s.Double("connection_probability", 0.1, 0, 1),
            Grid = s.Has("grid") ? s.Doubles("grid", 1, 1 << 12).Select(x => (int)x).ToArray() : [5, 5, 8],
            Lambda = s.Double("lambda", 2.0, 1e-6, 1e6),
            DistanceC = s.Has("distance_c") ? s.Doubles("distance_c", 0, 1) : [0.3, 0.2, 0.4, 0.1],
            InputFanIn = s.Has("input_fan_in") && string.Equals(s.String("input_fan_in"), "all", StringComparison.OrdinalIgnoreCase)
                ? LsmParameters.AllInputs : s.Int("input_fan_in", 32, 0, 1 << 20),
            InputGain = s.Double("input_gain", 0.07, 0, 1e6),
            InputSigns = s.Choice("input_signs", "positive", "positive", "random", "differential") switch
            {
                "positive" => InputSigns.Positive,
                "random" => InputSigns.Random,
                _ => InputSigns.Differential,
            },
            RecurrentSigns = s.Choice("recurrent_signs", "excitatory_inhibitory", "excitatory_inhibitory", "differential") == "differential"
                ? RecurrentSigns.Differential : RecurrentSigns.ExcitatoryInhibitory,
            RecurrentGain = s.Double("recurrent_gain", 0.07, 0, 1e6),
            ExcitatoryGain = s.Double("excitatory_gain", 0.05, 0, 1e6),
            InhibitoryGain = s.Double("inhibitory_gain", 0.1, 0, 1e6),
            Decay = s.Double("decay", 0.9, 0, 1),
            Threshold = s.Double("threshold", 5.0),
        };
        s.RejectUnknownKeys();
        try { p.Validate(); }
        catch (ArgumentException ex) { throw s.Error(ex.Message.Split(' ')[0].Replace("lsm.", ""), ex.Message); }
        return p;
    }

    private static TransformerRunSpec ReadTransformer(YamlSection s, string file)
    {
        string? rates = s.Has("rates_file") ? s.String("rates_file") : null;
        if (rates is not null && !Path.IsPathRooted(rates) && File.Exists(file))
            rates = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", rates);
        string? weights = s.Has("weights") ? s.String("weights") : null;
        if (weights is not null && !Path.IsPathRooted(weights) && File.Exists(file))
            weights = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", weights);
        string? dataset = s.Has("dataset") ? s.String("dataset") : null;
        if (dataset is not null && !Path.IsPathRooted(dataset) && File.Exists(file))
            dataset = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? ".", dataset);
        var t = new TransformerRunSpec
        {
            Model = s.String("model").Replace("model:", ""),
            ImageSize = s.Int("image_size", 224, 8, 4096),
            Timesteps = s.Int("timesteps", 4, 1, 1000),
            Classes = s.Int("classes", 1000, 2, 100_000),
            Mode = s.Choice("mode", "rates", "rates", "functional"),
            UniformRate = s.Double("uniform_rate", 0.15, 0, 1),
            RatesFile = rates,
            Samples = s.Int("samples", 4, 1, 100_000),
            EarlyExit = s.Double("early_exit", 0, 0, 1),
            Weights = weights,
            Reparameterise = s.Bool("reparameterise", true),
            ChipCompute = s.Choice("chip_compute", "hardware", "hardware", "software"),
            SoftwareReference = s.Bool("software_reference", true),
            Dataset = dataset,
            TrainPerClass = s.Int("train_per_class", 10, 1, 100_000),
        };
        s.RejectUnknownKeys();
        return t;
    }

    /// <summary>The top-level <c>semantics</c> and <c>reset_mechanism</c> keys (docs/nir-semantics.md).</summary>
    private static Discretisation ReadSemantics(YamlSection root)
    {
        var semantics = root.Choice("semantics", "nir", "nir", "snntorch", "norse");
        var reset = root.Choice("reset_mechanism", "value", "value", "zero", "subtract");
        Discretisation.TryParse(semantics, out NirSemantics parsed);
        Discretisation.TryParse(reset, out ResetMechanism parsedReset);
        return new Discretisation(parsed, parsedReset);
    }

    private static ReadoutParameters ReadReadout(YamlSection? s)
    {
        if (s is null) return new ReadoutParameters();
        var r = new ReadoutParameters
        {
            FeatureBins = s.Int("feature_bins", 10, 1, 1 << 16),
            TestFraction = s.Double("test_fraction", 0.25, 1e-6, 1 - 1e-6),
            ValidationFraction = s.Double("validation_fraction", 0.2, 1e-6, 1 - 1e-6),
            Lambdas = s.Has("lambdas") ? s.Doubles("lambdas", 1e-12, 1e12) : new ReadoutParameters().Lambdas,
            Readouts = s.Has("readouts") ? ReadReadoutKinds(s) : new ReadoutParameters().Readouts,
            Softmax = ReadAdam(s.Section("softmax")),
        };
        s.RejectUnknownKeys();
        if (r.Lambdas.Count == 0) throw s.Error("lambdas", "empty list: the readout needs at least one regularisation strength to try");
        try { r.Validate(); }
        catch (ArgumentException ex) { throw s.Error(ex.Message.Split(' ')[0].Replace("readout.", "", StringComparison.Ordinal).Split('.')[0], ex.Message); }
        return r;
    }

    private static IReadOnlyList<ReadoutKind> ReadReadoutKinds(YamlSection s)
    {
        var kinds = s.Scalars("readouts").Select(name => name.ToLowerInvariant() switch
        {
            "ridge" => ReadoutKind.Ridge,
            "softmax" => ReadoutKind.Softmax,
            _ => throw s.Error("readouts", $"'{name}' is not one of ridge, softmax"),
        }).ToList();
        if (kinds.Count == 0 || kinds.Distinct().Count() != kinds.Count) throw s.Error("readouts", "name each readout (ridge, softmax) at most once, at least one");
        return kinds;
    }

    private static Neuromorphic.Sim.Learning.AdamSchedule ReadAdam(YamlSection? s)
    {
        var defaults = new Neuromorphic.Sim.Learning.AdamSchedule();
        if (s is null) return defaults;
        var a = new Neuromorphic.Sim.Learning.AdamSchedule
        {
            LearningRate = s.Double("learning_rate", defaults.LearningRate, 1e-12, 1e3),
            BatchSize = s.Int("batch", defaults.BatchSize, 1, 1 << 24),
            Epochs = s.Int("epochs", defaults.Epochs, 1, 1 << 24),
            Steps = (long)s.Double("steps", 0, 0, 1e9),
        };
        s.RejectUnknownKeys();
        return a;
    }
}
