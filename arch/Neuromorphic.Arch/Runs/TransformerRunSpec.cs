namespace Neuromorphic.Arch.Runs;

/// <summary>A spike-driven transformer run: which model, how big, and where its activity comes from.</summary>
public sealed record TransformerRunSpec
{
    /// <summary>Model name (e.g. <c>meta-spikeformer-8-512</c>, <c>sdt-v1-8-384</c>); <c>model:</c> prefix allowed.</summary>
    public string Model { get; init; } = "meta-spikeformer-8-512";

    /// <summary>Input height and width.</summary>
    public int ImageSize { get; init; } = 224;

    /// <summary>Timesteps T.</summary>
    public int Timesteps { get; init; } = 4;

    /// <summary>Classes of the head.</summary>
    public int Classes { get; init; } = 1000;

    /// <summary><c>rates</c>: price from firing rates (no weights needed); <c>functional</c>: run with seeded random weights on seeded images and price the measured activity.</summary>
    public string Mode { get; init; } = "rates";

    /// <summary>Rates mode: the firing rate of every spiking tensor the rates file does not name.</summary>
    public double UniformRate { get; init; } = 0.15;

    /// <summary>Rates mode: a CSV of <c>layer,rate</c> (layer = a spiking layer's name).</summary>
    public string? RatesFile { get; init; }

    /// <summary>Functional mode: images run.</summary>
    public int Samples { get; init; } = 4;

    /// <summary>Dynamic Confidence early exit threshold (0 = off): stop at the first timestep whose max softmax(accumulated output / 30) exceeds it.</summary>
    public double EarlyExit { get; init; }

    /// <summary>
    /// Functional mode: a trained state dict (<c>.safetensors</c> or <c>.npz</c>, BICLab parameter
    /// names) instead of seeded random weights; null = random weights.
    /// </summary>
    public string? Weights { get; init; }

    /// <summary>Functional mode: fold every RepConv into one 3x3 conv before running (what a chip executes). Default true.</summary>
    public bool Reparameterise { get; init; } = true;

    /// <summary>
    /// Functional mode: what computes the chip's outputs. <c>hardware</c> (default): the layers on
    /// RRAM macros are read on their programmed macros (weights at the macro's weight bits, device,
    /// read noise, ADC, shift-add), LIFs run in the neuron core's fixed-point format, attention on
    /// the SDSA unit. <c>software</c>: the software operators compute every layer with the file's
    /// weights (attention still on the SDSA unit) and the chip only prices the tensors: faster, but
    /// no hardware effect reaches the outputs.
    /// </summary>
    public string ChipCompute { get; init; } = "hardware";

    /// <summary>Functional mode: also run every image in software (the reference for top-1 and for the chip's outputs). Default true.</summary>
    public bool SoftwareReference { get; init; } = true;

    /// <summary>
    /// Functional mode: a labelled N-MNIST-style folder (<c>Train/&lt;label&gt;/*.bin</c>,
    /// <c>Test/&lt;label&gt;/*.bin</c>); the head is trained on Train, <see cref="Samples"/> Test
    /// recordings are run. Null: seeded unlabelled images.
    /// </summary>
    public string? Dataset { get; init; }

    /// <summary>Functional mode with a dataset: training recordings per class for the head.</summary>
    public int TrainPerClass { get; init; } = 10;
}
