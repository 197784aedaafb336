using NUnit.Framework;

namespace Neuromorphic.Tests.Nir;

/// <summary>
/// Finds the third-party NIR reference files. The copy in <c>tests/Neuromorphic.Tests/Fixtures/nir</c>
/// (copied to the test output folder by the project file) is preferred; otherwise the folders above the
/// test directory are searched for <c>tests/Neuromorphic.Tests/Fixtures/nir</c> and then for
/// <c>shared/fixtures/nir</c> (the shared folder beside the repository).
/// </summary>
public static class FixturePaths
{
    private static readonly string[] Candidates =
    [
        Path.Combine("Fixtures", "nir"),
        Path.Combine("tests", "Neuromorphic.Tests", "Fixtures", "nir"),
    ];

    /// <summary>The full path of a file of the NIR fixture folder; fails the test if it is nowhere.</summary>
    public static string Nir(string fileName)
    {
        var start = TestContext.CurrentContext.TestDirectory;
        foreach (var relative in Candidates.Append(Path.Combine("shared", "fixtures", "nir")))
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative, fileName);
                if (File.Exists(candidate)) return candidate;
            }
        }
        Assert.Fail($"NIR fixture '{fileName}' not found in Fixtures/nir or shared/fixtures/nir above {start}");
        return "";
    }
}
