using Neuromorphic.Sim.Neurons;

namespace Neuromorphic.Sim.Networks;

/// <summary>A population of neurons; <see cref="Shape"/> arranges <see cref="NeuronModel.Size"/> neurons (e.g. C x H x W after a convolution).</summary>
public sealed record NeuronNode : Node
{
    /// <summary>Creates a population node; the shape's size must equal the model's size.</summary>
    public NeuronNode(string name, NeuronModel model, int[]? shape = null) : base(name)
    {
        Model = model;
        Shape = shape ?? [model.Size];
        if (Networks.Shape.Size(Shape) != model.Size)
            throw new ArgumentException($"node '{name}': shape {Networks.Shape.Format(Shape)} does not hold {model.Size} neurons");
    }

    /// <summary>The neuron model and its parameters.</summary>
    public NeuronModel Model { get; }
    /// <summary>Arrangement of the neurons.</summary>
    public int[] Shape { get; }

    /// <inheritdoc />
    public override string NirType => Model.Kind;
    /// <inheritdoc />
    public override int[]? InputShape => Model.InputSize == Model.Size ? Shape : [Model.InputSize];
    /// <inheritdoc />
    public override int[]? OutputShape => Shape;
    /// <inheritdoc />
    public override long ParameterCount => Model.Parameters.Sum(p => (long)p.Values.Length);
}
