using CsCheck;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Hw.Interconnect;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Review;

/// <summary>
/// The NoC against its documented rules (<see cref="NocRuleChecker"/>) on random contended traffic: meshes of 1 x 2 to
/// 4 x 4, the NoC at the base clock or divided by 2 or 5, hops of 1-3 NoC cycles, buffers of 1-8 flits, packets of 1-12
/// flits (a few of 100-300, holding links for hundreds of cycles; a few sends ready 500-3000 cycles ahead) sent in
/// bursts by kernel events (on and off the NoC's clock edges, many at one ready cycle), deliveries that send more
/// packets, as the chip's groups do, and the drain taking its stale wake-ups at once or leaving them to the kernel. The
/// trace comes from the NoC's crossing observer and its clients' deliveries; the checker knows only the rules. It fails
/// on the lost wake-up fixed in session 27 (a link that sent one packet while more waited was not called back when it
/// freed) and on planted faults in each rule (FIFO, buffer check, delivery time, busy cycles, link spacing).
/// </summary>
public class NocRulesPropertyTests
{
    /// <summary>A packet of a burst: tiles (taken modulo the mesh), flits, and its ready cycle's delay after the burst's event.</summary>
    private readonly record struct Spec(int From, int To, int Flits, int Delay);

    /// <summary>Posting numbers shared by the sends (an injection is posted as it is sent) and the crossings (each posts its head's arrival).</summary>
    private sealed class Postings
    {
        private long _next;

        public long Next() => _next++;
    }

    private sealed class Recorder(Postings postings) : NocUnit.ICrossingObserver
    {
        public readonly List<NocCrossing> Crossings = [];

        public void Crossed(long token, int link, long cycle) => Crossings.Add(new NocCrossing(token, link, cycle, postings.Next()));
    }

    /// <summary>
    /// Sends a burst at each of its kernel events; a delivery with an even token (up to a bound) sends the next follow-up
    /// from the tile it reached, as a group's last packet makes the chip send partial sums on.
    /// </summary>
    private sealed class Traffic : IComponent, IUnitClient
    {
        public readonly List<NocSend> Sends = [];
        public readonly List<(long Token, long Cycle)> Done = [];
        private readonly Dictionary<long, int> _destination = [];
        private readonly NocUnit _noc;
        private readonly Postings _postings;
        private readonly Spec[][] _bursts;
        private readonly Spec[] _followUps;
        private readonly int _tiles, _id;
        private long _token;

        public Traffic(Scheduler scheduler, NocUnit noc, Postings postings, Spec[][] bursts, Spec[] followUps, int tiles)
        {
            (_noc, _postings, _bursts, _followUps, _tiles) = (noc, postings, bursts, followUps, tiles);
            _id = scheduler.Register(this);
        }

        public void At(Scheduler scheduler, long cycle, int burst) => scheduler.ScheduleAt(_id, cycle, 0, burst);

        public void OnEvent(in SimEvent ev, Scheduler scheduler)
        {
            foreach (var spec in _bursts[ev.Payload]) Send(scheduler, spec.From % _tiles, spec);
        }

        public void Completed(long token, Scheduler scheduler)
        {
            Done.Add((token, scheduler.Now));
            if (_followUps.Length > 0 && token % 2 == 0 && _token < 300)
                Send(scheduler, _destination[token], _followUps[(int)(token / 2 % _followUps.Length)]);
        }

        private void Send(Scheduler scheduler, int from, Spec spec)
        {
            var (to, token, ready) = (spec.To % _tiles, _token++, scheduler.Now + spec.Delay);
            _destination[token] = to;
            Sends.Add(new NocSend(token, from, to, spec.Flits, scheduler.Now, ready, _postings.Next()));
            _noc.SendCounted(scheduler, from, to, spec.Flits, ready, this, token);
        }
    }

    private static NocTrace Run(int width, int height, long ratio, int hop, int buffer, bool inline, Spec[][] bursts, Spec[] followUps, (int Cycle, int Burst)[] times, out NocUnit noc)
    {
        var scheduler = new Scheduler();
        var postings = new Postings();
        var recorder = new Recorder(postings);
        var mesh = new MeshNocParameters { Width = width, Height = height, LinkWidthBits = 32, HopLatencyCycles = hop, ClockHz = 1e9 / ratio, BufferFlits = buffer };
        noc = new NocUnit(scheduler, mesh, 1e9, new Ledger()) { Observer = recorder, TakesWakesInline = inline };
        var traffic = new Traffic(scheduler, noc, postings, bursts, followUps, width * height);
        foreach (var (cycle, burst) in times) traffic.At(scheduler, cycle, burst % bursts.Length);
        scheduler.RunUntilIdle();
        return new NocTrace(width, height, ratio, hop * ratio, buffer, traffic.Sends, recorder.Crossings, traffic.Done);
    }

    [Test]
    public void Random_contended_traffic_keeps_the_NoCs_documented_rules()
    {
        var coverage = new NocCoverage();
        var gate = new object();
        var spec = Gen.Select(Gen.Int[0, 15], Gen.Int[0, 15], Gen.Frequency((10, Gen.Int[1, 12]), (1, Gen.Int[100, 300])),
                Gen.Frequency((6, Gen.Const(0)), (4, Gen.Int[0, 9]), (1, Gen.Int[500, 3000])))
            .Select((from, to, flits, delay) => new Spec(from, to, flits, delay));
        var mesh = Gen.Select(Gen.Int[1, 4], Gen.Int[1, 4]).Where((w, h) => w * h >= 2);
        var clock = Gen.Select(Gen.OneOf(1L, 2L, 5L), Gen.Int[1, 3], Gen.Int[1, 8], Gen.Bool);
        var traffic = Gen.Select(spec.Array[1, 8].Array[1, 5], spec.Array[0, 6], Gen.Select(Gen.Int[0, 80], Gen.Int[0, 4]).Array[1, 10]);
        Gen.Select(mesh, clock, traffic).Sample(((int Width, int Height) m, (long Ratio, int Hop, int Buffer, bool Inline) c, (Spec[][] Bursts, Spec[] FollowUps, (int, int)[] Times) t) =>
        {
                        var trace = Run(m.Width, m.Height, c.Ratio, c.Hop, c.Buffer, c.Inline, t.Bursts, t.FollowUps, t.Times, out var noc);
            var seen = new NocCoverage();
            var error = NocRuleChecker.Check(trace, noc.Links, noc.Packets, noc.Flits, ref seen);
            if (error is not null) throw new AssertionException(error);
            lock (gate) coverage.Add(in seen);
        }, iter: 600);
        // The traffic must contend (else the rules are checked on nothing): packets wait, buffers stall their links, ties
        // at one cycle are broken, and links serve the next packet while the last one sent still sits in their buffer.
        TestContext.Out.WriteLine($"coverage: waited {coverage.Waited}, stalled {coverage.Stalled}, ties {coverage.Ties}, behind buffered {coverage.BehindBuffered}");
        Assert.That(coverage.Waited, Is.GreaterThan(1000));
        Assert.That(coverage.Stalled, Is.GreaterThan(100));
        Assert.That(coverage.Ties, Is.GreaterThan(100));
        Assert.That(coverage.BehindBuffered, Is.GreaterThan(50));
    }
}
