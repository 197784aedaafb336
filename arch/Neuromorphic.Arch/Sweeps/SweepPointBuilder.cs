using System.Security.Cryptography;
using System.Text;
using Neuromorphic.Arch.Runs;
using Neuromorphic.Traces;
using YamlDotNet.RepresentationModel;

namespace Neuromorphic.Arch.Sweeps;

/// <summary>
/// Builds a sweep's points (<see cref="SweepPoints"/>) one after another from one parsed copy of the base configuration,
/// for one worker: parsing the base again for every point was about 40 % of building one.
/// </summary>
/// <remarks>
/// A point writes the same paths in the same order whatever its values (the sweep's seed, the fixed overrides, every
/// parameter and its other paths), each as a new scalar, and a key a section lacks is appended the first time: so the tree after
/// one point's writes, and its text, are the same whether the previous point's values were there or the base's. The one
/// exception is a write through a key an earlier write turned into a scalar (parameters <c>a</c> and <c>a.b</c>): it
/// fails on the reused tree where it may not on a fresh one, so a point that fails is built again from a fresh parse
/// and gives the fresh parse's point or error.
/// </remarks>
public sealed class SweepPointBuilder
{
    private readonly SweepSpec _spec;
    private YamlStream _stream = new();
    private bool _fresh;

    /// <summary>A builder of <paramref name="spec"/>'s points (not thread-safe: one per worker).</summary>
    public SweepPointBuilder(SweepSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        _spec = spec;
        Parse();
    }

    /// <summary>Point <paramref name="index"/>, the same (text, hash, seed) as from a fresh parse of the base.</summary>
    /// <exception cref="InputFormatException">A path that is not a key of the configuration, named with its line in the sweep file.</exception>
    public SweepPoint Point(int index)
    {
        if (!_fresh)
        {
            try { return Build(index); }
            catch (InputFormatException) { Parse(); }
        }
        _fresh = false;
        return Build(index);
    }

    private void Parse()
    {
        // The base text was checked by the loader (one document, a mapping, bounded nesting).
        _stream = new YamlStream();
        _stream.Load(new StringReader(_spec.BaseText));
        _fresh = true;
    }

    private SweepPoint Build(int index)
    {
        var spec = _spec;
        var values = new List<(string Path, string Value)>();
        var rest = index;
        for (var k = spec.Parameters.Count - 1; k >= 0; k--)
        {
            var p = spec.Parameters[k];
            var i = spec.Grid ? rest % p.Values.Count : index;
            if (spec.Grid) rest /= p.Values.Count;
            values.Insert(0, (p.Path, p.Values[i]));
        }
        // No seed of the point's own: every point runs with the one the common writes leave (common random numbers), or
        // the value of a swept `seed`. A seed derived from the point's values drew another workload, reservoir and
        // programming at every point, and the differences a sweep measured were the seed-to-seed spread.
        var root = (YamlMappingNode)_stream.Documents[0].RootNode;
        SweepPoints.SetCommon(root, spec);
        foreach (var (p, (_, value)) in spec.Parameters.Zip(values))
        {
            SweepPoints.Set(root, p, value, spec.File);
            foreach (var also in p.AlsoPaths ?? []) SweepPoints.Set(root, p with { Path = also }, value, spec.File);
        }
        var writer = new StringWriter();
        _stream.Save(writer, assignAnchors: false);
        var text = writer.ToString();
        // Parse it: a path the configuration does not know is an unknown key there.
        ulong seed;
        try
        {
            seed = RunConfigLoader.Parse(text, $"{spec.File} point {index}").Seed;
        }
        catch (InputFormatException ex)
        {
            var culprit = spec.Parameters.Concat(spec.Fixed).FirstOrDefault(p => ex.Message.Contains("(" + p.Path + ")", StringComparison.Ordinal)
                || ex.Location.Contains(p.Path, StringComparison.Ordinal));
            var where = culprit is null ? "" : $"line {culprit.Line} ({culprit.Path})";
            throw new InputFormatException(spec.File, where, $"point {index}: {ex.Problem}");
        }
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16].ToLowerInvariant();
        return new SweepPoint(index, values, text, hash, seed);
    }
}
