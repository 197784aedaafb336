using System.Text.Json;
using Neuromorphic.Arch.Runs.Records;
using NUnit.Framework;

namespace Neuromorphic.Tests.Runs;

/// <summary>The one run-record writer: catalogue names only, right kinds, valid JSON whatever the values.</summary>
public sealed class RunRecordTests
{
    [Test]
    public void A_name_outside_the_catalogue_is_refused()
    {
        var record = new RunRecord();
        Assert.Throws<KeyNotFoundException>(() => record.Number("energy_per_synaptic_event_pJ", 1.0));
    }

    [Test]
    public void A_value_of_the_wrong_kind_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new RunRecord().Text("energy_J", "1"));
        Assert.Throws<ArgumentException>(() => new RunRecord().Number("spikes", 1.5));
        Assert.Throws<InvalidOperationException>(() => new RunRecord().Count("spikes", 1).Count("spikes", 2));
    }

    [Test]
    public void Values_that_are_not_finite_are_written_as_null_and_the_file_parses()
    {
        var dir = Path.Combine(Path.GetTempPath(), "nm-record-" + Guid.NewGuid().ToString("N"));
        try
        {
            new RunRecord().Number("accuracy", double.NaN).Number("real_time_factor", double.PositiveInfinity)
                .Number("energy_J", 2.5e-9).Count("spikes", 12).Map("firing_rates", [KeyValuePair.Create("b", 0.5), KeyValuePair.Create("a", double.NaN)])
                .WriteSummary(dir);
            using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
            var root = doc.RootElement;
            Assert.That(root.GetProperty("accuracy").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(root.GetProperty("real_time_factor").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(root.GetProperty("energy_J").GetDouble(), Is.EqualTo(2.5e-9));
            Assert.That(root.GetProperty("spikes").GetInt64(), Is.EqualTo(12));
            Assert.That(root.GetProperty("firing_rates").EnumerateObject().Select(p => p.Name), Is.EqualTo(new[] { "a", "b" }));
            Assert.That(Directory.GetFiles(dir), Has.Length.EqualTo(1), "no temporary file is left behind");
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Test]
    public void Catalogue_names_are_unique_snake_case_with_units_and_descriptions()
    {
        var names = MetricCatalogue.All.Select(m => m.Name).ToList();
        Assert.That(names, Is.Unique);
        foreach (var m in MetricCatalogue.All)
        {
            Assert.That(m.Name, Does.Match("^[a-z][a-z0-9_]*(_(J|Js|pJ|Hz|s|um2|nm|W))?$").Or.Match("^[a-z][a-z0-9_]*_(J|Js|pJ|Hz|W)$"), m.Name);
            Assert.That(m.Unit, Is.Not.Empty, m.Name);
            Assert.That(m.Description, Does.EndWith("."), m.Name);
        }
    }

    [Test]
    public void Docs_metrics_md_is_the_catalogue()
    {
        var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Neuromorphic.sln"))) dir = dir.Parent;
        Assert.That(dir, Is.Not.Null, "repository root not found");
        var path = Path.Combine(dir!.FullName, "docs", "metrics.md");
        // NM_UPDATE_DOCS=1 dotnet test --filter Docs_metrics_md_is_the_catalogue regenerates the page.
        if (Environment.GetEnvironmentVariable("NM_UPDATE_DOCS") == "1") File.WriteAllText(path, MetricCatalogue.ToMarkdown());
        Assert.That(File.ReadAllText(path), Is.EqualTo(MetricCatalogue.ToMarkdown()),
            "docs/metrics.md is generated from MetricCatalogue: run NM_UPDATE_DOCS=1 dotnet test --filter Docs_metrics_md_is_the_catalogue");
    }
}
