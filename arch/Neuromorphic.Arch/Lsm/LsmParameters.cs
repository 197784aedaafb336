namespace Neuromorphic.Arch.Lsm;

/// <summary>How reservoir neurons connect to each other.</summary>
public enum ReservoirConnectivity
{
    /// <summary>Every ordered pair with the same probability.</summary>
    Uniform,

    /// <summary>Maass et al. (2002): neurons on a 3-D grid, p = C exp(-(d / lambda)^2), C by pre/post type.</summary>
    Distance,
}

/// <summary>Signs of the input weights.</summary>
public enum InputSigns
{
    /// <summary>All input synapses excitatory.</summary>
    Positive,

    /// <summary>Each input synapse excitatory or inhibitory with equal odds (a differential pair on the chip).</summary>
    Random,

    /// <summary>
    /// Each input synapse a differential pair: two cells, each set by one stochastic pulse, weight
    /// <c>gain x (G+ - G-)</c>: signed, zero-mean, spread as the measured differential conductance.
    /// </summary>
    Differential,
}

/// <summary>Signs of the recurrent weights.</summary>
public enum RecurrentSigns
{
    /// <summary>Dale's law: the first <see cref="LsmParameters.Excitatory"/> neurons excite, the others inhibit, each synapse one cell.</summary>
    ExcitatoryInhibitory,

    /// <summary>Each recurrent synapse a differential pair (<c>gain x (G+ - G-)</c>): signed and zero-mean, no neuron types.</summary>
    Differential,
}

/// <summary>
/// A liquid state machine: a fixed random reservoir of discrete LIF neurons
/// (<c>v = decay v + I</c>; spike when <c>v &gt; threshold</c>; reset to 0), whose input and recurrent
/// weights are the random conductances RRAM cells take after one stochastic SET pulse
/// (<c>w = gain x (G - G_min)</c> for a single cell, <c>w = gain x (G+ - G-)</c> for a differential
/// pair, G in microsiemens), and a trainable linear readout.
/// </summary>
public sealed record LsmParameters
{
    /// <summary>
    /// Most reservoir neurons: the recurrent weights are a dense neurons x neurons matrix indexed by
    /// 32-bit integers (46,340^2 &lt; 2^31). The resource guard usually refuses far below this.
    /// </summary>
    public const int MaxNeurons = 46_340;

    /// <summary>Reservoir neurons.</summary>
    public int Neurons { get; init; } = 200;

    /// <summary>Share of excitatory neurons (the first ones).</summary>
    public double ExcitatoryFraction { get; init; } = 0.8;

    /// <summary>Recurrent connectivity.</summary>
    public ReservoirConnectivity Connectivity { get; init; } = ReservoirConnectivity.Uniform;

    /// <summary>Uniform connectivity: connection probability.</summary>
    public double ConnectionProbability { get; init; } = 0.1;

    /// <summary>Distance connectivity: the grid (x, y, z); its product must equal <see cref="Neurons"/>.</summary>
    public int[] Grid { get; init; } = [5, 5, 8];

    /// <summary>Distance connectivity: lambda (grid units).</summary>
    public double Lambda { get; init; } = 2.0;

    /// <summary>Distance connectivity: C for E->E, E->I, I->E, I->I (Maass et al. 2002: 0.3, 0.2, 0.4, 0.1).</summary>
    public double[] DistanceC { get; init; } = [0.3, 0.2, 0.4, 0.1];

    /// <summary>Input channels each reservoir neuron receives from (drawn without replacement); <see cref="AllInputs"/> = dense (a run configuration's larger number is refused once the input count is known).</summary>
    public int InputFanIn { get; init; } = 32;

    /// <summary>The <see cref="InputFanIn"/> of a dense input matrix (<c>input_fan_in: all</c>).</summary>
    public const int AllInputs = int.MaxValue;

    /// <summary>Input weight per microsiemens of conductance above G_min.</summary>
    public double InputGain { get; init; } = 0.07;

    /// <summary>Signs of the input synapses.</summary>
    public InputSigns InputSigns { get; init; } = InputSigns.Positive;

    /// <summary>Excitatory recurrent weight per microsiemens.</summary>
    public double ExcitatoryGain { get; init; } = 0.05;

    /// <summary>Inhibitory recurrent weight per microsiemens (applied with a negative sign).</summary>
    public double InhibitoryGain { get; init; } = 0.1;

    /// <summary>Signs of the recurrent synapses: excitatory/inhibitory neurons, or differential pairs.</summary>
    public RecurrentSigns RecurrentSigns { get; init; } = RecurrentSigns.ExcitatoryInhibitory;

    /// <summary>Differential recurrent synapses: weight per microsiemens of G+ - G-.</summary>
    public double RecurrentGain { get; init; } = 0.07;

    /// <summary>Membrane decay per timestep.</summary>
    public double Decay { get; init; } = 0.9;

    /// <summary>Firing threshold.</summary>
    public double Threshold { get; init; } = 5.0;

    /// <summary>Excitatory neurons.</summary>
    public int Excitatory => (int)Math.Round(Neurons * ExcitatoryFraction);

    /// <summary>Checks the values; throws <see cref="ArgumentException"/> naming the first bad one.</summary>
    public void Validate()
    {
        if (Neurons is < 1 or > MaxNeurons) throw new ArgumentException($"lsm.neurons must lie in [1, {MaxNeurons}], found {Neurons}");
        if (ExcitatoryFraction is < 0 or > 1) throw new ArgumentException($"lsm.excitatory_fraction must lie in [0, 1], found {ExcitatoryFraction}");
        if (ConnectionProbability is < 0 or > 1) throw new ArgumentException($"lsm.connection_probability must lie in [0, 1], found {ConnectionProbability}");
        if (Connectivity == ReservoirConnectivity.Distance)
        {
            if (Grid.Length != 3 || Grid.Any(g => g < 1) || Grid.Aggregate(1, (a, b) => a * b) != Neurons)
                throw new ArgumentException($"lsm.grid must be three positive sizes whose product is lsm.neurons ({Neurons})");
            if (!(Lambda > 0)) throw new ArgumentException($"lsm.lambda must be > 0, found {Lambda}");
            if (DistanceC.Length != 4 || DistanceC.Any(c => c is < 0 or > 1)) throw new ArgumentException("lsm.distance_c must be four probabilities (EE, EI, IE, II)");
        }
        if (InputFanIn < 0) throw new ArgumentException($"lsm.input_fan_in must be >= 0, found {InputFanIn}");
        if (!(Decay is >= 0 and <= 1)) throw new ArgumentException($"lsm.decay must lie in [0, 1], found {Decay}");
        if (!double.IsFinite(Threshold)) throw new ArgumentException("lsm.threshold must be a number");
        foreach (var (name, g) in new[] { ("input_gain", InputGain), ("excitatory_gain", ExcitatoryGain), ("inhibitory_gain", InhibitoryGain), ("recurrent_gain", RecurrentGain) })
            if (!(g >= 0) || double.IsInfinity(g)) throw new ArgumentException($"lsm.{name} must be >= 0, found {g}");
    }
}
