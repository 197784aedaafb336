using System.Numerics;

namespace Neuromorphic.Sim.Neurons;

/// <summary>
/// Vectorised threshold-and-reset kernels shared by every spiking model. Comparison is strict
/// (<c>v &gt; th</c>, NIR and snnTorch) or inclusive (<c>v &gt;= th</c>, SpikingJelly).
/// </summary>
internal static class SpikeKernels
{
    /// <summary>Spikes where v crosses th; hard reset of the spiking neurons to <paramref name="reset"/>.</summary>
    public static void FireHardReset<T>(Span<T> v, ReadOnlySpan<T> th, ReadOnlySpan<T> reset, Span<T> spikes, bool inclusive)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i = 0;
        var one = Vector<T>.One;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= v.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var vv = new Vector<T>(v[i..]);
                var tt = new Vector<T>(th[i..]);
                var mask = inclusive ? Vector.GreaterThanOrEqual(vv, tt) : Vector.GreaterThan(vv, tt);
                Vector.ConditionalSelect(mask, new Vector<T>(reset[i..]), vv).CopyTo(v[i..]);
                Vector.ConditionalSelect(mask, one, Vector<T>.Zero).CopyTo(spikes[i..]);
            }
        }
        for (; i < v.Length; i++)
        {
            var fire = inclusive ? v[i] >= th[i] : v[i] > th[i];
            spikes[i] = fire ? T.One : T.Zero;
            if (fire) v[i] = reset[i];
        }
    }

    /// <summary>Spikes where v crosses th; the spiking neurons lose th (reset by subtraction).</summary>
    public static void FireSubtractReset<T>(Span<T> v, ReadOnlySpan<T> th, Span<T> spikes, bool inclusive)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Fire(v, th, spikes, inclusive);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= v.Length - Vector<T>.Count; i += Vector<T>.Count)
                (new Vector<T>(v[i..]) - new Vector<T>(spikes[i..]) * new Vector<T>(th[i..])).CopyTo(v[i..]);
        }
        for (; i < v.Length; i++) v[i] -= spikes[i] * th[i];
    }

    /// <summary>Spikes where v crosses th, leaving v unchanged.</summary>
    public static void Fire<T>(ReadOnlySpan<T> v, ReadOnlySpan<T> th, Span<T> spikes, bool inclusive)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= v.Length - Vector<T>.Count; i += Vector<T>.Count)
            {
                var vv = new Vector<T>(v[i..]);
                var tt = new Vector<T>(th[i..]);
                var mask = inclusive ? Vector.GreaterThanOrEqual(vv, tt) : Vector.GreaterThan(vv, tt);
                Vector.ConditionalSelect(mask, Vector<T>.One, Vector<T>.Zero).CopyTo(spikes[i..]);
            }
        }
        for (; i < v.Length; i++)
            spikes[i] = (inclusive ? v[i] >= th[i] : v[i] > th[i]) ? T.One : T.Zero;
    }
}
