using NUnit.Framework;

namespace Neuromorphic.Tests.Cli;

/// <summary>
/// <c>bench cuba</c>'s options that belong to the other kind of run (chip options without
/// <c>--hardware</c>, <c>--rates</c> with it) are refused with one line, not silently ignored.
/// </summary>
public sealed class BenchOptionCliTests
{
    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-bench-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    private static string Refused(params string[] args) => CliRunner.Refused(args);

    [TestCase("--out")]
    [TestCase("--fixed-point")]
    [TestCase("--word-lines", "compacted")]
    [TestCase("--placement", "packed")]
    [TestCase("--macro-order", "column_block_major")]
    [TestCase("--one-signed-layers", "signed_scheme")]
    public void ChipOptionsWithoutHardwareAreRefusedNotIgnored(string option, string? value = null)
    {
        string[] args = value is null ? ["bench", "cuba", "--duration", "0.01", option] : ["bench", "cuba", "--duration", "0.01", option, value];
        if (option == "--out") args = [.. args, Path.Combine(_dir, "run")];
        Assert.That(Refused(args), Does.StartWith($"error: {option} applies to chip runs: add --hardware ARCH"));
        Assert.That(Directory.GetFileSystemEntries(_dir), Is.Empty);
    }

    [Test]
    public void RatesWithHardwareAreRefusedNotIgnored()
    {
        var rates = Path.Combine(_dir, "rates.txt");
        Assert.That(Refused("bench", "cuba", "--hardware", "rram-40nm-256kb", "--duration", "0.01", "--rates", rates), Does.Contain("--rates"));
        Assert.That(File.Exists(rates), Is.False);
    }
}
