using System.Text;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces;

[TestFixture]
public class AtomicFileTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("atomic-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string[] FileNames() => Directory.GetFiles(_dir).Select(f => Path.GetFileName(f)!).Order().ToArray();

    [Test]
    public void WritesAndReplaces()
    {
        string path = Path.Combine(_dir, "out.bin");

        AtomicFile.Write(path, s => s.Write([1, 2, 3]));
        AtomicFile.Write(path, s => s.Write([4, 5]));

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(new byte[] { 4, 5 }));
        Assert.That(FileNames(), Is.EqualTo(new[] { "out.bin" }));
    }

    [Test]
    public void FailedWriteKeepsOldFileAndRemovesTemporary()
    {
        string path = Path.Combine(_dir, "out.txt");
        File.WriteAllText(path, "old");
        string? tempSeen = null;

        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s =>
        {
            tempSeen = ((FileStream)s).Name;
            s.Write("partial"u8);
            throw new InvalidOperationException("boom");
        }));

        Assert.That(File.ReadAllText(path), Is.EqualTo("old"));
        Assert.That(FileNames(), Is.EqualTo(new[] { "out.txt" }));
        Assert.That(tempSeen, Does.StartWith(path + ".tmp-"));
    }

    [Test]
    public void WriteTextUsesUtf8WithoutBomAndNewlineLf()
    {
        string path = Path.Combine(_dir, "out.txt");

        AtomicFile.WriteText(path, w =>
        {
            w.WriteLine("é");
            w.Write(1.5);
        });

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(Encoding.UTF8.GetBytes("é\n1.5")));
    }

    [Test]
    public void TransactionWithoutCommitLeavesNothing()
    {
        string path = Path.Combine(_dir, "out.bin");
        using (AtomicFileTransaction transaction = AtomicFile.Begin(path))
        {
            transaction.Stream.Write([1]);
            Assert.That(File.Exists(transaction.TempPath), Is.True);
        }

        Assert.That(FileNames(), Is.Empty);
    }
}
