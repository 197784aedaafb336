using Neuromorphic.Sim.Nir;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Hardening;

/// <summary>
/// NIR files with damaged headers are refused as bad input. A dataset whose stated shape is more than the file can hold
/// is refused before PureHDF allocates a buffer of that shape. Four files of the fuzz campaign are refused too, but
/// PureHDF allocates what their damaged header messages state before it reads and fails (docs/errors.md): seed 28, nir
/// cases 25 and 26 (a fill value's size, a local heap's: 1.4 and 1.0 GB), seed 30, nir case 17 (a global heap object's,
/// under the root's variable-length string 'version': 1.6 GB) and seed 31, nir-activity case 40 (1.1 GB). The pages are
/// never touched (peak resident memory about 110 MiB); this reader cannot bound them from outside the library.
/// </summary>
[TestFixture]
public sealed class DamagedNirAllocationTests
{
    [TestCase("nir-28-25-net.nir")]
    [TestCase("nir-28-26-net.nir")]
    [TestCase("nir-30-17-net.nir")]
    public void A_file_whose_header_messages_are_damaged_is_bad_input_naming_it(string name)
    {
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "fuzz", name);
        var error = Assert.Throws<InputFormatException>(() => NirReader.Read(path));
        Assert.That(error!.Message, Does.Contain(name).And.Contain("not a readable HDF5 file"));
    }

    [Test]
    public void A_recorded_activity_file_whose_header_messages_are_damaged_is_bad_input_naming_it()
    {
        // Fuzz campaign seed 31, nir-activity case 40: PureHDF allocated 1.1 GB (untouched) before the read failed.
        const string name = "nir-activity-31-40-activity.h5";
        var path = Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "fuzz", name);
        var error = Assert.Throws<InputFormatException>(() => NirGraphData.Read(path, 1e-3));
        Assert.That(error!.Message, Does.Contain(name).And.Contain("not a readable NIRGraphData file"));
    }

    [Test]
    public void A_dataset_whose_shape_claims_more_than_the_file_holds_is_refused_before_it_is_read()
    {
        var dir = Directory.CreateTempSubdirectory("nm-nir-shape-").FullName;
        try
        {
            var path = new HardeningFiles(dir).SmallNir();
            // fc's weight is [2, 3] float32: its dataspace stores 2 and 3 as 8-byte little-endian words, side by side.
            var bytes = File.ReadAllBytes(path);
            var dims = new byte[16];
            BitConverter.TryWriteBytes(dims.AsSpan(0, 8), 2L);
            BitConverter.TryWriteBytes(dims.AsSpan(8, 8), 3L);
            var at = bytes.AsSpan().IndexOf(dims);
            Assert.That(at, Is.GreaterThanOrEqualTo(0), "the weight's dataspace");
            BitConverter.TryWriteBytes(bytes.AsSpan(at + 8, 8), 1L << 29); // [2, 2^29]: 4 GiB of float32 in a file of a few KB
            File.WriteAllBytes(path, bytes);
            InputFormatException? error = null;
            var allocated = ThreadAllocation.During(() => error = Assert.Throws<InputFormatException>(() => NirReader.Read(path)));
            Assert.That(error!.Message, Does.Contain("net.nir: node 'fc': field 'weight' declares 1,073,741,824 values").And.Contain("damaged"));
            Assert.That(allocated, Is.LessThan(64L << 20), "refused before a buffer of that shape");
        }
        finally { Directory.Delete(dir, recursive: true); }
    }
}
