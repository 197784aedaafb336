using NUnit.Framework;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using Neuromorphic.Sim.Randomness;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Execution;
using Neuromorphic.Sim.Transformers.Models;
using Neuromorphic.Sim.Transformers.Operators;
using Neuromorphic.Sim.Transformers.Weights;
using Neuromorphic.Traces;

namespace Neuromorphic.Tests.Transformers.Weights;

public sealed class CheckpointWeightsTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => Directory.CreateDirectory(_dir = Path.Combine(Path.GetTempPath(), "sdt-weights-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void The_committed_sdt_v2_small_file_loads_every_layer_and_uses_every_tensor()
    {
        var model = SmallCheckpoint.Model();
        var loaded = CheckpointWeights.Load(model, SmallCheckpoint.Path);
        var weighted = model.Layers.Where(l => l.Kind is LayerKind.Conv or LayerKind.Linear).ToList();
        Assert.That(loaded.Weights.Layers.Keys, Is.EquivalentTo(weighted.Select(l => l.Name)));
        Assert.That(loaded.Unused, Is.Empty);
        Assert.That(loaded.TensorsRead, Is.EqualTo(825)); // what the script reports writing
        // Parameter count as PyTorch counts it (weights, biases, BN scale and shift) = the 1,003,610 the script reports.
        Assert.That(model.Parameters, Is.EqualTo(1_003_610));
    }

    [Test]
    public void BatchNorm_is_folded_with_the_files_statistics()
    {
        var model = SmallCheckpoint.Model();
        var archive = TensorArchive.Open(SmallCheckpoint.Path);
        var w = CheckpointWeights.Load(model, archive).Weights["stage3.block2.mlp.fc1"];
        float[] Get(string n) => archive.Read(archive.Find(n)!);
        var raw = Get("block3.1.mlp.fc1_conv.weight");
        var bias = Get("block3.1.mlp.fc1_conv.bias");
        var (g, b, m, v) = (Get("block3.1.mlp.fc1_bn.weight"), Get("block3.1.mlp.fc1_bn.bias"), Get("block3.1.mlp.fc1_bn.running_mean"), Get("block3.1.mlp.fc1_bn.running_var"));
        var cin = 64;
        for (var o = 0; o < 256; o += 37)
        {
            var s = g[o] / Math.Sqrt(v[o] + 1e-5);
            Assert.That(w.Weight[o * cin + 5], Is.EqualTo(raw[o * cin + 5] * s).Within(1e-6));
            Assert.That(w.Bias[o], Is.EqualTo((bias[o] - m[o]) * s + b[o]).Within(1e-5));
        }
    }

    [Test]
    public void A_missing_tensor_is_named_in_the_error()
    {
        var path = Rewrite(n => n == "block3.0.attn.k_conv.0.body.2.0.weight" ? null : n);
        var ex = Assert.Throws<InputFormatException>(() => CheckpointWeights.Load(SmallCheckpoint.Model(), path))!;
        Assert.That(ex.Message, Does.Contain("tensor 'block3.0.attn.k_conv.0.body.2.0.weight'").And.Contain("missing").And.Contain("stage3.block1.attn.k.dw"));
    }

    [Test]
    public void A_mis_shaped_tensor_is_named_with_both_shapes()
    {
        var path = Rewrite(n => n, reshape: "downsample2.encode_bn.running_var");
        var ex = Assert.Throws<InputFormatException>(() => CheckpointWeights.Load(SmallCheckpoint.Model(), path))!;
        Assert.That(ex.Message, Does.Contain("tensor 'downsample2.encode_bn.running_var'").And.Contain("[31]").And.Contain("[32]"));
    }

    [Test]
    public void The_first_bad_tensor_in_model_order_is_reported()
    {
        var path = Rewrite(n => n is "head.bias" or "downsample1_1.encode_bn.running_mean" ? null : n);
        var ex = Assert.Throws<InputFormatException>(() => CheckpointWeights.Load(SmallCheckpoint.Model(), path))!;
        Assert.That(ex.Message, Does.Contain("downsample1_1.encode_bn.running_mean"));
    }

    [Test]
    public void Npz_and_safetensors_of_the_same_state_dict_load_the_same_weights()
    {
        var archive = TensorArchive.Open(SmallCheckpoint.Path);
        var npz = Path.Combine(_dir, "w.npz");
        using (var zip = ZipFile.Open(npz, ZipArchiveMode.Create))
            foreach (var t in archive.Tensors.Where(t => t.IsFloat))
            {
                using var s = zip.CreateEntry(t.Name + ".npy").Open();
                using var buffer = new MemoryStream();
                Npy.Write(buffer, archive.Read(t), t.Shape.Select(d => (int)d).ToArray());
                buffer.Position = 0;
                buffer.CopyTo(s);
            }
        var model = SmallCheckpoint.Model();
        var a = CheckpointWeights.Load(model, archive).Weights;
        var b = CheckpointWeights.Load(model, npz).Weights;
        foreach (var (name, w) in a.Layers)
        {
            Assert.That(b[name].Weight, Is.EqualTo(w.Weight), name);
            Assert.That(b[name].Bias, Is.EqualTo(w.Bias), name);
        }
    }

    [Test]
    public void F32_F16_and_BF16_tensors_decode_to_their_values()
    {
        // 1.5, -2 and 0.33203125 are exact in all three formats' common range (BF16: 8 bits of mantissa).
        float[] values = [1.5f, -2f, 0.33203125f];
        var path = Path.Combine(_dir, "t.safetensors");
        var half = values.SelectMany(v => { var b = new byte[2]; BinaryPrimitives.WriteHalfLittleEndian(b, (Half)v); return b; }).ToArray();
        var bf16 = values.SelectMany(v => { var b = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)(BitConverter.SingleToInt32Bits(v) >> 16)); return b; }).ToArray();
        var f32 = values.SelectMany(v => BitConverter.GetBytes(v)).ToArray();
        var header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]},\"b\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[12,18]},"
            + "\"c\":{\"dtype\":\"BF16\",\"shape\":[1,3],\"data_offsets\":[18,24]},\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[24,32]},\"__metadata__\":{\"format\":\"pt\"}}";
        var h = System.Text.Encoding.UTF8.GetBytes(header);
        using (var f = File.Create(path))
        {
            f.Write(BitConverter.GetBytes((ulong)h.Length));
            f.Write(h);
            f.Write(f32); f.Write(half); f.Write(bf16); f.Write(new byte[8]);
        }
        var archive = TensorArchive.Open(path);
        Assert.That(archive.Read(archive.Find("a")!), Is.EqualTo(values));
        Assert.That(archive.Read(archive.Find("b")!), Is.EqualTo(values));
        Assert.That(archive.Read(archive.Find("c")!), Is.EqualTo(values));
        Assert.That(archive.Find("c")!.Shape, Is.EqualTo(new long[] { 1, 3 }));
        Assert.That(archive.Find("n")!.IsFloat, Is.False);
        Assert.Throws<InputFormatException>(() => archive.Read(archive.Find("n")!));
    }

    [TestCase(new byte[] { 1, 2, 3 }, "byte 0")]
    [TestCase(new byte[] { 255, 255, 0, 0, 0, 0, 0, 0, (byte)'{' }, "header length")]
    public void Malformed_safetensors_files_name_the_place(byte[] bytes, string expected)
    {
        var path = Path.Combine(_dir, "bad.safetensors");
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<InputFormatException>(() => TensorArchive.Open(path))!;
        Assert.That(ex.Message, Does.Contain(path).And.Contain(expected));
    }

    [Test]
    public void A_header_whose_offsets_leave_the_file_is_rejected()
    {
        var path = Path.Combine(_dir, "bad.safetensors");
        var h = System.Text.Encoding.UTF8.GetBytes("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)h.Length), .. h, .. new byte[8]]);
        var ex = Assert.Throws<InputFormatException>(() => TensorArchive.Open(path))!;
        Assert.That(ex.Message, Does.Contain("tensor 'w'").And.Contain("outside"));
    }

    [Test]
    public void The_numpy_script_regenerates_the_committed_file_bit_for_bit()
    {
        if (!File.Exists("/usr/bin/python3") || !File.Exists(SmallCheckpoint.Script)) Assert.Ignore("no python3 or script");
        var check = Process.Start(new ProcessStartInfo("/usr/bin/python3", "-c \"import numpy\"") { RedirectStandardError = true })!;
        check.WaitForExit();
        if (check.ExitCode != 0) Assert.Ignore("numpy is not installed for /usr/bin/python3");
        var path = Path.Combine(_dir, "again.safetensors");
        var p = Process.Start(new ProcessStartInfo("/usr/bin/python3", $"\"{SmallCheckpoint.Script}\" \"{path}\" --dtype f16") { RedirectStandardOutput = true })!;
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero);
        Assert.That(File.ReadAllBytes(path), Is.EqualTo(File.ReadAllBytes(SmallCheckpoint.Path)));
    }

    [Test]
    public void RepConv_reparameterisation_matches_the_reference_fold_of_the_trained_branch()
    {
        // The trained branch's parameters (BatchNorms not folded) and the reference fold of RepConv.Fold ...
        var rng = DeterministicRandom.ForComponent(3, "repconv");
        var p = RepConvParameters.Random(6, 5, rng);
        var (refWeight, refBias) = RepConv.Fold(p);
        // ... against folding the model's three layers as the loader leaves them (each BN folded into its conv).
        var (w1, b1) = BatchNormFolding.Fold(p.PointwiseIn, null, p.Bn1);
        var (w3, b3) = BatchNormFolding.Fold(p.PointwiseOut, null, p.Bn2);
        var model = ModelZoo.Create("meta-spikeformer-16-32-64-96", 32, 1, 10);
        var prefix = RepConvReparameterisation.Find(model)[0];
        Assert.That(prefix, Is.EqualTo("stage3.block1.attn.q"));
        var tiny = new TransformerModel("t", 6, 4, 1, 5,
        [
            new ModelLayer { Name = "x.pw1", Kind = LayerKind.Conv, Inputs = ["image"], Channels = 6, Height = 6, Width = 6, InChannels = 6, Kernel = 1, Padding = 1, Bias = true },
            new ModelLayer { Name = "x.dw", Kind = LayerKind.Conv, Inputs = ["x.pw1"], Channels = 6, Height = 4, Width = 4, InChannels = 6, Kernel = 3, Groups = 6 },
            new ModelLayer { Name = "x.pw2", Kind = LayerKind.Conv, Inputs = ["x.dw"], Channels = 5, Height = 4, Width = 4, InChannels = 6, Kernel = 1, Bias = true },
            new ModelLayer { Name = "lif", Kind = LayerKind.Lif, Inputs = ["x.pw2"], Channels = 5, Height = 4, Width = 4 },
        ]);
        var weights = new TransformerWeights(new Dictionary<string, LayerWeights>
        {
            ["x.pw1"] = new(w1, b1), ["x.dw"] = new(p.Depthwise, []), ["x.pw2"] = new(w3, b3),
        });
        var (folded, fw) = RepConvReparameterisation.Apply(tiny, weights);
        Assert.That(folded.Layers.Select(l => l.Name), Is.EqualTo(new[] { "x", "lif" }));
        Assert.That(folded["lif"].Inputs, Is.EqualTo(new[] { "x" }));
        Assert.That(folded["x"].Kernel, Is.EqualTo(3));
        Assert.That(fw["x"].Weight, Is.EqualTo(refWeight).Within(1e-5));
        Assert.That(fw["x"].Bias, Is.EqualTo(refBias).Within(1e-5));
    }

    [Test]
    public void The_reparameterised_model_computes_what_the_unfolded_one_does()
    {
        var model = SmallCheckpoint.Model(timesteps: 1);
        var weights = CheckpointWeights.Load(model, SmallCheckpoint.Path).Weights;
        var (folded, fw) = RepConvReparameterisation.Apply(model, weights);
        Assert.That(folded.Layers.Count, Is.EqualTo(model.Layers.Count - 2 * 4 * 8));
        var image = SmallCheckpoint.Image(5);
        var a = new TransformerExecutor(model, weights).Run(image);
        var b = new TransformerExecutor(folded, fw).Run(image);
        // Real-valued pre-activations agree to float rounding, so almost every spike does; the scores are close.
        var q = "stage3.block1.attn.q_lif";
        Assert.That(b.FiringRate(q), Is.EqualTo(a.FiringRate(q)).Within(0.01));
        Assert.That(b.Scores[0], Is.EqualTo(a.Scores[0]).Within(0.05 * a.Scores[0].Max(Math.Abs) + 1e-3));
        foreach (var r in a.FiringRates) TestContext.Out.WriteLine($"{r.Layer} {r.Rate:F3}");
    }

    /// <summary>Copies the committed file, renaming (null = dropping) tensors, optionally shortening one by an element.</summary>
    private string Rewrite(Func<string, string?> rename, string? reshape = null)
    {
        var archive = TensorArchive.Open(SmallCheckpoint.Path);
        var tensors = new List<(string, long[], float[])>();
        foreach (var t in archive.Tensors.Where(t => t.IsFloat))
        {
            var name = rename(t.Name);
            if (name is null) continue;
            var values = archive.Read(t);
            var shape = t.Shape.ToArray();
            if (t.Name == reshape) { shape[^1]--; values = values[..^1]; }
            tensors.Add((name, shape, values));
        }
        var path = Path.Combine(_dir, "edited.safetensors");
        Safetensors.Write(path, tensors);
        return path;
    }
}
