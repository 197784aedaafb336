namespace Neuromorphic.Hw.Digital;

/// <summary>What the SDSA unit did for one attention layer in one timestep.</summary>
/// <param name="QSpikes">Q spikes consumed.</param>
/// <param name="KSpikes">K spikes consumed.</param>
/// <param name="VSpikes">V spikes consumed.</param>
/// <param name="Ands">ANDs evaluated (only for arriving spikes).</param>
/// <param name="Adds">Additions of the popcount / adder tree.</param>
/// <param name="Thresholds">Threshold comparisons (V1's per-channel attention neurons).</param>
/// <param name="CountBufferBits">Bits written to the unit's count buffer (V2: the K^T V counts of every head).</param>
/// <param name="Cycles">Unit cycles: the larger of ANDs and additions over the lanes, plus the thresholds.</param>
public readonly record struct SdsaActivity(long QSpikes, long KSpikes, long VSpikes, long Ands, long Adds, long Thresholds, long CountBufferBits, long Cycles);

/// <summary>
/// The SDSA unit executing spike-driven self-attention event by event on the actual binary Q, K,
/// V tensors (token-major [N, D], one head = D / heads consecutive channels). Work happens only
/// where spikes arrive:
/// V2 (Meta-SpikeFormer, Q (K^T V) per head): each K spike (token n, channel i) is ANDed with the
/// head's V bits of token n, and every coincidence increments count[i, j] (K^T V by coincidence
/// counting); then each Q spike (n, i) adds row i of the counts to the output row of token n.
/// V1 (Spike-driven Transformer): each K spike is ANDed with V at its position, a coincidence
/// increments the channel's count; the per-channel attention neurons (LIF, tau 2, hard reset,
/// threshold 0.5, membranes kept across timesteps) threshold the counts once per timestep; each Q
/// spike is ANDed with its channel's neuron output (the mask).
/// The outputs are exact integers (V2) or spikes (V1), as in the software operators; buffers are
/// allocated once, so a layer allocates nothing.
/// </summary>
public sealed class SdsaEngine
{
    private readonly SdsaUnit _unit;
    private int[] _counts = [];
    private int[] _kList = [], _vList = [];

    /// <summary>An engine on <paramref name="unit"/>'s lanes.</summary>
    public SdsaEngine(SdsaUnit unit) => _unit = unit ?? throw new ArgumentNullException(nameof(unit));

    /// <summary>V2: output[n, j] = sum_i Q[n, i] (sum_m K[m, i] V[m, j]) within each head.</summary>
    public SdsaActivity V2(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, int tokens, int channels, int heads, Span<float> output)
    {
        Check(q, k, v, output, tokens, channels, heads);
        var d = channels / heads;
        if (_counts.Length < d * d) _counts = new int[d * d];
        if (_kList.Length < d) { _kList = new int[d]; _vList = new int[d]; }
        long qs = 0, ks = 0, vs = 0, ands = 0, adds = 0;
        output.Clear();
        var counts = _counts.AsSpan(0, d * d);
        for (var h = 0; h < heads; h++)
        {
            var off = h * d;
            counts.Clear();
            // K^T V: the spikes of each token meet in the AND array.
            for (var n = 0; n < tokens; n++)
            {
                var nk = Spikes(k.Slice(n * channels + off, d), _kList);
                var nv = Spikes(v.Slice(n * channels + off, d), _vList);
                ks += nk;
                vs += nv;
                ands += (long)nk * d;
                for (var a = 0; a < nk; a++)
                {
                    var row = counts.Slice(_kList[a] * d, d);
                    for (var b = 0; b < nv; b++) row[_vList[b]]++;
                }
                adds += (long)nk * nv;
            }
            // Q (K^T V): each Q spike adds a row of counts.
            for (var n = 0; n < tokens; n++)
            {
                var nq = Spikes(q.Slice(n * channels + off, d), _kList);
                qs += nq;
                var o = output.Slice(n * channels + off, d);
                for (var a = 0; a < nq; a++)
                {
                    var row = counts.Slice(_kList[a] * d, d);
                    for (var j = 0; j < d; j++) o[j] += row[j];
                }
                adds += (long)nq * d;
            }
        }
        long bufferBits = (long)heads * d * d * _unit.Parameters.CountBits;
        return new SdsaActivity(qs, ks, vs, ands, adds, 0, bufferBits, _unit.CyclesFor(Math.Max(ands, adds)));
    }

    /// <summary>V1: kv_c = sum_n K[n, c] V[n, c]; s = LIF_0.5(kv) (membranes kept); output[n, c] = Q[n, c] AND s_c.</summary>
    public SdsaActivity V1(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, int tokens, int channels, Span<float> membrane,
        Span<float> output, float threshold = 0.5f, float tau = 2f)
    {
        Check(q, k, v, output, tokens, channels, 1);
        if (membrane.Length != channels) throw new ArgumentException($"sdsa v1: {membrane.Length} membranes for {channels} channels");
        if (_counts.Length < 2 * channels) _counts = new int[2 * channels];
        var kv = _counts.AsSpan(0, channels);
        var fired = _counts.AsSpan(channels, channels);
        kv.Clear();
        long qs = 0, ks = 0, vs = 0, ands = 0, adds = 0;
        for (var n = 0; n < tokens; n++)
        {
            var kr = k.Slice(n * channels, channels);
            var vr = v.Slice(n * channels, channels);
            for (var c = 0; c < channels; c++)
            {
                if (vr[c] != 0f) vs++;
                if (kr[c] == 0f) continue;
                ks++;
                ands++;
                if (vr[c] != 0f) { kv[c]++; adds++; }
            }
        }
        // The attention neurons: the same charge / fire / hard reset as every LIF of the model.
        for (var c = 0; c < channels; c++)
        {
            var m = membrane[c];
            var h = m + (kv[c] - m) / tau;
            var fire = h >= threshold;
            fired[c] = fire ? 1 : 0;
            membrane[c] = fire ? 0f : h;
        }
        for (var n = 0; n < tokens; n++)
        {
            var qr = q.Slice(n * channels, channels);
            var o = output.Slice(n * channels, channels);
            for (var c = 0; c < channels; c++)
            {
                if (qr[c] == 0f) { o[c] = 0f; continue; }
                qs++;
                ands++;
                o[c] = fired[c];
            }
        }
        return new SdsaActivity(qs, ks, vs, ands, adds, channels, (long)channels * _unit.Parameters.CountBits,
            _unit.CyclesFor(Math.Max(ands, adds)) + _unit.CyclesFor(channels));
    }

    private static int Spikes(ReadOnlySpan<float> bits, int[] into)
    {
        var n = 0;
        for (var i = 0; i < bits.Length; i++) if (bits[i] != 0f) into[n++] = i;
        return n;
    }

    private static void Check(ReadOnlySpan<float> q, ReadOnlySpan<float> k, ReadOnlySpan<float> v, ReadOnlySpan<float> output, int tokens, int channels, int heads)
    {
        if (tokens < 1 || channels < 1 || heads < 1 || channels % heads != 0)
            throw new ArgumentException($"sdsa: N {tokens}, D {channels}, heads {heads} do not fit");
        var n = tokens * channels;
        if (q.Length != n || k.Length != n || v.Length != n || output.Length != n)
            throw new ArgumentException($"sdsa: Q {q.Length}, K {k.Length}, V {v.Length}, out {output.Length} must all be N {tokens} x D {channels}");
    }
}
