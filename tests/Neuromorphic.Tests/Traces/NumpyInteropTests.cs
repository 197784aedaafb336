using System.Diagnostics;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces;

/// <summary>Cross-checks against real numpy when python3 with numpy is installed.</summary>
[TestFixture]
public class NumpyInteropTests
{
    private static readonly string[] Dtypes =
    [
        "|b1", "|u1", "|i1", "<i2", ">i2", "<u2", ">u2", "<i4", ">i4", "<u4",
        "<i8", ">i8", "<u8", "<f2", ">f2", "<f4", ">f4", "<f8", ">f8",
    ];

    private static readonly Lazy<string?> Python = new(FindPythonWithNumpy);

    private string _dir = "";

    [SetUp]
    public void SetUp()
    {
        if (Python.Value is null)
        {
            Assert.Ignore("python3 with numpy is not available (python3 -c \"import numpy\" failed)");
        }

        _dir = Directory.CreateTempSubdirectory("numpy-interop-").FullName;
    }

    [TearDown]
    public void TearDown()
    {
        if (_dir.Length > 0)
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Test]
    public void ReadsArraysWrittenByNumpyAndWritesIdenticalBytes()
    {
        string script = """
            import os, sys
            import numpy as np
            d = sys.argv[1]
            def name(dt): return dt.replace('<', 'le').replace('>', 'be').replace('|', 'na')
            base = np.arange(24).reshape(2, 3, 4)
            for dt in sys.argv[2].split(','):
                kind = np.dtype(dt).kind
                a = (base % 2 if kind == 'b' else base if kind == 'u' else base - 12).astype(dt)
                assert a.dtype.str == dt, (a.dtype.str, dt)
                np.save(os.path.join(d, 'c_' + name(dt) + '.npy'), a)
                np.save(os.path.join(d, 'f_' + name(dt) + '.npy'), np.asfortranarray(a))
            for v in [(1, 0), (2, 0), (3, 0)]:
                with open(os.path.join(d, 'v%d.npy' % v[0]), 'wb') as f:
                    np.lib.format.write_array(f, np.asfortranarray((base - 12).astype('>f8')), version=v)
            np.save(os.path.join(d, 'scalar.npy'), np.float32(2.5))
            np.save(os.path.join(d, 'vector.npy'), np.arange(5, dtype='<i4'))
            np.save(os.path.join(d, 'raster.npy'), base.reshape(6, 4) % 3 == 0)
            np.save(os.path.join(d, 'ref_f4.npy'), (np.arange(6, dtype='<f4') / 4).reshape(2, 3))
            np.save(os.path.join(d, 'ref_f8.npy'), np.arange(12345, dtype='<f8') / 8)
            np.save(os.path.join(d, 'ref_scalar.npy'), np.float64(-1.5))
            np.save(os.path.join(d, 'ref_3d.npy'), np.zeros((1000000, 0, 7), dtype='<f4'))
            """;
        RunPython(script, _dir, string.Join(',', Dtypes));

        Assert.Multiple(() =>
        {
            foreach (string dt in Dtypes)
            {
                string name = dt.Replace("<", "le").Replace(">", "be").Replace("|", "na");
                double[] expected = Enumerable.Range(0, 24)
                    .Select(i => (double)(dt[1] == 'b' ? i % 2 : dt[1] == 'u' ? i : i - 12))
                    .ToArray();
                foreach (string order in new[] { "c", "f" })
                {
                    NpyArray array = Npy.Read(Path.Combine(_dir, $"{order}_{name}.npy"));
                    Assert.That(array.Descr, Is.EqualTo(dt), $"{order} {dt}");
                    Assert.That(array.FortranOrder, Is.EqualTo(order == "f"), $"{order} {dt}");
                    Assert.That(array.Shape, Is.EqualTo(new[] { 2, 3, 4 }), $"{order} {dt}");
                    Assert.That(array.ToDoubleArray(), Is.EqualTo(expected), $"{order} {dt}");
                }
            }

            double[] signed = Enumerable.Range(-12, 24).Select(i => (double)i).ToArray();
            foreach (int version in new[] { 1, 2, 3 })
            {
                NpyArray array = Npy.Read(Path.Combine(_dir, $"v{version}.npy"));
                Assert.That(File.ReadAllBytes(Path.Combine(_dir, $"v{version}.npy"))[6], Is.EqualTo((byte)version));
                Assert.That(array.ToDoubleArray(), Is.EqualTo(signed), $"version {version}");
            }

            NpyArray scalar = Npy.Read(Path.Combine(_dir, "scalar.npy"));
            Assert.That(scalar.Shape, Is.Empty);
            Assert.That(scalar.ToSingleArray(), Is.EqualTo(new[] { 2.5f }));
            Assert.That(Npy.Read(Path.Combine(_dir, "vector.npy")).ToDoubleArray(), Is.EqualTo(new double[] { 0, 1, 2, 3, 4 }));

            SpikeRaster raster = SpikeRaster.Load(Path.Combine(_dir, "raster.npy"));
            Assert.That((raster.Timesteps, raster.Channels), Is.EqualTo((6, 4)));
            Assert.That(raster.Data, Is.EqualTo(Enumerable.Range(0, 24).Select(i => i % 3 == 0 ? 1f : 0f)));

            // Our writer produces byte-identical files to np.save.
            AssertSameBytes("ref_f4.npy", p => Npy.Write(p, Enumerable.Range(0, 6).Select(i => i / 4f).ToArray(), [2, 3]));
            AssertSameBytes("ref_f8.npy", p => Npy.Write(p, Enumerable.Range(0, 12345).Select(i => i / 8.0).ToArray(), [12345]));
            AssertSameBytes("ref_scalar.npy", p => Npy.Write(p, new[] { -1.5 }, []));
            AssertSameBytes("ref_3d.npy", p => Npy.Write(p, Array.Empty<float>(), [1000000, 0, 7]));
        });
    }

    [Test]
    public void NumpyReadsOurFiles()
    {
        Npy.Write(Path.Combine(_dir, "ours_f4.npy"), Enumerable.Range(-12, 24).Select(i => i / 4f).ToArray(), [2, 3, 4]);
        Npy.Write(Path.Combine(_dir, "ours_scalar.npy"), new[] { -1.5 }, []);
        var raster = new SpikeRaster(5, 2);
        raster[3, 1] = 1;
        Npy.Write(Path.Combine(_dir, "ours_raster.npy"), raster);

        string script = """
            import os, sys
            import numpy as np
            d = sys.argv[1]
            a = np.load(os.path.join(d, 'ours_f4.npy'))
            assert a.dtype == np.float32 and a.shape == (2, 3, 4), (a.dtype, a.shape)
            assert np.array_equal(a, (np.arange(-12, 12, dtype=np.float32) / 4).reshape(2, 3, 4)), a
            s = np.load(os.path.join(d, 'ours_scalar.npy'))
            assert s.dtype == np.float64 and s.shape == () and s == -1.5, s
            r = np.load(os.path.join(d, 'ours_raster.npy'))
            assert r.shape == (5, 2) and r.sum() == 1 and r[3, 1] == 1, r
            """;
        Assert.That(RunPython(script, _dir), Is.Empty);
    }

    private void AssertSameBytes(string numpyFile, Action<string> write)
    {
        string ours = Path.Combine(_dir, "ours_" + numpyFile);
        write(ours);
        Assert.That(File.ReadAllBytes(ours), Is.EqualTo(File.ReadAllBytes(Path.Combine(_dir, numpyFile))), numpyFile);
    }

    private static string RunPython(string script, params string[] args)
    {
        var start = new ProcessStartInfo(Python.Value!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill();
            Assert.Fail("python3 timed out");
        }

        Assert.That(process.ExitCode, Is.Zero, () => $"python3 failed:\n{stderr.Result}");
        return stdout.Result;
    }

    private static string? FindPythonWithNumpy()
    {
        foreach (string candidate in new[] { "/usr/bin/python3", "python3" })
        {
            if (candidate.StartsWith('/') && !File.Exists(candidate))
            {
                continue;
            }

            try
            {
                var start = new ProcessStartInfo(candidate)
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                    UseShellExecute = false,
                };
                start.ArgumentList.Add("-c");
                start.ArgumentList.Add("import numpy");
                using var process = Process.Start(start)!;
                process.StandardOutput.ReadToEnd();
                process.StandardError.ReadToEnd();
                if (process.WaitForExit(30_000) && process.ExitCode == 0)
                {
                    return candidate;
                }
            }
            catch (System.ComponentModel.Win32Exception)
            {
                // Not installed.
            }
        }

        return null;
    }
}
