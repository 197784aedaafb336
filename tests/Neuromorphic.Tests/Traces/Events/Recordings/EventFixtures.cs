using NUnit.Framework;

namespace Neuromorphic.Tests.Traces.Events.Recordings;

/// <summary>
/// Finds the third-party event recordings: the copy in <c>tests/Neuromorphic.Tests/Fixtures/events</c>
/// (copied to the test output folder) first, else <c>shared/fixtures/events</c> above the test folder.
/// </summary>
internal static class EventFixtures
{
    public static string Path(string fileName)
    {
        string start = TestContext.CurrentContext.TestDirectory;
        string[] candidates =
        [
            System.IO.Path.Combine("Fixtures", "events"),
            System.IO.Path.Combine("tests", "Neuromorphic.Tests", "Fixtures", "events"),
            System.IO.Path.Combine("shared", "fixtures", "events"),
        ];
        foreach (string relative in candidates)
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = System.IO.Path.Combine(dir.FullName, relative, fileName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        Assert.Fail($"event fixture '{fileName}' not found in Fixtures/events or shared/fixtures/events above {start}");
        return "";
    }
}
