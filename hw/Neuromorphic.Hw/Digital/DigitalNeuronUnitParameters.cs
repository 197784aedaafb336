using Neuromorphic.Hw.Periphery;

namespace Neuromorphic.Hw.Digital;

/// <summary>Parameters of a digital (fixed-point) neuron update unit.</summary>
public sealed record DigitalNeuronUnitParameters
{
    /// <summary>Neurons updated per cycle.</summary>
    public int Lanes { get; init; } = 16;

    /// <summary>Width of the membrane (and synaptic current) registers, 2 to 32 bits.</summary>
    public int MembraneBits { get; init; } = 16;

    /// <summary>Fractional bits of the membrane format; decays share this format.</summary>
    public int FractionBits { get; init; } = 8;

    /// <summary>Clock in Hz.</summary>
    public double ClockHz { get; init; } = 200e6;

    /// <summary>Technology node in nanometres.</summary>
    public double TechnologyNm { get; init; } = 40;

    /// <summary>Pipeline fill in cycles added to every batch (assumed 2: a 3-stage multiply / add / compare-reset pipeline).</summary>
    public int PipelineLatencyCycles { get; init; } = 2;

    /// <summary>The membrane format these parameters imply.</summary>
    public FixedPointFormat Format => new(MembraneBits, FractionBits);

    /// <summary>Capacity of the core's neuron-state SRAM, bytes (assumed 8 KB, Horowitz's reference size); prices the state read and write of every update.</summary>
    public long StateSramBytes { get; init; } = 8192;

    /// <summary>Checks every value; throws <see cref="ArgumentException"/> naming the first bad field.</summary>
    /// <exception cref="ArgumentException">A field is out of range.</exception>
    public void Validate()
    {
        if (Lanes < 1)
        {
            throw new ArgumentException($"DigitalNeuronUnitParameters.Lanes must be >= 1, found {Lanes}", nameof(Lanes));
        }
        if (MembraneBits is < 2 or > 32)
        {
            throw new ArgumentException($"DigitalNeuronUnitParameters.MembraneBits must be in [2, 32], found {MembraneBits}", nameof(MembraneBits));
        }
        if (FractionBits < 0 || FractionBits >= MembraneBits)
        {
            throw new ArgumentException($"DigitalNeuronUnitParameters.FractionBits must be in [0, MembraneBits - 1], found {FractionBits}", nameof(FractionBits));
        }
        if (!(ClockHz > 0) || double.IsInfinity(ClockHz))
        {
            throw new ArgumentException($"DigitalNeuronUnitParameters.ClockHz must be > 0 and finite, found {ClockHz}", nameof(ClockHz));
        }
        TechnologyNode.Validate(TechnologyNm, "DigitalNeuronUnitParameters.TechnologyNm");
        if (PipelineLatencyCycles < 0)
        {
            throw new ArgumentException($"DigitalNeuronUnitParameters.PipelineLatencyCycles must be >= 0, found {PipelineLatencyCycles}", nameof(PipelineLatencyCycles));
        }
    }
}
