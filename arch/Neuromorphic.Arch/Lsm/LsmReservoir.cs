using Neuromorphic.Arch.Mapping;
using Neuromorphic.Hw.Crossbar;
using Neuromorphic.Hw.Devices;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Neurons;
using Neuromorphic.Sim.Randomness;

namespace Neuromorphic.Arch.Lsm;

/// <summary>
/// A drawn reservoir: which synapses exist, and the conductance each synapse's cells took when they
/// were programmed by one stochastic pulse each (the weights are these conductances, not values
/// written into the cells). Unconnected cells stay in the high-resistance state (G_min, weight 0).
/// Four conductance matrices, rows = target neurons: the input split into a positive and a negative
/// line, and the recurrent split the same way. A single-cell synapse has one cell on one line
/// (<c>w = +-gain x (G - G_min)</c>); a differential pair has one cell on each
/// (<c>w = gain x (G+ - G-)</c>, signed and zero-mean). With excitatory/inhibitory recurrence the
/// positive recurrent line holds the excitatory neurons' synapses and the negative line the
/// inhibitory ones'; with differential recurrence both lines span every neuron.
/// <see cref="SoftwareNetwork"/> is the same network with exact weights.
/// </summary>
public sealed class LsmReservoir
{
    private LsmReservoir(LsmParameters p, int inputs, RramDevice device, double[] inputPositive, double[] inputNegative,
        RecurrentLine positive, RecurrentLine negative, ProgrammingStats stats)
    {
        Parameters = p;
        Inputs = inputs;
        Device = device;
        InputPositive = inputPositive;
        InputNegative = inputNegative;
        RecurrentPositive = positive;
        RecurrentNegative = negative;
        Stats = stats;
    }

    /// <summary>The parameters.</summary>
    public LsmParameters Parameters { get; }

    /// <summary>Input channels.</summary>
    public int Inputs { get; }

    /// <summary>The cell model the conductances came from.</summary>
    public RramDevice Device { get; }

    /// <summary>Conductances (S) of the positive input line, [neurons x inputs]; G_min where none.</summary>
    public double[] InputPositive { get; }

    /// <summary>Conductances (S) of the negative input line, [neurons x inputs]; G_min where none.</summary>
    public double[] InputNegative { get; }

    /// <summary>True when the input has a negative line (signed inputs: random signs or differential pairs).</summary>
    public bool HasNegativeInput => Parameters.InputSigns != InputSigns.Positive;

    /// <summary>The positive recurrent line (excitatory neurons' synapses, or the G+ cells of differential pairs).</summary>
    public RecurrentLine RecurrentPositive { get; }

    /// <summary>The negative recurrent line (inhibitory neurons' synapses, or the G- cells of differential pairs).</summary>
    public RecurrentLine RecurrentNegative { get; }

    /// <summary>Programming activity (one pulse per connected cell).</summary>
    public ProgrammingStats Stats { get; }

    /// <summary>SHA-256 (first 16 hex digits) of every conductance of the reservoir and its parameters.</summary>
    public string Hash()
    {
        using var sha = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
        foreach (var matrix in new[] { InputPositive, InputNegative, RecurrentPositive.Conductances, RecurrentNegative.Conductances })
            sha.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(matrix.AsSpan()));
        var differential = Parameters.RecurrentSigns == RecurrentSigns.Differential ? $";differential;{Parameters.RecurrentGain}" : "";
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{Inputs};{Parameters.Neurons};{Parameters.Decay};{Parameters.Threshold};{Parameters.InputGain};{Parameters.ExcitatoryGain};{Parameters.InhibitoryGain}{differential}"));
        return Convert.ToHexString(sha.GetHashAndReset())[..16].ToLowerInvariant();
    }

    /// <summary>Weight of a conductance: gain x (G - G_min) in microsiemens.</summary>
    public double Weight(double conductance, double gain) => gain * (conductance - Device.GMin) * 1e6;

    /// <summary>Draws a reservoir: connectivity from <c>lsm.connectivity</c>, conductances from the device's stochastic programming.</summary>
    public static LsmReservoir Draw(LsmParameters p, int inputs, RramDevice device, ulong seed)
    {
        p.Validate();
        if (device.Parameters.PulseDistribution is null)
            throw new ArgumentException("the LSM's weights come from stochastic programming: the device needs a pulse_distribution");
        var n = p.Neurons;
        var gmin = device.GMin;
        var connect = DeterministicRandom.ForComponent(seed, "lsm.connectivity");
        // One stream per kind of draw (pulse, fault, window): points of a sweep over fault rates or device-to-device sigma
        // program every cell from the same pulse outcome.
        var program = StochasticStreams.For(seed, "lsm.programming");
        long pulses = 0, stuckOn = 0, stuckOff = 0;

        double Cell()
        {
            var cell = device.ProgramStochastic(program);
            pulses += cell.Pulses;
            if (cell.Fault == CellFault.StuckOn) stuckOn++;
            if (cell.Fault == CellFault.StuckOff) stuckOff++;
            return cell.Conductance;
        }

        var pos = Filled(n * inputs, gmin);
        var neg = Filled(n * inputs, gmin);
        var fanIn = Math.Min(p.InputFanIn, inputs);
        var order = new int[inputs];
        for (var post = 0; post < n; post++)
        {
            // k distinct inputs by a partial Fisher-Yates shuffle.
            for (var i = 0; i < inputs; i++) order[i] = i;
            for (var k = 0; k < fanIn; k++)
            {
                var j = k + connect.NextInt(inputs - k);
                (order[k], order[j]) = (order[j], order[k]);
                var cell = post * inputs + order[k];
                if (p.InputSigns == InputSigns.Differential)
                {
                    // A pair: both cells take one pulse each; the weight is their difference.
                    pos[cell] = Cell();
                    neg[cell] = Cell();
                    continue;
                }
                var inhibitory = p.InputSigns == InputSigns.Random && connect.NextBernoulli(0.5);
                (inhibitory ? neg : pos)[cell] = Cell();
            }
        }

        RecurrentLine positive, negative;
        if (p.RecurrentSigns == RecurrentSigns.Differential)
        {
            positive = new RecurrentLine(0, n, p.RecurrentGain, Filled(n * n, gmin));
            negative = new RecurrentLine(0, n, -p.RecurrentGain, Filled(n * n, gmin));
            for (var post = 0; post < n; post++)
                for (var pre = 0; pre < n; pre++)
                {
                    if (!connect.NextBernoulli(Probability(p, pre, post))) continue;
                    positive.Conductances[post * n + pre] = Cell();
                    negative.Conductances[post * n + pre] = Cell();
                }
        }
        else
        {
            var ne = p.Excitatory;
            positive = new RecurrentLine(0, ne, p.ExcitatoryGain, Filled(n * ne, gmin));
            negative = new RecurrentLine(ne, n - ne, -p.InhibitoryGain, Filled(n * (n - ne), gmin));
            for (var post = 0; post < n; post++)
                for (var pre = 0; pre < n; pre++)
                {
                    if (!connect.NextBernoulli(Probability(p, pre, post))) continue;
                    if (pre < ne) positive.Conductances[post * ne + pre] = Cell();
                    else negative.Conductances[post * (n - ne) + pre - ne] = Cell();
                }
        }
        var cells = (long)n * inputs * 2 + positive.Conductances.LongLength + negative.Conductances.LongLength;
        return new LsmReservoir(p, inputs, device, pos, neg, positive, negative, new ProgrammingStats(cells, pulses, 0, stuckOn, stuckOff));
    }

    /// <summary>Signed input weights [neurons x inputs] (row = target): gain x (G+ - G-) in microsiemens.</summary>
    public float[] InputWeights()
    {
        var w = new float[Parameters.Neurons * Inputs];
        for (var i = 0; i < w.Length; i++)
            w[i] = (float)(Weight(InputPositive[i], Parameters.InputGain) - Weight(InputNegative[i], Parameters.InputGain));
        return w;
    }

    /// <summary>
    /// The same reservoir with exact weights in software at timestep <paramref name="dt"/>: input, W_in, LIF, with W_rec fed back from the LIF,
    /// the neurons as NIR's LIF with <c>tau = dt / (1 - decay)</c> and <c>r = tau / dt</c>, which at this dt is exactly
    /// <c>v = decay v + I</c>, spike when <c>v &gt; threshold</c>, then <c>v = 0</c> — so the network exports to NIR unchanged.
    /// </summary>
    public Network SoftwareNetwork(double dt = 1e-3)
    {
        var p = Parameters;
        var n = p.Neurons;
        var input = InputWeights();
        var recurrent = RecurrentWeights();
        // NIR's LIF at this dt is exactly v = decay v + I: tau = dt / (1 - decay), r = tau / dt, v_leak 0,
        // reset to 0 (a perfect integrator, decay 1, is NIR's IF). It exports to NIR unchanged.
        NeuronModel lif = p.Decay < 1
            ? new LifModel(NeuronModel.Fill(n, dt / (1 - p.Decay)), NeuronModel.Fill(n, 1 / (1 - p.Decay)), NeuronModel.Fill(n, 0), NeuronModel.Fill(n, p.Threshold))
            : new IntegratorModel(NeuronModel.Fill(n, 1), NeuronModel.Fill(n, p.Threshold));
        return new Network(
            [
                new InputNode("input", [Inputs]),
                new SparseNode("w_in", CsrMatrix.FromDense(input, n, Inputs)),
                new NeuronNode("reservoir", lif),
                new SparseNode("w_rec", CsrMatrix.FromDense(recurrent, n, n)),
                new OutputNode("output", [n]),
            ],
            [new("input", "w_in"), new("w_in", "reservoir"), new("reservoir", "w_rec"), new("w_rec", "reservoir"), new("reservoir", "output")]);
    }

    /// <summary>
    /// The reservoir as the chip runs it, at timestep <paramref name="dt"/>: the network the mapper places
    /// (same input, neurons and output as <see cref="SoftwareNetwork"/>) and the cells each projection's
    /// weights are (<see cref="ProgrammedCells"/>: placed as programmed, not written to targets).
    /// Signed lines of one gain become differential pairs: the input (<c>w_in</c>, pairs unless every input
    /// synapse is positive) and a differential recurrence (<c>w_rec</c>). Excitatory and inhibitory
    /// sources weigh their conductance with different gains, so the recurrence is then two projections of
    /// single cells, <c>w_rec_exc</c> and <c>w_rec_inh</c>, each driven by its own sources' spikes only (the
    /// other neurons have no synapse there and take no word line). The nodes' weights are the cells'
    /// exactly, so the executor's golden model is this reservoir with ideal cells and arithmetic.
    /// </summary>
    public (Network Network, IReadOnlyDictionary<string, ProgrammedCells> Cells) ChipNetwork(double dt = 1e-3)
    {
        var p = Parameters;
        var n = p.Neurons;
        var software = SoftwareNetwork(dt);
        var cells = new Dictionary<string, ProgrammedCells>
        {
            ["w_in"] = new(InputPositive, HasNegativeInput ? InputNegative : null, p.InputGain),
        };
        var nodes = new List<Node> { software["input"], software["w_in"], software["reservoir"] };
        var edges = new List<Edge> { new("input", "w_in"), new("w_in", "reservoir") };
        void Recurrent(string name, float[] weights, ProgrammedCells programmed)
        {
            nodes.Add(new SparseNode(name, CsrMatrix.FromDense(weights, n, n)));
            cells[name] = programmed;
            edges.Add(new Edge("reservoir", name));
            edges.Add(new Edge(name, "reservoir"));
        }
        if (p.RecurrentSigns == RecurrentSigns.Differential)
            Recurrent("w_rec", RecurrentWeights(), new ProgrammedCells(RecurrentPositive.Conductances, RecurrentNegative.Conductances, p.RecurrentGain));
        else
            foreach (var (name, line) in new[] { ("w_rec_exc", RecurrentPositive), ("w_rec_inh", RecurrentNegative) })
            {
                // The line's cells on the full [neurons x neurons] matrix: G_min (no synapse) outside its sources.
                var full = Filled(n * n, Device.GMin);
                var weights = new float[n * n];
                for (var post = 0; post < n; post++)
                    for (var k = 0; k < line.Sources; k++)
                    {
                        var g = line.Conductances[post * line.Sources + k];
                        full[post * n + line.FirstSource + k] = g;
                        weights[post * n + line.FirstSource + k] = (float)Weight(g, line.Gain);
                    }
                Recurrent(name, weights, new ProgrammedCells(full, null, line.Gain));
            }
        nodes.Add(software["output"]);
        edges.Add(new Edge("reservoir", "output"));
        return (new Network(nodes, edges), cells);
    }

    /// <summary>Signed recurrent weights [neurons x neurons] (row = target): the two lines' weights added.</summary>
    public float[] RecurrentWeights()
    {
        var n = Parameters.Neurons;
        var sum = new double[n * n];
        foreach (var line in new[] { RecurrentPositive, RecurrentNegative })
            for (var post = 0; post < n; post++)
                for (var k = 0; k < line.Sources; k++)
                    sum[post * n + line.FirstSource + k] += Weight(line.Conductances[post * line.Sources + k], line.Gain);
        var w = new float[n * n];
        for (var i = 0; i < w.Length; i++) w[i] = (float)sum[i];
        return w;
    }

    private static double Probability(LsmParameters p, int pre, int post)
    {
        if (p.Connectivity == ReservoirConnectivity.Uniform) return p.ConnectionProbability;
        var ne = p.Excitatory;
        var c = p.DistanceC[(pre < ne ? 0 : 2) + (post < ne ? 0 : 1)];
        var (ax, ay, az) = Position(p.Grid, pre);
        var (bx, by, bz) = Position(p.Grid, post);
        var d2 = (ax - bx) * (ax - bx) + (ay - by) * (ay - by) + (az - bz) * (az - bz);
        return c * Math.Exp(-d2 / (p.Lambda * p.Lambda));
    }

    private static (int X, int Y, int Z) Position(int[] grid, int index) =>
        (index % grid[0], index / grid[0] % grid[1], index / (grid[0] * grid[1]));

    private static double[] Filled(int length, double value)
    {
        var a = new double[length];
        Array.Fill(a, value);
        return a;
    }
}

/// <summary>
/// One line of recurrent cells: the synapses from neurons <c>FirstSource .. FirstSource + Sources - 1</c>
/// to every neuron, conductances [neurons x Sources] (row = target), each weighing
/// <c>Gain x (G - G_min)</c> (a negative gain for an inhibitory or G- line).
/// </summary>
/// <param name="FirstSource">First presynaptic neuron.</param>
/// <param name="Sources">Presynaptic neurons on this line.</param>
/// <param name="Gain">Signed weight per microsiemens above G_min.</param>
/// <param name="Conductances">Conductances (S), [neurons x Sources]; G_min where no synapse.</param>
public sealed record RecurrentLine(int FirstSource, int Sources, double Gain, double[] Conductances);
