namespace Neuromorphic.Sim.Execution;

/// <summary>
/// A fixed crew of threads for fine-grained fork-join rounds (one round per timestep): each round
/// runs <c>work(participant)</c> once for every participant, participant 0 on the calling thread,
/// and returns when all are done. The helpers wait between rounds by spinning and yielding, never
/// sleeping, because a round lasts micro- to milliseconds; a round costs two interlocked operations
/// per participant and allocates nothing.
/// </summary>
public sealed class ForkJoinCrew : IDisposable
{
    private readonly Action<int> _work;
    private readonly Thread[] _helpers;
    private int _round;
    private int _pending;
    private volatile bool _stopping;
    private Exception? _failure;

    /// <summary>Starts <paramref name="participants"/> - 1 helper threads.</summary>
    /// <param name="participants">Participants per round, at least 1 (the caller is one).</param>
    /// <param name="work">The work of one participant in a round; participants share no plain writes (atomic ones, such as claims by compare-and-swap, are fine).</param>
    public ForkJoinCrew(int participants, Action<int> work)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(participants, 1);
        ArgumentNullException.ThrowIfNull(work);
        _work = work;
        _helpers = new Thread[participants - 1];
        for (var i = 0; i < _helpers.Length; i++)
        {
            var participant = i + 1;
            _helpers[i] = new Thread(() => HelperLoop(participant)) { IsBackground = true, Name = $"fork-join {participant}" };
            _helpers[i].Start();
        }
    }

    /// <summary>Participants per round.</summary>
    public int Participants => _helpers.Length + 1;

    /// <summary>Runs one round; rethrows the first exception a participant raised.</summary>
    public void RunRound()
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        Volatile.Write(ref _pending, _helpers.Length);
        Interlocked.Increment(ref _round); // full fence: the helpers see everything written before the round
        try { _work(0); }
        catch (Exception e) { Interlocked.CompareExchange(ref _failure, e, null); }
        var spin = new SpinWait();
        while (Volatile.Read(ref _pending) != 0) spin.SpinOnce(sleep1Threshold: -1);
        if (_failure is { } failure)
        {
            _failure = null;
            throw new AggregateException("a participant of a parallel round failed", failure);
        }
    }

    /// <summary>Stops and joins the helper threads.</summary>
    public void Dispose()
    {
        if (_stopping) return;
        _stopping = true;
        foreach (var helper in _helpers) helper.Join();
    }

    private void HelperLoop(int participant)
    {
        var seen = 0;
        while (true)
        {
            var spin = new SpinWait();
            int round;
            while ((round = Volatile.Read(ref _round)) == seen)
            {
                if (_stopping) return;
                spin.SpinOnce(sleep1Threshold: -1);
            }
            seen = round;
            try { _work(participant); }
            catch (Exception e) { Interlocked.CompareExchange(ref _failure, e, null); }
            Interlocked.Decrement(ref _pending); // full fence: the caller sees this participant's writes
        }
    }
}
