namespace Neuromorphic.Sim.Transformers;

/// <summary>A spike-driven transformer: its layers in execution order and its input.</summary>
/// <param name="Name">Registry name, e.g. <c>meta-spikeformer-8-512</c>.</param>
/// <param name="ImageChannels">Input channels (3).</param>
/// <param name="ImageSize">Input height and width.</param>
/// <param name="Timesteps">T.</param>
/// <param name="Classes">Output classes.</param>
/// <param name="Layers">Layers in an order where every input comes before its user.</param>
public sealed record TransformerModel(string Name, int ImageChannels, int ImageSize, int Timesteps, int Classes, IReadOnlyList<ModelLayer> Layers)
{
    /// <summary>Name of the network input in <see cref="ModelLayer.Inputs"/>.</summary>
    public const string ImageInput = "image";

    /// <summary>Total parameters.</summary>
    public long Parameters => Layers.Sum(l => l.Parameters);

    /// <summary>The first (encoding) conv: the only layer fed by the real-valued image.</summary>
    public ModelLayer FirstConv => Layers.First(l => l.Kind == LayerKind.Conv && !l.SpikingInput);

    /// <summary>FLOPs of the first conv per timestep.</summary>
    public long FlopsFirstConv => FirstConv.Flops;

    /// <summary>The layer of that name.</summary>
    public ModelLayer this[string name] => Layers.FirstOrDefault(l => l.Name == name) ?? throw new KeyNotFoundException($"no layer '{name}' in {Name}");
}
