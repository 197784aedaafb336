namespace Neuromorphic.Sim.Kernel;

/// <summary>
/// Action counts per (unit, layer, action). Keys are registered once and give a dense int handle, so hot paths
/// count with <see cref="Add"/> by handle: an array increment, no hashing, no allocation.
/// </summary>
/// <remarks>
/// Handles are assigned in registration order; reports use <see cref="Entries"/>, which is sorted by name, so their
/// output does not depend on registration order either. Not thread-safe: give each worker its own ledger and merge
/// with <see cref="AddFrom"/>.
/// </remarks>
public sealed class Ledger
{
    // Lookup only (Register and Count by name); never enumerated, so hash order cannot leak into output.
    private readonly Dictionary<LedgerKey, int> _handles = [];
    private LedgerKey[] _keys = new LedgerKey[16];
    private long[] _counts = new long[16];
    private int _keyCount;
    // The handles in the order Entries() lists them, kept until a key is registered: reports take entries per layer and
    // step, and sorting the keys at each call was a fifth of a transformer run.
    private int[]? _sorted;

    /// <summary>Number of registered keys.</summary>
    public int KeyCount => _keyCount;

    /// <summary>Registers a key (idempotent: the same key always returns the same handle) with count 0.</summary>
    /// <param name="unit">Hardware unit name, non-empty.</param>
    /// <param name="layer">Layer name, or empty if not layer-specific.</param>
    /// <param name="action">Action name, non-empty.</param>
    /// <returns>A dense handle (0, 1, 2, ... in first-registration order).</returns>
    public int Register(string unit, string layer, string action)
    {
        ArgumentException.ThrowIfNullOrEmpty(unit);
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentException.ThrowIfNullOrEmpty(action);
        var key = new LedgerKey(unit, layer, action);
        if (_handles.TryGetValue(key, out int existing))
        {
            return existing;
        }
        if (_keyCount == _keys.Length)
        {
            Array.Resize(ref _keys, _keys.Length * 2);
            Array.Resize(ref _counts, _counts.Length * 2);
        }
        int handle = _keyCount++;
        _sorted = null;
        _keys[handle] = key;
        _counts[handle] = 0;
        _handles.Add(key, handle);
        return handle;
    }

    /// <summary>Adds to a counter.</summary>
    /// <param name="handle">A handle from <see cref="Register"/>.</param>
    /// <param name="count">How many actions happened, at least 0.</param>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public void Add(int handle, long count = 1)
    {
        // One combined test keeps the hot path to a compare and an add; the messages live out of line.
        if ((uint)handle >= (uint)_keyCount || count < 0) ThrowBadAdd(handle, count);
        // Checked: a silently wrapped counter would corrupt every energy figure derived from it.
        _counts[handle] = checked(_counts[handle] + count);
    }

    private void ThrowBadAdd(int handle, long count)
    {
        CheckHandle(handle);
        throw new ArgumentOutOfRangeException(nameof(count), count, "Action counts cannot decrease.");
    }

    /// <summary>The current count of a registered key.</summary>
    /// <param name="handle">A handle from <see cref="Register"/>.</param>
    /// <returns>The count.</returns>
    public long Count(int handle)
    {
        CheckHandle(handle);
        return _counts[handle];
    }

    /// <summary>The current count of a key by name.</summary>
    /// <param name="unit">Hardware unit name.</param>
    /// <param name="layer">Layer name (empty if not layer-specific).</param>
    /// <param name="action">Action name.</param>
    /// <returns>The count, or 0 if the key was never registered.</returns>
    public long Count(string unit, string layer, string action) =>
        _handles.TryGetValue(new LedgerKey(unit, layer, action), out int handle) ? _counts[handle] : 0;

    /// <summary>A snapshot of all counters, sorted ordinally by unit, then layer, then action.</summary>
    /// <returns>A new list; later changes to the ledger do not affect it.</returns>
    public IReadOnlyList<LedgerEntry> Entries()
    {
        // (The length check keeps a cached order from outliving keys registered behind its back; registration clears it.)
        if (_sorted is null || _sorted.Length != _keyCount)
        {
            var order = new int[_keyCount];
            for (int i = 0; i < order.Length; i++) order[i] = i;
            // Keys are unique, so this total order makes the unstable Array.Sort deterministic.
            var keys = _keys;
            Array.Sort(order, (a, b) => CompareKeys(keys[a], keys[b]));
            _sorted = order;
        }
        var entries = new LedgerEntry[_keyCount];
        for (int i = 0; i < entries.Length; i++)
        {
            entries[i] = new LedgerEntry(_keys[_sorted[i]], _counts[_sorted[i]]);
        }
        return entries;
    }

    /// <summary>Adds every counter of <paramref name="other"/> to the counter of the same key here, registering missing keys.</summary>
    /// <param name="other">The ledger to merge in (may be this ledger, which doubles every count).</param>
    public void AddFrom(Ledger other)
    {
        ArgumentNullException.ThrowIfNull(other);
        // Snapshot the count: merging a ledger into itself must not visit keys it registers meanwhile (it registers none).
        int n = other._keyCount;
        for (int i = 0; i < n; i++)
        {
            LedgerKey key = other._keys[i];
            int handle = Register(key.Unit, key.Layer, key.Action);
            _counts[handle] = checked(_counts[handle] + other._counts[i]);
        }
    }

    /// <summary>Sets every count to 0, keeping the keys and their handles.</summary>
    public void Reset() => Array.Clear(_counts, 0, _keyCount);

    private static int CompareKeys(in LedgerKey a, in LedgerKey b)
    {
        int c = string.CompareOrdinal(a.Unit, b.Unit);
        if (c != 0)
        {
            return c;
        }
        c = string.CompareOrdinal(a.Layer, b.Layer);
        return c != 0 ? c : string.CompareOrdinal(a.Action, b.Action);
    }

    private void CheckHandle(int handle)
    {
        if ((uint)handle >= (uint)_keyCount)
        {
            throw new ArgumentOutOfRangeException(nameof(handle), handle, $"Unknown ledger handle {handle}; {_keyCount} key(s) registered.");
        }
    }
}
