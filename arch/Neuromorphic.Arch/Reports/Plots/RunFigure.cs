using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using ScottPlot;

namespace Neuromorphic.Arch.Reports.Plots;

/// <summary>
/// One figure of a run report: a ScottPlot plot built from the run directory's files, rendered on
/// demand to PNG bytes or SVG text. Rendering is deterministic: the same files give the same PNG
/// bytes and the same SVG text (ScottPlot's process-wide clip-path counter is renumbered).
/// </summary>
public sealed partial class RunFigure
{
    private readonly Func<Plot> _build;
    private string? _svg;

    internal RunFigure(string name, string title, string caption, int width, int height, Func<Plot> build)
    {
        Name = name;
        Title = title;
        Caption = caption;
        Width = width;
        Height = height;
        _build = build;
    }

    /// <summary>The same figure under another file stem.</summary>
    internal RunFigure Renamed(string name) => new(name, Title, Caption, Width, Height, _build);

    /// <summary>The file stem under <c>plots/</c>, e.g. <c>energy_by_component</c>.</summary>
    public string Name { get; }

    /// <summary>The figure's title.</summary>
    public string Title { get; }

    /// <summary>One sentence on what the figure shows and which file it comes from.</summary>
    public string Caption { get; }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The PNG file name, <c>NAME.png</c>.</summary>
    public string PngFileName => Name + ".png";

    /// <summary>The SVG file name, <c>NAME.svg</c>.</summary>
    public string SvgFileName => Name + ".svg";

    /// <summary>Renders the figure as PNG.</summary>
    public byte[] RenderPng()
    {
        using var plot = _build();
        return plot.GetImageBytes(Width, Height, ImageFormat.Png);
    }

    /// <summary>
    /// Renders the figure as a standalone SVG document. Skia numbers clip paths with a process-wide
    /// hexadecimal counter (<c>cl_1a</c>); they are renumbered from <c>cl_1</c> in order of appearance.
    /// </summary>
    public string RenderSvg()
    {
        if (_svg is not null) return _svg;
        using var plot = _build();
        return _svg = Canonical(plot.GetSvgXml(Width, Height));
    }

    /// <summary>
    /// An SVG document from ScottPlot made independent of what the process rendered before: clip-path
    /// ids renumbered from <c>cl_1</c> in order of appearance (Skia counts them process-wide), and the
    /// trailing separators of glyph position lists trimmed.
    /// </summary>
    public static string Canonical(string svg)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        svg = ClipId().Replace(svg, m =>
        {
            if (!ids.TryGetValue(m.Value, out var id)) ids[m.Value] = id = "cl_" + (ids.Count + 1).ToString(CultureInfo.InvariantCulture);
            return id;
        });
        // Skia writes per-glyph positions with a trailing separator ("0, 7.7, "): trim it so strict parsers accept the list.
        svg = TrailingListSeparator().Replace(svg, "$1\"");
        return svg;
    }

    /// <summary>
    /// The SVG as an element for inlining in an HTML page: no XML declaration and no namespace
    /// declarations (HTML parsers add them; this keeps the page free of URLs), ids prefixed by the
    /// figure name so several figures can share one page, a <c>viewBox</c> so the figure scales,
    /// and an accessible label.
    /// </summary>
    public string RenderInlineSvg()
    {
        var svg = RenderSvg();
        var start = svg.IndexOf("<svg", StringComparison.Ordinal);
        if (start > 0) svg = svg[start..];
        var prefix = "fig-" + Name + "-";
        svg = ClipId().Replace(svg, m => prefix + m.Value);
        var tagEnd = svg.IndexOf('>', StringComparison.Ordinal);
        var tag = svg[..tagEnd];
        tag = NamespaceAttribute().Replace(tag, "");
        var label = Escape(Title);
        tag += string.Create(CultureInfo.InvariantCulture, $" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{label}\"");
        var sb = new StringBuilder(svg.Length + 64);
        sb.Append(tag).Append(svg, tagEnd, svg.Length - tagEnd);
        return sb.ToString().TrimEnd();
    }

    private static string Escape(string s) => s.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal).Replace("\"", "&quot;", StringComparison.Ordinal);

    [GeneratedRegex(@"(?<=\sid=""|url\(#)cl_[0-9A-Za-z]+")]
    private static partial Regex ClipId();

    [GeneratedRegex(@"(\s(?:x|y|dx|dy)=""[^""]*?)[,\s]+""")]
    private static partial Regex TrailingListSeparator();

    [GeneratedRegex(@"\s+xmlns(?::[a-z]+)?=""[^""]*""")]
    private static partial Regex NamespaceAttribute();
}
