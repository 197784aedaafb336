using Neuromorphic.Traces.Vcd;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces.Vcd;

[TestFixture]
public class SpikeSelectionTests
{
    [Test]
    public void ParsesPopulationsWithRangesAndWildcards()
    {
        var s = SpikeSelection.Parse("reservoir:0-31,input:*");

        Assert.That(s.Includes("reservoir", 0), Is.True);
        Assert.That(s.Includes("reservoir", 31), Is.True);
        Assert.That(s.Includes("reservoir", 32), Is.False);
        Assert.That(s.Includes("input", 0), Is.True);
        Assert.That(s.Includes("input", 1_000_000), Is.True);
        Assert.That(s.Includes("readout", 0), Is.False);
        Assert.That(s.Includes("Reservoir", 0), Is.False, "case-sensitive");
        Assert.That(s.Includes("reservoir", -1), Is.False);
        Assert.That(s.IncludesAny("reservoir"), Is.True);
        Assert.That(s.IncludesAny("readout"), Is.False);
    }

    [Test]
    public void IndexListsContinueThePreviousPopulation()
    {
        var s = SpikeSelection.Parse(" reservoir : 0-15 , 20 ,readout");

        Assert.That(Enumerable.Range(0, 25).Where(i => s.Includes("reservoir", i)),
            Is.EqualTo(Enumerable.Range(0, 16).Append(20)));
        Assert.That(s.Includes("readout", 7), Is.True, "a bare population name selects all its neurons");
        Assert.That(s.ToString(), Is.EqualTo("reservoir:0-15,20,readout:*"));
    }

    [TestCase("res*", "reservoir", true)]
    [TestCase("res*", "res", true)]
    [TestCase("res*", "input", false)]
    [TestCase("*put", "input", true)]
    [TestCase("*put", "output", true)]
    [TestCase("*put", "inputs", false)]
    [TestCase("a*b*c", "a_x_b_y_c", true)]
    [TestCase("a*b*c", "abc", true)]
    [TestCase("a*b*c", "acb", false)]
    [TestCase("*", "anything", true)]
    [TestCase("layer1", "layer10", false)]
    public void PatternsMatchWholeNamesWithStars(string pattern, string population, bool expected) =>
        Assert.That(SpikeSelection.Parse(pattern + ":3").Includes(population, 3), Is.EqualTo(expected));

    [Test]
    public void CanonicalTextSortsMergesAndRoundTrips()
    {
        var s = SpikeSelection.Parse("reservoir:20,0-15,3,16-18,hidden*:*,3d:5");

        Assert.That(s.ToString(), Is.EqualTo("reservoir:0-18,20,hidden*:*,3d:5"));
        var again = SpikeSelection.Parse(s.ToString());
        Assert.That(again.ToString(), Is.EqualTo(s.ToString()));
        foreach (string pop in new[] { "reservoir", "hidden2", "3d", "other" })
        {
            for (int i = 0; i < 25; i++)
            {
                Assert.That(again.Includes(pop, i), Is.EqualTo(s.Includes(pop, i)), $"{pop}[{i}]");
            }
        }
    }

    [Test]
    public void AllSelectsEverything()
    {
        Assert.That(SpikeSelection.All.Includes("any", 12345), Is.True);
        Assert.That(SpikeSelection.All.ToString(), Is.EqualTo("*:*"));
    }

    [TestCase("", "empty")]
    [TestCase("   ", "empty")]
    [TestCase("reservoir:", "no indices after ':'")]
    [TestCase(":0-3", "no population name")]
    [TestCase("a:b:c", "more than one ':'")]
    [TestCase("reservoir:5-3", "ends before it starts")]
    [TestCase("reservoir:x", "'x' is not an index or range")]
    [TestCase("reservoir:-1", "'-1' is not an index or range")]
    [TestCase("reservoir:1-", "'1-' is not an index or range")]
    [TestCase("reservoir:0-99999999999", "is not an index or range")]
    [TestCase("reservoir:0-3,,input", "item 2 is empty")]
    [TestCase("reservoir:0-3,", "item 2 is empty")]
    [TestCase("5,reservoir", "has no population before it")]
    [TestCase("reservoir:1,3d", "'3d' is not an index or range")]
    public void InvalidTextIsAClearArgumentException(string text, string detail)
    {
        var e = Assert.Throws<ArgumentException>(() => SpikeSelection.Parse(text));
        Assert.That(e!.Message, Does.StartWith($"invalid spike selection '{text}'").Or.StartWith("empty spike selection"));
        Assert.That(e.Message, Does.Contain(detail));
        Assert.That(e.ParamName, Is.EqualTo("text"));
    }

    [TestCase("reservoir:0-3,input", new string[0])]
    [TestCase("res*:0-3,*put", new string[0])]
    [TestCase("reservior:0-3,input,foo*", new[] { "reservior", "foo*" })]
    public void UnmatchedPatternsAreThoseMatchingNoPopulation(string text, string[] unmatched)
    {
        Assert.That(SpikeSelection.Parse(text).UnmatchedPatterns(["input", "reservoir"]), Is.EqualTo(unmatched));
    }
}
