namespace Neuromorphic.Traces.Events.Formats;

/// <summary>
/// Unwraps a free-running unsigned 32-bit microsecond counter (AEDAT 2.0, Prophesee
/// <c>.dat</c>), which wraps after 2^32 µs (about 71.6 minutes).
/// </summary>
/// <remarks>
/// A raw value smaller than its predecessor's is taken as one wrap only if the drop is larger
/// than half the counter range (2^31 µs): then the forward distance modulo 2^32 is under
/// 2^31 µs, the usual serial-number rule. A smaller drop is a real step back in time and the
/// caller reports it as an error. Consequently a writer must keep every gap between consecutive
/// events below 2^31 µs (about 35.8 minutes) for a reader to unwrap it unambiguously.
/// </remarks>
internal struct Timestamp32
{
    /// <summary>The span of the counter: 2^32 µs.</summary>
    public const long Span = 1L << 32;

    /// <summary>The largest gap between consecutive events that survives a write/read round trip.</summary>
    public const long MaxGap = (1L << 31) - 1;

    private bool _started;
    private uint _previous;
    private long _wraps; // sum of the wraps seen so far, in µs

    /// <summary>The unwrapped time of the previous accepted value.</summary>
    public readonly long Previous => _wraps + _previous;

    /// <summary>Unwraps the next raw value.</summary>
    /// <param name="raw">The raw counter value.</param>
    /// <param name="unwrapped">The raw value plus 2^32 per wrap so far.</param>
    /// <returns>False if the value steps back by 2^31 µs or less (not a wrap); the state is then unchanged.</returns>
    public bool TryNext(uint raw, out long unwrapped)
    {
        if (_started && raw < _previous)
        {
            if (_previous - raw <= 1u << 31)
            {
                unwrapped = _wraps + raw;
                return false;
            }

            _wraps += Span;
        }

        _started = true;
        _previous = raw;
        unwrapped = _wraps + raw;
        return true;
    }

    /// <summary>
    /// Checks that a writer can encode consecutive times so that <see cref="TryNext"/> recovers
    /// them: times must not be negative and gaps must stay at most <see cref="MaxGap"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A time is negative or a gap too long.</exception>
    public static void CheckWritable(long timeUs, long previousUs, int index)
    {
        if (timeUs < 0)
        {
            throw new ArgumentException($"event {index} has negative time {timeUs} us");
        }

        if (index > 0 && timeUs - previousUs > MaxGap)
        {
            throw new ArgumentException(
                $"event {index} comes {timeUs - previousUs} us after its predecessor; the 32-bit timestamp can only " +
                $"encode gaps up to {MaxGap} us unambiguously");
        }
    }
}
