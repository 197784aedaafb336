using System.Text;
using Neuromorphic.Arch.Reports.Plots;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Reports.Html;

/// <summary>The format of a run report.</summary>
public enum ReportFormat
{
    /// <summary><c>report.md</c>: Markdown tables, figures referenced as <c>plots/*.png</c>.</summary>
    Markdown,

    /// <summary><c>report.html</c>: one self-contained page (inline CSS, figures as inline SVG, no scripts, no external resources).</summary>
    Html,
}

/// <summary>
/// Writes the report of a run directory, fed only by its files (see <see cref="RunFiles"/>): the
/// headline figures with units, the configuration (name, hash, seed), the top energy components and
/// layers, latency, sparsity, spike rasters, the cost table with sources and every summary value.
/// The HTML report is a single self-contained file that opens offline: inline CSS, figures as inline
/// SVG, no <c>&lt;script&gt;</c>, no fonts or other resources fetched. Every string from the files is
/// escaped. The same files give the same bytes.
/// </summary>
public static class RunReport
{
    /// <summary>The Markdown report's file name.</summary>
    public const string MarkdownFile = "report.md";

    /// <summary>The HTML report's file name.</summary>
    public const string HtmlFile = "report.html";

    /// <summary>Parses <c>md</c>/<c>markdown</c> or <c>html</c> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Another format.</exception>
    public static ReportFormat ParseFormat(string format) => format?.Trim().ToLowerInvariant() switch
    {
        "md" or "markdown" => ReportFormat.Markdown,
        "html" or "htm" => ReportFormat.Html,
        _ => throw new ArgumentException($"unknown report format '{format}' (use md or html)", nameof(format)),
    };

    /// <summary>Writes <c>report.md</c> or <c>report.html</c> (format <c>md</c> or <c>html</c>) into the run directory.</summary>
    /// <returns>The path of the report.</returns>
    /// <exception cref="FileNotFoundException">The directory or a required file is missing.</exception>
    /// <exception cref="InputFormatException">A file is malformed.</exception>
    public static string Write(string runDirectory, string format) => Write(runDirectory, ParseFormat(format));

    /// <summary>
    /// Writes the report into the run directory. The Markdown report refers to <c>plots/*.png</c>:
    /// write them with <see cref="RunPlots.WriteAll"/> (the <c>neuromorphic report</c> command does both).
    /// </summary>
    /// <returns>The path of the report.</returns>
    public static string Write(string runDirectory, ReportFormat format)
    {
        var run = RunFiles.Load(runDirectory);
        return Write(run, RunPlots.Build(run), format);
    }

    /// <summary>
    /// Writes the report of an already-read run with the given figures (atomically, the text composed in memory first),
    /// after deleting report temporary files a killed earlier run left (<see cref="ReportTemporaryFiles"/>).
    /// </summary>
    /// <returns>The path of the report.</returns>
    public static string Write(RunFiles run, IReadOnlyList<RunFigure> figures, ReportFormat format)
    {
        ArgumentNullException.ThrowIfNull(run);
        var path = Path.Combine(run.Directory, format == ReportFormat.Html ? HtmlFile : MarkdownFile);
        var text = format == ReportFormat.Html ? ToHtml(run, figures) : ToMarkdown(run, figures);
        ReportTemporaryFiles.RemoveLeftovers(run.Directory, name => name is HtmlFile or MarkdownFile);
        AtomicFile.WriteText(path, w => w.Write(text));
        return path;
    }

    /// <summary>The HTML report as text.</summary>
    public static string ToHtml(RunFiles run, IReadOnlyList<RunFigure> figures)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(figures);
        var sections = ReportContent.Sections(run, figures);
        var title = ReportContent.Title(run);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<title>").Append(Escape(title)).Append("</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n")
          .Append("<h1>").Append(Escape(title)).Append("</h1>\n")
          .Append("<p class=\"config\">").Append(Escape(ReportContent.ConfigurationNote(run))).Append("</p>\n")
          .Append("<nav><ul>");
        foreach (var s in sections)
            sb.Append("<li><a href=\"#").Append(s.Id).Append("\">").Append(Escape(s.Title)).Append("</a></li>");
        sb.Append("</ul></nav>\n");
        foreach (var section in sections)
        {
            sb.Append("<section id=\"").Append(section.Id).Append("\">\n<h2>").Append(Escape(section.Title)).Append("</h2>\n");
            if (section.Intro is { } intro) sb.Append("<p>").Append(Escape(intro)).Append("</p>\n");
            foreach (var table in section.Tables) HtmlTable(sb, table);
            foreach (var figure in section.Figures)
            {
                sb.Append("<figure id=\"fig-").Append(figure.Name).Append("\">\n")
                  .Append(figure.RenderInlineSvg()).Append('\n')
                  .Append("<figcaption>").Append(Escape(figure.Caption))
                  .Append(" Files: plots/").Append(Escape(figure.PngFileName)).Append(", plots/").Append(Escape(figure.SvgFileName)).Append(".</figcaption>\n</figure>\n");
            }
            sb.Append("</section>\n");
        }
        sb.Append("<footer><p>Written by <code>neuromorphic report</code> from the files of the run directory: ")
          .Append(Escape(string.Join(", ", run.FilesRead))).Append(".</p></footer>\n</main>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>The Markdown report as text; figures are referenced as <c>plots/NAME.png</c>.</summary>
    public static string ToMarkdown(RunFiles run, IReadOnlyList<RunFigure> figures)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(figures);
        var sections = ReportContent.Sections(run, figures);
        var sb = new StringBuilder();
        sb.Append("# ").Append(Md(ReportContent.Title(run))).Append("\n\n")
          .Append(Md(ReportContent.ConfigurationNote(run))).Append("\n\n");
        foreach (var section in sections)
        {
            sb.Append("## ").Append(Md(section.Title)).Append("\n\n");
            if (section.Intro is { } intro) sb.Append(Md(intro)).Append("\n\n");
            foreach (var table in section.Tables) MarkdownTable(sb, table);
            foreach (var figure in section.Figures)
                sb.Append("![").Append(Md(figure.Title)).Append("](").Append(RunPlots.PlotsFolder).Append('/').Append(figure.PngFileName).Append(")\n\n")
                  .Append('*').Append(Md(figure.Caption)).Append("* (vector: [").Append(RunPlots.PlotsFolder).Append('/').Append(Md(figure.SvgFileName))
                  .Append("](").Append(RunPlots.PlotsFolder).Append('/').Append(figure.SvgFileName).Append("))\n\n");
        }
        sb.Append("---\n\nWritten by `neuromorphic report` from the files of the run directory: ").Append(Md(string.Join(", ", run.FilesRead))).Append(".\n");
        return sb.ToString();
    }

    /// <summary>Escapes text for HTML element content and attribute values.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
            sb.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => c.ToString(),
            });
        return sb.ToString();
    }

    /// <summary>Escapes text for a Markdown paragraph or table cell (inline HTML and Markdown syntax are neutralised).</summary>
    public static string Md(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length + 16);
        foreach (var c in text)
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '\r' or '\n': sb.Append(' '); break;
                case '\\' or '|' or '*' or '_' or '`' or '[' or ']' or '#' or '!': sb.Append('\\').Append(c); break;
                default: sb.Append(c); break;
            }
        return sb.ToString();
    }

    private static void HtmlTable(StringBuilder sb, ReportTable table)
    {
        sb.Append("<table>\n<thead><tr>");
        for (var i = 0; i < table.Header.Length; i++)
            sb.Append(table.Numeric[i] ? "<th class=\"num\">" : "<th>").Append(Escape(table.Header[i])).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in table.Rows)
        {
            sb.Append("<tr>");
            for (var i = 0; i < row.Length; i++)
                sb.Append(table.Numeric[i] ? "<td class=\"num\">" : "<td>").Append(Escape(row[i])).Append("</td>");
            sb.Append("</tr>\n");
        }
        sb.Append("</tbody>\n</table>\n");
        if (table.Note is { } note) sb.Append("<p class=\"note\">").Append(Escape(note)).Append("</p>\n");
    }

    private static void MarkdownTable(StringBuilder sb, ReportTable table)
    {
        sb.Append('|');
        foreach (var h in table.Header) sb.Append(' ').Append(Md(h)).Append(" |");
        sb.Append("\n|");
        foreach (var numeric in table.Numeric) sb.Append(numeric ? " ---: |" : " --- |");
        sb.Append('\n');
        foreach (var row in table.Rows)
        {
            sb.Append('|');
            foreach (var cell in row) sb.Append(' ').Append(Md(cell)).Append(" |");
            sb.Append('\n');
        }
        sb.Append('\n');
        if (table.Note is { } note) sb.Append(Md(note)).Append("\n\n");
    }

    private const string Css = """
        :root { color-scheme: light; }
        body { margin: 0; background: #f6f7f9; color: #1d2330; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", Arial, sans-serif; }
        main { max-width: 1040px; margin: 0 auto; padding: 24px 28px 40px; background: #fff; }
        h1 { font-size: 1.7em; margin: 0.2em 0 0.3em; }
        h2 { font-size: 1.3em; margin: 1.6em 0 0.5em; padding-bottom: 0.2em; border-bottom: 2px solid #e3e6eb; }
        p.config { color: #4a5466; margin-top: 0; }
        nav ul { list-style: none; padding: 0; margin: 0.5em 0 0; display: flex; flex-wrap: wrap; gap: 6px 14px; }
        nav a { color: #1f5fa8; text-decoration: none; }
        table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.92em; }
        th, td { border: 1px solid #d9dde3; padding: 4px 9px; text-align: left; vertical-align: top; }
        th { background: #eef1f5; }
        tbody tr:nth-child(even) { background: #f8f9fb; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        p.note { color: #4a5466; font-size: 0.9em; margin-top: 0.2em; }
        figure { margin: 1em 0 1.6em; }
        figure svg { display: block; max-width: 100%; height: auto; border: 1px solid #e3e6eb; }
        figcaption { color: #4a5466; font-size: 0.9em; margin-top: 0.4em; }
        footer { margin-top: 2.5em; color: #6b7486; font-size: 0.85em; }
        code { font-family: "DejaVu Sans Mono", monospace; }

        """;
}
