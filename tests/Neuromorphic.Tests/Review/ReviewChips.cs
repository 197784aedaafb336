using CsCheck;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Traces;

namespace Neuromorphic.Tests.Review;

/// <summary>
/// Small chips and random small networks for the design-review properties: a few 64-row macros on a 2 x 2 mesh, and
/// networks of integer weights and integrate-and-fire neurons whose arithmetic a wide neuron core does exactly.
/// </summary>
internal static class ReviewChips
{
    private static readonly ArchitectureSpec Preset = ArchitectureLoader.Load("rram-40nm-256kb");

    /// <summary>
    /// <c>rram-40nm-256kb</c> shrunk to 64 x 128 macros (so layers of a hundred inputs span row blocks), 4 tiles of 4
    /// macros, made exact: ideal cells, weights of 2 magnitude bits (integers in [-3, 3] are exact: 3 steps, in a matrix
    /// whose largest magnitude is 3, as every matrix of <see cref="Network"/> has: the mapper scales by it),
    /// an ADC with a code for every level sum a row group can reach (it cannot clip), a 32-bit core with 16 fraction bits.
    /// </summary>
    public static ArchitectureSpec Ideal(SignedWeightScheme scheme = SignedWeightScheme.DifferentialPair, int bitsPerCell = 1, int parallelRows = 32)
    {
        var levelSum = ((1 << bitsPerCell) - 1) * parallelRows;
        var adcBits = (int)Math.Ceiling(Math.Log2(levelSum + 1));
        return Preset with
        {
            Name = "review-ideal",
            Macro = Preset.Macro with
            {
                Crossbar = Preset.Macro.Crossbar with { Rows = 64, Columns = 128, WeightBits = 2, SignedWeights = scheme },
                ParallelRows = parallelRows,
                Adc = Preset.Macro.Adc with { Bits = Math.Max(adcBits, 1) },
                Device = Preset.Macro.Device with { BitsPerCell = bitsPerCell, ProgrammingSigma = 0, ReadNoiseSigma = 0, DeviceToDeviceSigma = 0 },
            },
            NeuronCore = Preset.NeuronCore with { MembraneBits = 32, FractionBits = 16 },
        };
    }

    /// <summary>The parts of a random network: sizes, a seed, and whether the hidden layer has a recurrent projection.</summary>
    public readonly record struct Shape(int Inputs, int Hidden, int Outputs, double Density, bool Recurrent, int Seed);

    /// <summary>Random shapes of the sizes the properties use (20-100 inputs, 5-40 hidden, 3-30 outputs, 5-40 % dense).</summary>
    public static readonly Gen<Shape> Shapes =
        from inputs in Gen.Int[20, 100] from hidden in Gen.Int[5, 40] from outputs in Gen.Int[3, 30] from density in Gen.Double[0.05, 0.4]
        from recurrent in Gen.Bool from seed in Gen.Int[0, 1_000_000]
        select new Shape(inputs, hidden, outputs, density, recurrent, seed);

    /// <summary>
    /// input -> dense (integer weights in [-3, 3], some zero) -> IF -> sparse -> IF -> output, with a sparse recurrent
    /// projection of the hidden layer onto itself when <see cref="Shape.Recurrent"/>. Thresholds are k + 0.5, so no
    /// membrane ever sits exactly on one (a tie the fixed point and the float could break differently).
    /// </summary>
    public static Network Network(Shape s)
    {
        var rng = new Random(s.Seed);
        var dense = new float[s.Hidden * s.Inputs];
        for (var i = 0; i < dense.Length; i++) dense[i] = rng.NextDouble() < 0.5 ? 0 : rng.Next(-3, 4);
        dense[0] = 3; // the matrix is never all zero
        IntegratorModel If(int size) => new(NeuronModel.Fill(size, 1), Enumerable.Range(0, size).Select(_ => rng.Next(1, 5) + 0.5).ToArray());
        var nodes = new List<Node>
        {
            new InputNode("in", [s.Inputs]), new DenseNode("fc", dense, s.Hidden, s.Inputs), new NeuronNode("hidden", If(s.Hidden)),
            new SparseNode("syn", Sparse(s.Outputs, s.Hidden, s.Density, rng)), new NeuronNode("lif", If(s.Outputs)), new OutputNode("out", [s.Outputs]),
        };
        var edges = new List<Edge> { new("in", "fc"), new("fc", "hidden"), new("hidden", "syn"), new("syn", "lif"), new("lif", "out") };
        if (s.Recurrent)
        {
            nodes.Add(new SparseNode("rec", Sparse(s.Hidden, s.Hidden, s.Density, rng)));
            edges.Add(new Edge("hidden", "rec"));
            edges.Add(new Edge("rec", "hidden"));
        }
        return new Network(nodes, edges);
    }

    /// <summary>A sparse [outputs x inputs] matrix of integers in [-3, 3] \ {0}, at least one of them, and a magnitude 3 at (0, 0).</summary>
    private static CsrMatrix Sparse(int outputs, int inputs, double density, Random rng)
    {
        var pointers = new int[outputs + 1];
        var columns = new List<int>();
        var values = new List<float>();
        for (var o = 0; o < outputs; o++)
        {
            for (var i = 0; i < inputs; i++)
            {
                if (rng.NextDouble() >= density && !(o == 0 && i == 0)) continue;
                columns.Add(i);
                var w = rng.Next(1, 4);
                // The mapper scales a matrix by its largest magnitude: with a 3 in every matrix one step is one unit
                // and every integer in [-3, 3] is stored exactly (a matrix of 1s and 2s would have steps of 2/3).
                if (o == 0 && i == 0) w = 3;
                values.Add(rng.Next(2) == 0 ? w : -w);
            }
            pointers[o + 1] = columns.Count;
        }
        return new CsrMatrix(outputs, inputs, pointers, columns.ToArray(), values.ToArray());
    }

    /// <summary>Poisson-like input: each channel spikes in each step with probability <paramref name="rate"/>.</summary>
    public static SpikeRaster Input(int timesteps, int channels, double rate, int seed)
    {
        var rng = new Random(seed);
        return new SpikeRaster(timesteps, channels, Enumerable.Range(0, timesteps * channels).Select(_ => rng.NextDouble() < rate ? 1f : 0f).ToArray());
    }
}
