using System.Globalization;
using System.Text;
using Neuromorphic.Traces.Vcd;
using NUnit.Framework;

namespace Neuromorphic.Tests.Traces.Vcd;

[TestFixture]
public class VcdWriterTests
{
    private const string EndDefinitions = "$enddefinitions $end\n";

    /// <summary>Runs a writer on a string and returns the whole text.</summary>
    private static string Dump(Action<VcdWriter> write, string timescale = "1 ns")
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var writer = new VcdWriter(text, timescale))
        {
            write(writer);
        }

        return text.ToString();
    }

    /// <summary>The value section: everything after <c>$enddefinitions $end</c>.</summary>
    private static string Body(string dump)
    {
        int at = dump.IndexOf(EndDefinitions, StringComparison.Ordinal);
        Assert.That(at, Is.GreaterThanOrEqualTo(0), "no $enddefinitions");
        return dump[(at + EndDefinitions.Length)..];
    }

    [Test]
    public void SmallDumpHasExactText()
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var w = new VcdWriter(text, "1 ns", date: "2025-01-01", version: "Neuromorphic test"))
        {
            VcdSignal spike = w.Wire("chip.tile0", "spike");
            VcdSignal depth = w.Wire("chip.tile0", "queue depth", 4);
            VcdSignal v = w.Real("chip", "v[0]");
            VcdSignal count = w.Integer("chip.tile1", "count", 8);
            w.EndDefinitions();
            w.Pulse(spike, 2);
            w.Change(depth, 2, 5);
            w.Change(v, 3, 0.5);
            w.Change(count, 3, 0); // unchanged: not written
            w.Change(depth, 3, 0);
        }

        const string expected =
            "$date\n" +
            "\t2025-01-01\n" +
            "$end\n" +
            "$version\n" +
            "\tNeuromorphic test\n" +
            "$end\n" +
            "$timescale 1 ns $end\n" +
            "$scope module chip $end\n" +
            "$var real 64 # v_0_ $end\n" +
            "$scope module tile0 $end\n" +
            "$var wire 1 ! spike $end\n" +
            "$var wire 4 \" queue_depth $end\n" +
            "$upscope $end\n" +
            "$scope module tile1 $end\n" +
            "$var integer 8 $ count $end\n" +
            "$upscope $end\n" +
            "$upscope $end\n" +
            "$enddefinitions $end\n" +
            "#0\n" +
            "$dumpvars\n" +
            "0!\n" +
            "b0 \"\n" +
            "r0 #\n" +
            "b0 $\n" +
            "$end\n" +
            "#2\n" +
            "1!\n" +
            "b101 \"\n" +
            "#3\n" +
            "0!\n" +
            "b0 \"\n" +
            "r0.5 #\n" +
            "#4\n";
        Assert.That(text.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public void WithoutDateAndVersionTheHeaderStartsWithTheTimescale()
    {
        string dump = Dump(w => w.Wire("top", "a"), timescale: "10us");

        Assert.That(dump, Does.StartWith("$timescale 10 us $end\n$scope module top $end\n$var wire 1 ! a $end\n$upscope $end\n"));
        Assert.That(Body(dump), Is.EqualTo("#0\n$dumpvars\n0!\n$end\n#1\n"), "Close without EndDefinitions still writes a complete file");
    }

    [TestCase(0, "!")]
    [TestCase(1, "\"")]
    [TestCase(93, "~")]
    [TestCase(94, "!!")]
    [TestCase(95, "!\"")]
    [TestCase(94 + 93, "!~")]
    [TestCase(94 + 94, "\"!")]
    [TestCase(94 + (94 * 94) - 1, "~~")]
    [TestCase(94 + (94 * 94), "!!!")]
    [TestCase(94 + (94 * 94) + (94 * 94 * 94), "!!!!")]
    public void IdentifierCodesAreBijectiveBase94(int index, string expected) =>
        Assert.That(VcdWriter.IdentifierCode(index), Is.EqualTo(expected));

    [Test]
    public void IdentifierCodesAreUniqueAndPrintableBeyondTwoDigits()
    {
        const int count = 94 + (94 * 94) + 500; // one, two and three characters
        var seen = new HashSet<string>(StringComparer.Ordinal);
        string previous = "";
        for (int i = 0; i < count; i++)
        {
            string code = VcdWriter.IdentifierCode(i);
            Assert.That(seen.Add(code), Is.True, $"duplicate code {code} at {i}");
            Assert.That(code.All(c => c >= 33 && c <= 126), Is.True, $"code {code} at {i}");
            bool ordered = code.Length > previous.Length || (code.Length == previous.Length && string.CompareOrdinal(code, previous) > 0);
            Assert.That(ordered, Is.True, $"code {code} at {i} does not follow {previous}");
            previous = code;
        }

        Assert.That(VcdWriter.IdentifierCode(int.MaxValue), Has.Length.EqualTo(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => VcdWriter.IdentifierCode(-1));
    }

    [Test]
    public void ManySignalsGetDeclarationOrderCodes()
    {
        const int count = 94 + (94 * 94) + 3;
        VcdSignal[] signals = [];
        string dump = Dump(w =>
        {
            signals = Enumerable.Range(0, count).Select(i => w.Wire("chip.neurons", "n" + i.ToString(CultureInfo.InvariantCulture))).ToArray();
            w.EndDefinitions();
            w.Pulse(signals[^1], 1);
            w.Pulse(signals[93], 1);
            w.Pulse(signals[94], 1);
        });

        Assert.That(signals.Select(s => s.Identifier), Is.EqualTo(Enumerable.Range(0, count).Select(VcdWriter.IdentifierCode)));
        Assert.That(signals[^1].Identifier, Is.EqualTo("!!#"));
        Assert.That(dump, Does.Contain("$var wire 1 ~ n93 $end\n$var wire 1 !! n94 $end\n"));
        Assert.That(dump, Does.Contain("$var wire 1 !!# n8932 $end\n$upscope $end\n"));
        Assert.That(Body(dump), Does.EndWith("$end\n#1\n1~\n1!!\n1!!#\n#2\n0~\n0!!\n0!!#\n#3\n"));
    }

    [Test]
    public void PulseIsOneThenZeroOneTickLater()
    {
        string dump = Dump(w =>
        {
            VcdSignal s = w.Wire("chip", "spike");
            w.EndDefinitions();
            w.Pulse(s, 5);
        });

        Assert.That(Body(dump), Is.EqualTo("#0\n$dumpvars\n0!\n$end\n#5\n1!\n#6\n0!\n#7\n"));
    }

    [Test]
    public void TwoPulsesAtOneTimeAreOnePulse()
    {
        string twice = Dump(w =>
        {
            VcdSignal s = w.Wire("chip", "spike");
            w.EndDefinitions();
            w.Pulse(s, 5);
            w.Pulse(s, 5);
        });
        string once = Dump(w =>
        {
            VcdSignal s = w.Wire("chip", "spike");
            w.EndDefinitions();
            w.Pulse(s, 5);
        });

        Assert.That(twice, Is.EqualTo(once));
    }

    [Test]
    public void PulseFallsAreWrittenBeforeLaterTimesAndMergeWithAdjacentPulses()
    {
        string dump = Dump(w =>
        {
            VcdSignal a = w.Wire("chip", "a");
            VcdSignal b = w.Wire("chip", "b");
            w.EndDefinitions();
            w.Pulse(b, 0);  // in the dump at #0, falls at #1
            w.Pulse(a, 3);
            w.Pulse(a, 4);  // adjacent: a stays high until #5
            w.Pulse(b, 4);
            w.Pulse(a, 10);
            w.Change(a, 10, 0); // a later change at the same time wins over the pulse
        });

        Assert.That(Body(dump), Is.EqualTo(
            "#0\n$dumpvars\n0!\n1\"\n$end\n" +
            "#1\n0\"\n" +
            "#3\n1!\n" +
            "#4\n1\"\n" +
            "#5\n0!\n0\"\n" +
            "#12\n")); // one tick after the queued (but ineffective) fall at 11
    }

    [Test]
    public void VectorsAreBinaryWithoutLeadingZeros()
    {
        string dump = Dump(w =>
        {
            VcdSignal v = w.Wire("chip", "v", 8);
            VcdSignal wide = w.Wire("chip", "wide", 64);
            VcdSignal i = w.Integer("chip", "i", 1);
            w.EndDefinitions();
            w.Change(v, 1, 1);
            w.Change(v, 2, 0b1010_0000);
            w.Change(v, 3, 255);
            w.Change(v, 4, 0);
            w.Change(wide, 5, ulong.MaxValue);
            w.Change(wide, 6, 1UL << 63);
            w.Change(i, 7, 1);
            Assert.Throws<ArgumentOutOfRangeException>(() => w.Change(v, 8, 256));
        });

        Assert.That(Body(dump), Is.EqualTo(
            "#0\n$dumpvars\nb0 !\nb0 \"\nb0 #\n$end\n" +
            "#1\nb1 !\n" +
            "#2\nb10100000 !\n" +
            "#3\nb11111111 !\n" +
            "#4\nb0 !\n" +
            "#5\nb" + new string('1', 64) + " \"\n" +
            "#6\nb1" + new string('0', 63) + " \"\n" +
            "#7\nb1 #\n" +
            "#8\n"));
    }

    [Test]
    public void IntLongAndBoolValuesGoToIntegerSignals()
    {
        string dump = Dump(w =>
        {
            VcdSignal busy = w.Wire("chip", "busy");
            VcdSignal depth = w.Wire("chip", "depth", 8);
            VcdSignal load = w.Real("chip", "load");
            w.EndDefinitions();
            int queued = 6;
            long total = 200;
            w.Change(busy, 1, true);
            w.Change(depth, 1, queued);
            w.Change(depth, 2, total);
            w.Change(load, 2, queued); // converted to double for a real
            w.Change(busy, 3, false);
            Assert.Throws<ArgumentOutOfRangeException>(() => w.Change(depth, 4, -1));
            Assert.Throws<ArgumentException>(() => w.Change(load, 4, true));
        });

        Assert.That(Body(dump), Is.EqualTo(
            "#0\n$dumpvars\n0!\nb0 \"\nr0 #\n$end\n#1\n1!\nb110 \"\n#2\nb11001000 \"\nr6 #\n#3\n0!\n#4\n"));
    }

    [Test]
    public void RealsUseShortestRoundTripInvariantText()
    {
        double[] values = [0.5, -2.25, 0.1, 1e-5, 1.0 / 3.0, 6.02214076e23, double.MaxValue, double.Epsilon, 0.0];
        string dump = Dump(w =>
        {
            VcdSignal r = w.Real("chip", "r");
            w.EndDefinitions();
            for (int t = 0; t < values.Length; t++)
            {
                w.Change(r, t + 1, values[t]);
            }
        });

        string[] written = Body(dump).Split('\n').Where(l => l.StartsWith('r')).ToArray();
        Assert.That(written[0], Is.EqualTo("r0 !"), "initial value");
        Assert.That(written[1..4], Is.EqualTo(new[] { "r0.5 !", "r-2.25 !", "r0.1 !" }));
        Assert.That(written[4], Is.EqualTo("r1E-05 !"));
        double[] parsed = written[1..].Select(l => double.Parse(l[1..^2], NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray();
        Assert.That(parsed, Is.EqualTo(values));
        Assert.That(written.All(l => !l.Contains(',', StringComparison.Ordinal)), Is.True);
    }

    [Test]
    public void RealsAcceptIntegersAndNonFiniteValues()
    {
        string dump = Dump(w =>
        {
            VcdSignal r = w.Real("chip", "r");
            w.EndDefinitions();
            w.Change(r, 1, 3UL);
            w.Change(r, 2, double.NaN);
            w.Change(r, 3, double.NegativeInfinity);
        });

        Assert.That(Body(dump), Is.EqualTo("#0\n$dumpvars\nr0 !\n$end\n#1\nr3 !\n#2\nrNaN !\n#3\nr-Infinity !\n#4\n"));
    }

    [Test]
    public void ChangesOfOneTimeAreSortedByIdentifierAndTheLastOneWins()
    {
        string dump = Dump(w =>
        {
            VcdSignal a = w.Wire("chip", "a");
            VcdSignal b = w.Wire("chip", "b", 4);
            VcdSignal c = w.Wire("chip", "c");
            w.EndDefinitions();
            w.Change(c, 2, 1);
            w.Change(b, 2, 3);
            w.Change(a, 2, 1);
            w.Change(b, 2, 7);
            w.Change(c, 3, 1); // no change: no #3
            w.Change(a, 4, 0);
            w.Change(a, 4, 1); // back to its value: no #4 either
        });

        Assert.That(Body(dump), Is.EqualTo("#0\n$dumpvars\n0!\nb0 \"\n0#\n$end\n#2\n1!\nb111 \"\n1#\n#5\n"));
    }

    [Test]
    public void TimesMustBeNonDecreasing()
    {
        Dump(w =>
        {
            VcdSignal a = w.Wire("chip", "a");
            VcdSignal r = w.Real("chip", "r");
            w.EndDefinitions();
            w.Change(a, 10, 1);
            w.Change(a, 10, 0); // the same time is fine
            w.Pulse(a, 11);
            var back = Assert.Throws<ArgumentException>(() => w.Change(a, 9, 1));
            Assert.That(back!.Message, Does.Contain("non-decreasing").And.Contain("9").And.Contain("11"));
            Assert.Throws<ArgumentException>(() => w.Pulse(a, 10));
            Assert.Throws<ArgumentException>(() => w.Change(r, 3, 0.5));
            Assert.Throws<ArgumentOutOfRangeException>(() => w.Change(a, -1, 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => w.Change(a, VcdWriter.MaxTime + 1, 1));
            Assert.Throws<ArgumentOutOfRangeException>(() => w.Pulse(a, VcdWriter.MaxTime));
            w.Change(a, 11, 1); // the pulse fall at 12 does not constrain later calls at 11
        });
    }

    [Test]
    public void PhasesAndSignalKindsAreEnforced()
    {
        var text = new StringWriter(CultureInfo.InvariantCulture);
        var w = new VcdWriter(text);
        VcdSignal a = w.Wire("chip", "a");
        VcdSignal r = w.Real("chip", "r");
        Assert.Throws<InvalidOperationException>(() => w.Change(a, 0, 1));
        w.EndDefinitions();
        Assert.Throws<InvalidOperationException>(() => w.Wire("chip", "b"));
        Assert.Throws<InvalidOperationException>(() => w.Window(0, 1));
        Assert.Throws<InvalidOperationException>(() => w.EndDefinitions());
        Assert.Throws<ArgumentException>(() => w.Change(a, 0, 0.5));
        Assert.Throws<ArgumentException>(() => w.Pulse(r, 0));

        var other = new VcdWriter(new StringWriter(CultureInfo.InvariantCulture));
        VcdSignal foreign = other.Wire("chip", "a");
        other.EndDefinitions();
        Assert.Throws<ArgumentException>(() => w.Change(foreign, 0, 1));

        w.Dispose();
        w.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => w.Change(a, 0, 1));
        Assert.Throws<ObjectDisposedException>(() => w.Wire("chip", "c"));
    }

    [Test]
    public void DeclarationsAreValidated()
    {
        var w = new VcdWriter(new StringWriter(CultureInfo.InvariantCulture));
        Assert.Throws<ArgumentException>(() => w.Wire("", "a"));
        Assert.Throws<ArgumentException>(() => w.Wire("chip..tile", "a"));
        Assert.Throws<ArgumentException>(() => w.Wire(".chip", "a"));
        Assert.Throws<ArgumentOutOfRangeException>(() => w.Wire("chip", "a", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => w.Wire("chip", "a", 65));
        Assert.Throws<ArgumentOutOfRangeException>(() => w.Window(5, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => w.Window(-1, 4));
        Assert.Throws<ArgumentException>(() => new VcdWriter(new StringWriter(CultureInfo.InvariantCulture), "3 ns"));
        Assert.Throws<ArgumentException>(() => new VcdWriter(new StringWriter(CultureInfo.InvariantCulture), "1 ns", date: "x $end"));
        Assert.That(new VcdWriter(new StringWriter(CultureInfo.InvariantCulture), " 100fs ").Timescale, Is.EqualTo("100 fs"));
    }

    [Test]
    public void NamesAreSanitisedAndUniqueWithinAScope()
    {
        VcdSignal[] s = [];
        string dump = Dump(w =>
        {
            s =
            [
                w.Wire("chip.tile 0", "spike[3]"),
                w.Wire("chip.tile 0", "spike_3_"),
                w.Wire("chip.tile 0", "spike(3)"),
                w.Wire("chip.tile_0", "x"),   // a different raw segment that sanitises to the same name
                w.Wire("chip", "tile_0"),     // a variable named like an existing sub-scope
                w.Wire("chip", "a.b:c$d é"),
                w.Wire("chip", ""),
            ];
        });

        Assert.That(s.Select(x => x.FullName), Is.EqualTo(new[]
        {
            "chip.tile_0.spike_3_", "chip.tile_0.spike_3__2", "chip.tile_0.spike_3__3", "chip.tile_0_2.x",
            "chip.tile_0_3", "chip.a_b_c_d__", "chip._",
        }));
        Assert.That(dump, Does.Contain(
            "$scope module chip $end\n$var wire 1 % tile_0_3 $end\n$var wire 1 & a_b_c_d__ $end\n$var wire 1 ' _ $end\n" +
            "$scope module tile_0 $end\n$var wire 1 ! spike_3_ $end\n$var wire 1 \" spike_3__2 $end\n$var wire 1 # spike_3__3 $end\n$upscope $end\n" +
            "$scope module tile_0_2 $end\n$var wire 1 $ x $end\n$upscope $end\n$upscope $end\n"));
        Assert.That(dump.Split('\n').Where(l => l.StartsWith("$var", StringComparison.Ordinal)).All(l => l.Split(' ').Length == 6), Is.True,
            "no spaces inside names");
    }

    [Test]
    public void ScopesFollowFirstUseAndVariablesPrecedeSubScopes()
    {
        string dump = Dump(w =>
        {
            w.Wire("chip.tile1.macro0", "busy");
            w.Wire("chip.tile0", "busy");
            w.Wire("host", "step");
            w.Wire("chip", "clock");
            w.Wire("chip.tile1", "queue", 8);
        });

        string header = dump[..dump.IndexOf(EndDefinitions, StringComparison.Ordinal)];
        Assert.That(header, Is.EqualTo(
            "$timescale 1 ns $end\n" +
            "$scope module chip $end\n" +
            "$var wire 1 $ clock $end\n" +
            "$scope module tile1 $end\n" +
            "$var wire 8 % queue $end\n" +
            "$scope module macro0 $end\n" +
            "$var wire 1 ! busy $end\n" +
            "$upscope $end\n" +
            "$upscope $end\n" +
            "$scope module tile0 $end\n" +
            "$var wire 1 \" busy $end\n" +
            "$upscope $end\n" +
            "$upscope $end\n" +
            "$scope module host $end\n" +
            "$var wire 1 # step $end\n" +
            "$upscope $end\n"));
    }

    [Test]
    public void WindowDumpsTheStateAtItsStartAndDropsChangesOutside()
    {
        string dump = Dump(w =>
        {
            VcdSignal spike = w.Wire("chip", "spike");
            VcdSignal depth = w.Wire("chip", "depth", 4);
            VcdSignal other = w.Wire("chip", "other");
            w.Window(10, 20);
            w.EndDefinitions();
            w.Change(depth, 2, 9);
            w.Pulse(other, 3);   // over before the window
            w.Change(depth, 5, 3);
            w.Pulse(spike, 9);   // its fall at 10 is the state at 10 ...
            w.Pulse(spike, 10);  // ... but a pulse at 10 is later and wins
            w.Change(depth, 15, 4);
            w.Pulse(other, 20);  // rises on the last tick; the fall at 21 is outside
            w.Change(depth, 25, 1);
            w.Pulse(spike, 30);
        });

        Assert.That(Body(dump), Is.EqualTo(
            "#10\n$dumpvars\n1!\nb11 \"\n0#\n$end\n" +
            "#11\n0!\n" +
            "#15\nb100 \"\n" +
            "#20\n1#\n" +
            "#21\n"));
    }

    [Test]
    public void WindowWithoutChangesInsideStillDumpsItsStart()
    {
        string dump = Dump(w =>
        {
            VcdSignal depth = w.Wire("chip", "depth", 4);
            w.Window(100, 200);
            w.EndDefinitions();
            w.Change(depth, 7, 2);
        });

        Assert.That(Body(dump), Is.EqualTo("#100\n$dumpvars\nb10 !\n$end\n#101\n"));
    }

    [Test]
    public void FinalTimeCoversTheLatestTimeGiven()
    {
        string dump = Dump(w =>
        {
            VcdSignal a = w.Wire("chip", "a");
            w.EndDefinitions();
            w.Change(a, 3, 1);
            w.Change(a, 50, 1); // no change, but the run reached 50
        });

        Assert.That(Body(dump), Is.EqualTo("#0\n$dumpvars\n0!\n$end\n#3\n1!\n#51\n"));
    }

    [Test]
    public void OutputIsDeterministic()
    {
        static void Scenario(VcdWriter w, bool reversed)
        {
            VcdSignal[] spikes = Enumerable.Range(0, 200).Select(i => w.Wire("chip.reservoir", $"n{i}")).ToArray();
            VcdSignal q = w.Integer("chip.router", "queue", 16);
            VcdSignal v = w.Real("chip.router", "load");
            w.EndDefinitions();
            var rng = new Random(7);
            for (int t = 0; t < 100; t++)
            {
                int[] fired = Enumerable.Range(0, spikes.Length).Where(_ => rng.NextDouble() < 0.1).ToArray();
                if (reversed)
                {
                    Array.Reverse(fired);
                }

                foreach (int i in fired)
                {
                    w.Pulse(spikes[i], t);
                }

                w.Change(q, t, (ulong)fired.Length);
                w.Change(v, t, fired.Length / 200.0);
            }
        }

        string first = Dump(w => Scenario(w, reversed: false));
        string second = Dump(w => Scenario(w, reversed: false));
        string reordered = Dump(w => Scenario(w, reversed: true));

        Assert.That(second, Is.EqualTo(first));
        Assert.That(reordered, Is.EqualTo(first), "the order of changes within one time does not matter");
        string[] times = first.Split('\n').Where(l => l.StartsWith('#')).ToArray();
        Assert.That(times, Is.Unique, "one #t per time");
        Assert.That(times.Select(t => long.Parse(t[1..], CultureInfo.InvariantCulture)), Is.Ordered.Ascending);
    }

    [Test]
    public void StreamOutputIsUtf8WithoutBomAndLeavesTheStreamOpen()
    {
        using var stream = new MemoryStream();
        using (var w = new VcdWriter(stream, version: "Neuromorphic é"))
        {
            VcdSignal a = w.Wire("chip", "a");
            w.EndDefinitions();
            w.Pulse(a, 0);
        }

        Assert.That(stream.CanWrite, Is.True);
        byte[] bytes = stream.ToArray();
        Assert.That(bytes[0], Is.EqualTo((byte)'$'));
        Assert.That(Encoding.UTF8.GetString(bytes), Does.StartWith("$version\n\tNeuromorphic é\n$end\n").And.EndWith("#0\n$dumpvars\n1!\n$end\n#1\n0!\n#2\n"));
    }

    [Test]
    public void VcdFileWritesAtomically()
    {
        string dir = Directory.CreateTempSubdirectory("vcd-").FullName;
        try
        {
            string path = Path.Combine(dir, "out.vcd");
            VcdFile.Write(path, w =>
            {
                VcdSignal a = w.Wire("chip", "a");
                w.EndDefinitions();
                w.Pulse(a, 1);
            });
            string written = File.ReadAllText(path);
            Assert.That(written, Is.EqualTo("$timescale 1 ns $end\n$scope module chip $end\n$var wire 1 ! a $end\n$upscope $end\n" +
                "$enddefinitions $end\n#0\n$dumpvars\n0!\n$end\n#1\n1!\n#2\n0!\n#3\n"));

            Assert.Throws<InvalidOperationException>(() => VcdFile.Write(path, w =>
            {
                w.Wire("chip", "b");
                w.EndDefinitions();
                throw new InvalidOperationException("boom");
            }));
            Assert.That(File.ReadAllText(path), Is.EqualTo(written), "a failed write leaves the old file");
            Assert.That(Directory.GetFiles(dir).Select(Path.GetFileName), Is.EqualTo(new[] { "out.vcd" }), "no temporary file left");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
