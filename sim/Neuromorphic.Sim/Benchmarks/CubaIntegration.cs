using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>The CUBA neuron's membrane constants in single precision, rounded as the functional run rounds them.</summary>
/// <param name="Em">exp(-dt / tau_m).</param>
/// <param name="Leak">El (mV).</param>
/// <param name="Threshold">Vt (mV).</param>
/// <param name="Reset">Vr (mV).</param>
/// <param name="HeldAfterSpike">What a reset stores: <see cref="CubaIntegration.HeldMark"/> + the held steps after the next, or Vr when none are held.</param>
public readonly record struct CubaMembrane(float Em, float Leak, float Threshold, float Reset, float HeldAfterSpike)
{
    /// <summary>The constants of a network with parameters <paramref name="p"/>.</summary>
    public static CubaMembrane Of(CubaParameters p)
    {
        // Brian2 holds a neuron while t - lastspike < refractory: after a spike at step s it integrates
        // again at s + R, so it is held R - 1 steps (none if R <= 1). The reset stores HeldMark + (R - 2):
        // each held step counts down, and the last one (at HeldMark) restores Vr.
        var refractory = p.RefractorySteps;
        return new CubaMembrane((float)Math.Exp(-p.Dt / p.TauMembrane), (float)p.Leak, (float)p.Threshold, (float)p.Reset,
            refractory >= 2 ? CubaIntegration.HeldMark + (refractory - 2) : (float)p.Reset);
    }
}

/// <summary>
/// One step of CUBA's neurons in IEEE single precision: the one integration kernel of every path that
/// runs them with the functional run's arithmetic (<see cref="CubaSimulation"/>, on one thread or
/// several, and the chip's ideal neuron core). Exact integration of the linear ODEs with ge and gi
/// stored scaled (<see cref="CubaDecayClock"/>), membranes held while refractory, SIMD vectors whose
/// lanes do the scalar loop's operations (bit-identical whatever the vector width).
/// </summary>
public static class CubaIntegration
{
    /// <summary>
    /// Stored membranes at or above this mark a neuron held after a spike: the value counts the held
    /// steps left (mark + k), so the refractory state needs no array of its own and costs no memory
    /// traffic. Exact in float32 up to 2^24; no membrane potential comes near 4e6 mV.
    /// </summary>
    public const float HeldMark = 1 << 22;

    /// <summary>
    /// Integrates the neurons of <paramref name="membrane"/> (with their <paramref name="excitatory"/> and
    /// <paramref name="inhibitory"/> stored conductances) over one step with coefficients <paramref name="c"/>
    /// and writes the ones that spike, ascending and numbered from <paramref name="first"/>, to
    /// <paramref name="spiking"/>; returns their number. Reads 12 bytes and writes 4 per neuron (8 more on
    /// the rare renormalising steps). The caller resets the spiking neurons (<see cref="CubaMembrane.HeldAfterSpike"/>).
    /// </summary>
    public static int Integrate(Span<float> membrane, Span<float> excitatory, Span<float> inhibitory, in StepCoefficients c, in CubaMembrane m, int first, Span<int> spiking)
    {
        if (excitatory.Length != membrane.Length || inhibitory.Length != membrane.Length) throw new ArgumentException("ge and gi must have one entry per membrane");
        var fired = 0;
        var i = 0;
        var to = membrane.Length;
        // Load through references: no bounds checks in the loop, which is the whole cost of a step when few neurons spike.
        ref var v0 = ref MemoryMarshal.GetReference(membrane);
        ref var ge0 = ref MemoryMarshal.GetReference(excitatory);
        ref var gi0 = ref MemoryMarshal.GetReference(inhibitory);
        var renormalise = c.Renormalise;
        if (Vector512.IsHardwareAccelerated)
        {
            // The same operations lane by lane as the loops below (bit-identical), sixteen neurons at a time.
            var mark = Vector512.Create(HeldMark);
            var leak = Vector512.Create(m.Leak);
            var reset = Vector512.Create(m.Reset);
            var threshold = Vector512.Create(m.Threshold);
            var em = Vector512.Create(m.Em);
            var ke = Vector512.Create(c.Ke);
            var ki = Vector512.Create(c.Ki);
            var re = Vector512.Create(c.RenormaliseE);
            var ri = Vector512.Create(c.RenormaliseI);
            for (; i <= to - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                var offset = (nuint)i;
                var v = Vector512.LoadUnsafe(ref v0, offset);
                var ge = Vector512.LoadUnsafe(ref ge0, offset);
                var gi = Vector512.LoadUnsafe(ref gi0, offset);
                var held = Vector512.GreaterThanOrEqual(v, mark);
                var integrated = leak + (v - leak) * em + ge * ke + gi * ki;
                var countdown = v - Vector512<float>.One;
                var heldNext = Vector512.ConditionalSelect(Vector512.LessThan(countdown, mark), reset, countdown);
                v = Vector512.ConditionalSelect(held, heldNext, integrated);
                v.StoreUnsafe(ref v0, offset);
                if (renormalise)
                {
                    (ge * re).StoreUnsafe(ref ge0, offset);
                    (gi * ri).StoreUnsafe(ref gi0, offset);
                }
                var fire = Vector512.AndNot(Vector512.GreaterThan(v, threshold), held).ExtractMostSignificantBits();
                while (fire != 0)
                {
                    spiking[fired++] = first + i + BitOperations.TrailingZeroCount(fire);
                    fire &= fire - 1;
                }
            }
        }
        if (Vector.IsHardwareAccelerated)
        {
            var width = Vector<float>.Count;
            var mark = new Vector<float>(HeldMark);
            var leak = new Vector<float>(m.Leak);
            var reset = new Vector<float>(m.Reset);
            var threshold = new Vector<float>(m.Threshold);
            var em = new Vector<float>(m.Em);
            var ke = new Vector<float>(c.Ke);
            var ki = new Vector<float>(c.Ki);
            var re = new Vector<float>(c.RenormaliseE);
            var ri = new Vector<float>(c.RenormaliseI);
            for (; i <= to - width; i += width)
            {
                var offset = (nuint)i;
                var v = Vector.LoadUnsafe(ref v0, offset);
                var ge = Vector.LoadUnsafe(ref ge0, offset);
                var gi = Vector.LoadUnsafe(ref gi0, offset);
                var held = Vector.GreaterThanOrEqual(v, mark);
                var integrated = leak + (v - leak) * em + ge * ke + gi * ki;
                var countdown = v - Vector<float>.One;
                var heldNext = Vector.ConditionalSelect(Vector.LessThan(countdown, mark), reset, countdown);
                v = Vector.ConditionalSelect(held, heldNext, integrated);
                v.StoreUnsafe(ref v0, offset);
                if (renormalise)
                {
                    (ge * re).StoreUnsafe(ref ge0, offset);
                    (gi * ri).StoreUnsafe(ref gi0, offset);
                }
                var fire = Vector.AndNot(Vector.GreaterThan(v, threshold), held);
                if (fire == Vector<int>.Zero) continue;
                for (var lane = 0; lane < width; lane++)
                    if (fire[lane] != 0) spiking[fired++] = first + i + lane;
            }
        }
        for (; i < to; i++)
        {
            var v = membrane[i];
            var held = v >= HeldMark;
            if (held) v = v - 1 < HeldMark ? m.Reset : v - 1;
            else v = m.Leak + (v - m.Leak) * m.Em + excitatory[i] * c.Ke + inhibitory[i] * c.Ki;
            membrane[i] = v;
            if (renormalise)
            {
                excitatory[i] *= c.RenormaliseE;
                inhibitory[i] *= c.RenormaliseI;
            }
            if (!held && v > m.Threshold) spiking[fired++] = first + i;
        }
        return fired;
    }
}
