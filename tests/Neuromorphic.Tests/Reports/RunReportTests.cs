using Neuromorphic.Arch.Reports.Html;
using Neuromorphic.Arch.Reports.Plots;
using Neuromorphic.Tests.Cli;
using Neuromorphic.Traces;
using NUnit.Framework;

namespace Neuromorphic.Tests.Reports;

/// <summary>Plots and reports from small hand-made run directories.</summary>
public sealed class RunReportTests
{
    private static readonly string[] LsmFigures =
        ["energy_by_component", "energy_by_layer", "latency_per_timestep", "sparsity_per_layer", "spikes_input", "spikes_reservoir"];

    private string _dir = "";

    [SetUp]
    public void CreateDirectory() => _dir = Directory.CreateTempSubdirectory("nm-report-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    /// <summary>An LSM-like run directory with every file, a component named with HTML in it and a source with a script tag.</summary>
    private string WriteLsmRun(string name = "run")
    {
        var dir = Path.Combine(_dir, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "summary.json"), """
            {
              "tool_version": "1.0.0.0",
              "config": "preset:tiny-lsm",
              "config_hash": "0123456789abcdef",
              "name": "tiny <lsm>",
              "seed": 42,
              "architecture": "rram-test",
              "technology_nm": 40,
              "base_clock_hz": 1000000000,
              "timesteps": 4,
              "energy_J": 3.5e-9,
              "energy_per_inference_J": 1.75e-9,
              "latency_cycles": 1800,
              "latency_s": 1.8e-6,
              "edp_Js": 3.15e-15,
              "energy_per_synaptic_op_pJ": 1.25,
              "spikes": 9,
              "activation_sparsity": 0.8,
              "accuracy": 0.75,
              "golden_spike_agreement": null
            }
            """);
        File.WriteAllText(Path.Combine(dir, "energy_breakdown.csv"),
            "layer,unit,component,action,count,energy_per_action_pJ,dynamic_pJ,leakage_pJ\n"
            + "input,macro,sar_adc,conversion,1000,0.25,250,0\n"
            + "input,macro,adc<b>,conversion,10,1,10,0\n"
            + "reservoir,neuron_core,digital_neuron,lif_update,100,0.75,75,0\n"
            + "readout,accumulate_core,accumulate_core,mac,200,0.5,100,0\n"
            + ",accumulate_core,accumulate_core,leakage,1,0,0,40\n"
            + ",macro,rram_macro,operation,5,0,0,0\n");
        File.WriteAllText(Path.Combine(dir, "cost_table.csv"),
            "component,action,energy_pJ,latency_ns,area_um2,leakage_uW,source\n"
            + "sar_adc,conversion,0.25,9,,,\"assumed: x <script>alert(1)</script>, y & z\"\n"
            + "digital_neuron,lif_update,0.75,15,,,Horowitz ISSCC 2014\n"
            + "accumulate_core,instance,,,1200,26.3,assumed: area\n");
        File.WriteAllText(Path.Combine(dir, "latency_breakdown.csv"),
            "timestep,latency_cycles,latency_ns\n0,400,400\n1,450,450\n2,500,500\n3,450,450\n");
        File.WriteAllText(Path.Combine(dir, "sparsity.csv"),
            "layer,timestep,activity,sparsity\ninput,0,0.25,0.75\ninput,1,0.5,0.5\ninput,2,0,1\ninput,3,0.25,0.75\n"
            + "reservoir,0,0.2,0.8\nreservoir,1,0.4,0.6\nreservoir,2,0.2,0.8\nreservoir,3,0,1\n");
        File.WriteAllText(Path.Combine(dir, "spikes_input.csv"), "1,0,0,0\n0,1,1,0\n0,0,0,0\n1,0,0,0\n");
        File.WriteAllText(Path.Combine(dir, "spikes_reservoir.csv"), "0,1,0,0,0\n1,1,0,0,0\n0,0,0,1,0\n0,0,0,0,0\n");
        return dir;
    }

    [Test]
    public void WriteAllWritesEveryFigureAsPngAndSvg()
    {
        var dir = WriteLsmRun();
        var written = RunPlots.WriteAll(dir);
        var plots = Path.Combine(dir, "plots");
        var expected = LsmFigures.SelectMany(f => new[] { Path.Combine(plots, f + ".png"), Path.Combine(plots, f + ".svg") }).ToArray();
        Assert.That(written, Is.EqualTo(expected));
        Assert.That(Directory.GetFiles(plots).Order(StringComparer.Ordinal), Is.EqualTo(expected.Order(StringComparer.Ordinal)), "no temporary files left");
        foreach (var png in expected.Where(p => p.EndsWith(".png", StringComparison.Ordinal)))
            Assert.That(File.ReadAllBytes(png).Take(8), Is.EqualTo(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }), png);
        foreach (var svg in expected.Where(p => p.EndsWith(".svg", StringComparison.Ordinal)))
            Assert.That(File.ReadAllText(svg), Does.Contain("<svg").And.Contain("</svg>"), svg);
    }

    [Test]
    public void PlotsAndReportsAreDeterministic()
    {
        byte[][] Run(string name)
        {
            var dir = WriteLsmRun(name);
            RunPlots.WriteAll(dir);
            RunReport.Write(dir, "html");
            RunReport.Write(dir, "md");
            var files = Directory.GetFiles(Path.Combine(dir, "plots")).Order(StringComparer.Ordinal)
                .Append(Path.Combine(dir, "report.html")).Append(Path.Combine(dir, "report.md"));
            return files.Select(File.ReadAllBytes).ToArray();
        }
        var first = Run("a");
        var second = Run("b");
        Assert.That(second, Has.Length.EqualTo(first.Length));
        for (var i = 0; i < first.Length; i++) Assert.That(second[i], Is.EqualTo(first[i]), $"file {i}");
    }

    [Test]
    public void FiguresWhoseDataIsAbsentAreSkipped()
    {
        var dir = WriteLsmRun();
        foreach (var f in new[] { "latency_breakdown.csv", "sparsity.csv", "spikes_input.csv", "spikes_reservoir.csv" }) File.Delete(Path.Combine(dir, f));
        RunPlots.WriteAll(dir);
        Assert.That(Directory.GetFiles(Path.Combine(dir, "plots")).Select(Path.GetFileName).Order(StringComparer.Ordinal),
            Is.EqualTo(new[] { "energy_by_component.png", "energy_by_component.svg", "energy_by_layer.png", "energy_by_layer.svg" }));
        var html = File.ReadAllText(RunReport.Write(dir, ReportFormat.Html));
        Assert.That(Count(html, "<svg"), Is.EqualTo(2));
        Assert.That(html, Does.Not.Contain("Spike rasters").And.Not.Contain("Latency per timestep"));
    }

    [Test]
    public void HtmlReportIsSelfContainedAndEscapesTheFiles()
    {
        var dir = WriteLsmRun();
        var path = RunReport.Write(dir, "html");
        Assert.That(path, Is.EqualTo(Path.Combine(dir, "report.html")));
        var html = File.ReadAllText(path);
        Assert.That(html, Does.StartWith("<!DOCTYPE html>"));
        Assert.That(html, Does.Not.Contain("<script").IgnoreCase);
        Assert.That(html, Does.Not.Contain("http://").And.Not.Contain("https://"));
        Assert.That(html, Does.Not.Contain("<link").And.Not.Contain(" src=").And.Not.Contain("@import").And.Not.Contain("<?xml"));
        Assert.That(Count(html, "<svg"), Is.EqualTo(LsmFigures.Length), "every figure inline as SVG");
        foreach (var figure in LsmFigures) Assert.That(html, Does.Contain($"<figure id=\"fig-{figure}\">"));
        Assert.That(html, Does.Contain("<style>"));
        // Strings from the files are escaped: the component 'adc<b>', the name 'tiny <lsm>', the source with a script tag.
        Assert.That(html, Does.Not.Contain("adc<b>").And.Not.Contain("<b>").And.Not.Contain("<lsm>"));
        Assert.That(html, Does.Contain("adc&lt;b&gt;").And.Contain("tiny &lt;lsm&gt;"));
        Assert.That(html, Does.Contain("assumed: x &lt;script&gt;alert(1)&lt;/script&gt;, y &amp; z"));
        // The configuration note and headline figures with units.
        Assert.That(html, Does.Contain("0123456789abcdef").And.Contain("seed 42").And.Contain("preset:tiny-lsm"));
        Assert.That(html, Does.Contain("1.75 nJ").And.Contain("1.8 µs").And.Contain("75.00 %"));
        // Clip-path ids are unique across the inline figures.
        var ids = System.Text.RegularExpressions.Regex.Matches(html, "id=\"(fig-[^\"]+cl_[0-9]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.That(ids, Is.Not.Empty.And.Unique);
    }

    [Test]
    public void MarkdownReportReferencesThePngsAndHasTheTables()
    {
        var dir = WriteLsmRun();
        RunPlots.WriteAll(dir);
        var path = RunReport.Write(dir, "md");
        Assert.That(path, Is.EqualTo(Path.Combine(dir, "report.md")));
        var md = File.ReadAllText(path);
        foreach (var figure in LsmFigures)
        {
            Assert.That(md, Does.Contain($"](plots/{figure}.png)"));
            Assert.That(File.Exists(Path.Combine(dir, "plots", figure + ".png")), figure);
        }
        Assert.That(md, Does.Contain("## Headline figures").And.Contain("## Energy by component").And.Contain("## Energy by layer").And.Contain("## Cost table"));
        Assert.That(md, Does.Contain("| Component | Dynamic (pJ) | Leakage (pJ) | Total (pJ) | Share |"));
        Assert.That(md, Does.Contain("0123456789abcdef").And.Contain("seed 42"));
        Assert.That(md, Does.Contain("adc&lt;b&gt;").And.Not.Contain("<b>").And.Not.Contain("<script"));
    }

    [Test]
    public void ComponentAndLayerSumsComeFromTheLedger()
    {
        var run = RunFiles.Load(WriteLsmRun());
        var components = RunAggregates.ByComponent(run);
        Assert.That(components.Select(c => c.Component), Is.EqualTo(new[] { "sar_adc", "accumulate_core", "digital_neuron", "adc<b>", "rram_macro" }));
        Assert.That(components[1].DynamicPj, Is.EqualTo(100));
        Assert.That(components[1].LeakagePj, Is.EqualTo(40));
        var layers = RunAggregates.ByLayer(run, top: 2);
        Assert.That(layers.Select(l => l.Layer), Is.EqualTo(new[] { "input", "readout", "other (2 layers)" }));
        Assert.That(layers[2].TotalPj, Is.EqualTo(115));
        Assert.That(RunAggregates.ByLayer(run).Select(l => l.Layer), Does.Contain(RunAggregates.NoLayer));
    }

    [Test]
    public void TransformerRunsPlotLayersCsv()
    {
        var dir = WriteLsmRun();
        foreach (var f in new[] { "latency_breakdown.csv", "sparsity.csv", "spikes_input.csv", "spikes_reservoir.csv" }) File.Delete(Path.Combine(dir, f));
        File.WriteAllText(Path.Combine(dir, "layers.csv"),
            "layer,kind,target,input_rate,input_sparsity,dense_ops,effective_acs,effective_macs,membrane_updates,parameters,footprint_bytes,connection_sparsity,macros,energy_pJ,latency_cycles\n"
            + "conv1,Conv,digital,1,0,100,0,100,0,10,40,0,0,500.5,900\n"
            + "lif1,Lif,neuron,0.2,0.8,0,0,0,64,0,0,0,0,20,60\n"
            + "fc,Linear,rram,0.1,0.9,64,6,0,0,64,256,0,1,35,120\n");
        var run = RunFiles.Load(dir);
        Assert.That(RunPlots.Build(run).Select(f => f.Name), Is.EqualTo(new[] { "energy_by_component", "energy_by_layer", "latency_by_layer", "sparsity_per_layer" }));
        var html = File.ReadAllText(RunReport.Write(dir, ReportFormat.Html));
        Assert.That(html, Does.Contain("<section id=\"layers\">").And.Contain("conv1"));
    }

    [Test]
    public void MissingFilesAndMalformedRowsNameTheFile()
    {
        var missing = Path.Combine(_dir, "nowhere");
        Assert.That(() => RunFiles.Load(missing), Throws.TypeOf<FileNotFoundException>().With.Message.Contains("nowhere"));

        var dir = WriteLsmRun();
        File.Delete(Path.Combine(dir, "cost_table.csv"));
        Assert.That(() => RunFiles.Load(dir), Throws.TypeOf<FileNotFoundException>().With.Message.Contains("cost_table.csv"));

        dir = WriteLsmRun("bad-number");
        File.AppendAllText(Path.Combine(dir, "energy_breakdown.csv"), "input,macro,sar_adc,conversion,1,0.25,lots,0\n");
        var ex = Assert.Throws<InputFormatException>(() => RunFiles.Load(dir))!;
        Assert.That(ex.File, Does.EndWith("energy_breakdown.csv"));
        Assert.That(ex.Location, Is.EqualTo("line 8"));
        Assert.That(ex.Problem, Does.Contain("dynamic_pJ"));

        dir = WriteLsmRun("bad-json");
        File.WriteAllText(Path.Combine(dir, "summary.json"), "{\n  \"name\": \"x\",\n  oops\n}");
        ex = Assert.Throws<InputFormatException>(() => RunFiles.Load(dir))!;
        Assert.That(ex.File, Does.EndWith("summary.json"));
        Assert.That(ex.Location, Is.EqualTo("line 3"));

        dir = WriteLsmRun("bad-spikes");
        File.WriteAllText(Path.Combine(dir, "spikes_input.csv"), "1,0\n0,1,1\n");
        ex = Assert.Throws<InputFormatException>(() => RunFiles.Load(dir))!;
        Assert.That(ex.File, Does.EndWith("spikes_input.csv"));
    }

    [Test]
    public void ASoftwareOnlyRunDirectoryIsRefusedSayingWhy()
    {
        // It said "not a run directory?" of the directory run --example --out had just written.
        var run = Path.Combine(_dir, "example");
        Assert.That(CliRunner.Run("run", "--example", "--timesteps", "20", "--out", run).Exit, Is.EqualTo(0));
        var (exit, _, error) = CliRunner.Run("report", run);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("software-only run").And.Contain("--arch"));
    }

    [Test]
    public void CliReportWritesPlotsAndReportAndPrintsThePath()
    {
        var dir = WriteLsmRun();
        var (exit, output, error) = CliRunner.Run("report", dir);
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output.Trim(), Is.EqualTo(Path.Combine(dir, "report.html")));
        Assert.That(File.Exists(Path.Combine(dir, "plots", "energy_by_component.png")));

        (exit, output, error) = CliRunner.Run("report", dir, "--format", "md");
        Assert.That(exit, Is.EqualTo(0), error);
        Assert.That(output.Trim(), Is.EqualTo(Path.Combine(dir, "report.md")));
    }

    [Test]
    public void CliReportOnAMissingDirectoryExitsTwo()
    {
        var missing = Path.Combine(_dir, "no-such-run");
        var (exit, _, error) = CliRunner.Run("report", missing);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("no-such-run"));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public void CliReportOnAMalformedFileExitsTwoNamingIt()
    {
        var dir = WriteLsmRun();
        File.WriteAllText(Path.Combine(dir, "latency_breakdown.csv"), "timestep,latency_ns\n0,1\n");
        var (exit, _, error) = CliRunner.Run("report", dir);
        Assert.That(exit, Is.EqualTo(2));
        Assert.That(error, Does.Contain("latency_breakdown.csv: line 1").And.Contain("latency_cycles"));
        Assert.That(error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}
