using System.Globalization;
using System.Text.Json;
using Neuromorphic.Sim.Networks;
using Neuromorphic.Sim.Transformers;
using Neuromorphic.Sim.Transformers.Models;
using Spectre.Console;

namespace Neuromorphic.Cli.Commands;

/// <summary><c>inspect model:NAME</c>: a spike-driven transformer's layers, shapes, parameters and FLOPs.</summary>
internal static class ModelInspection
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    public static int Print(Terminal terminal, string name, bool json)
    {
        var modelName = name["model:".Length..];
        if (!ModelZoo.TryCreate(modelName, out var model))
            throw new UsageException($"{name}: unknown model (known: {string.Join(", ", ModelZoo.Names)}, or meta-spikeformer-C1-C2-C3-C4, sdt-v1-L-D)");
        if (json)
        {
            var document = new
            {
                name = model.Name,
                image_size = model.ImageSize,
                timesteps = model.Timesteps,
                classes = model.Classes,
                parameters = model.Parameters,
                published_parameters = ModelZoo.PublishedParameters.GetValueOrDefault(model.Name),
                flops_first_conv = model.FlopsFirstConv,
                flops_per_timestep = model.Layers.Sum(l => l.Flops),
                layers = model.Layers.Select(l => new
                {
                    name = l.Name, kind = l.Kind.ToString(), inputs = l.Inputs, shape = new[] { l.Channels, l.Height, l.Width },
                    kernel = l.Kernel, stride = l.Stride, groups = l.Groups, parameters = l.Parameters, flops = l.Flops,
                }),
            };
            terminal.Out.WriteLine(JsonSerializer.Serialize(document, JsonOptions));
            return ExitCodes.Ok;
        }
        string F(double x) => x.ToString("N0", CultureInfo.InvariantCulture);
        var table = new Table().Border(TableBorder.Rounded).AddColumn("layer").AddColumn("kind").AddColumn("output")
            .AddColumn(new TableColumn("params").RightAligned()).AddColumn(new TableColumn("FLOPs / step").RightAligned());
        table.Title = new TableTitle(Markup.Escape($"{model.Name}: {model.ImageSize}x{model.ImageSize}, T = {model.Timesteps}, {model.Classes} classes"));
        foreach (var l in model.Layers.Where(l => l.Kind is not (LayerKind.Add or LayerKind.Scale)))
            table.AddRow(Markup.Escape(l.Name), l.Kind.ToString(), Shape.Format([l.Channels, l.Height, l.Width]), F(l.Parameters), F(l.Flops));
        table.AddEmptyRow();
        table.AddRow("[bold]total[/]", $"{model.Layers.Count} layers", "", F(model.Parameters), F(model.Layers.Sum(l => l.Flops)));
        terminal.Console.Write(table);
        terminal.Console.WriteLine($"parameters {F(model.Parameters)}; FLOPs of the first conv {F(model.FlopsFirstConv)}");
        return ExitCodes.Ok;
    }
}
