namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// Where each drawn chunk of synapses goes in the one synapse array: chunk k starts where chunk k - 1
/// ends, so its place is known as soon as the sizes of all chunks before it are. Threads report each
/// chunk's size when they have drawn it, in any order; the frontier of placed chunks advances over
/// every run of reported sizes. A lock guards the few words involved (once per chunk of 4,096 sources).
/// </summary>
internal sealed class CubaChunkPlacement
{
    private readonly int[] _counts;    // synapses of each chunk, -1 until reported
    private readonly long[] _starts;   // start of each chunk (and the end of the last), valid below the frontier
    private readonly Lock _gate = new();
    private int _frontier;             // chunks 0.._frontier - 1 have known starts

    public CubaChunkPlacement(int chunks)
    {
        _counts = new int[chunks];
        Array.Fill(_counts, -1);
        _starts = new long[chunks + 1];
    }

    /// <summary>Records that <paramref name="chunk"/> drew <paramref name="count"/> synapses; returns how many leading chunks now have a known start.</summary>
    public int Report(int chunk, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (_gate)
        {
            if (_counts[chunk] >= 0) throw new InvalidOperationException($"chunk {chunk} reported twice");
            _counts[chunk] = count;
            while (_frontier < _counts.Length && _counts[_frontier] >= 0)
            {
                _starts[_frontier + 1] = _starts[_frontier] + _counts[_frontier];
                _frontier++;
            }
            return _frontier;
        }
    }

    /// <summary>Start of <paramref name="chunk"/>, which must lie below a frontier returned by <see cref="Report"/> (or all chunks reported).</summary>
    public long StartOf(int chunk) => _starts[chunk];

    /// <summary>Synapses of all chunks (once all are reported).</summary>
    public long Total
    {
        get
        {
            lock (_gate)
            {
                if (_frontier < _counts.Length) throw new InvalidOperationException($"chunk {_frontier} has not been reported");
                return _starts[^1];
            }
        }
    }
}
