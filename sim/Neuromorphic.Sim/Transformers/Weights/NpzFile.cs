using System.IO.Compression;
using Neuromorphic.Traces;

namespace Neuromorphic.Sim.Transformers.Weights;

/// <summary>
/// Reads NumPy <c>.npz</c> archives (<c>numpy.savez</c> / <c>savez_compressed</c>): a zip of
/// <c>NAME.npy</c> members, each read by <see cref="Npy"/>. Tensor names are the member names
/// without <c>.npy</c>.
/// </summary>
public static class NpzFile
{
    /// <summary>Opens an archive: reads every member's header; values are read on demand.</summary>
    /// <exception cref="InputFormatException">Not a zip, or a member that is not a .npy array.</exception>
    public static TensorArchive Open(string path)
    {
        var infos = new List<TensorInfo>();
        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.EndsWith(".npy", StringComparison.Ordinal)) continue;
                var name = entry.FullName[..^4];
                var array = ReadMember(path, entry);
                infos.Add(new TensorInfo(name, array.Shape.Select(d => (long)d).ToArray(), array.Descr, IsFloat(array.Descr)));
                members[name.StartsWith("module.", StringComparison.Ordinal) ? name["module.".Length..] : name] = entry.FullName;
            }
        }
        catch (InvalidDataException ex)
        {
            throw new InputFormatException(path, "", "not a valid .npz (zip) archive", ex);
        }
        return new TensorArchive(path, infos, info =>
        {
            using var zip = ZipFile.OpenRead(path);
            var entry = zip.GetEntry(members[info.Name]) ?? throw new InputFormatException(path, $"member '{members[info.Name]}'", "disappeared");
            return ReadMember(path, entry).ToSingleArray();
        });
    }

    private static NpyArray ReadMember(string path, ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var copy = new MemoryStream(checked((int)entry.Length));
        stream.CopyTo(copy);
        copy.Position = 0;
        return Npy.Read(copy, $"{path}[{entry.FullName}]");
    }

    private static bool IsFloat(string descr) => descr.Length >= 2 && descr[1] == 'f';
}
