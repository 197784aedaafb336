using System.Runtime.CompilerServices;
using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Arch.Mapping;
using Neuromorphic.Sim.Nir;
using Neuromorphic.Tests.Nir;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// The values the chip executor's two threads write every step lie at least a cache line (64 bytes) from each other and
/// from the fields beside them (<see cref="PaddedLong"/>), measured on live objects with <see cref="Unsafe.ByteOffset{T}(ref readonly T, ref readonly T)"/>.
/// </summary>
public class PaddedLayoutTests
{
    private const int Line = 64;

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_value")] private static extern ref PaddedLong Count(StepProgress p);
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_sleepingUntil")] private static extern ref long SleepingUntil(StepProgress p);
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_aborted")] private static extern ref bool Aborted(StepProgress p);
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_wake")] private static extern ref ManualResetEventSlim Wake(StepProgress p);
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_kernelSeen")] private static extern ref PaddedLong KernelSeen(StepWorkQueue q);
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_producerSeen")] private static extern ref PaddedLong ProducerSeen(StepWorkQueue q);
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_taken")] private static extern ref long[] Taken(StepWorkCursor c);
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_cursor")] private static extern ref StepWorkCursor Cursor(TimingEngine e);
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_engine")] private static extern ref TimingEngine Engine(ChipExecutor e);
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "<Capacity>k__BackingField")] private static extern ref int Capacity(StepWorkQueue q);
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_step")] private static extern ref PaddedLong Step(PassScalars s);
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_stamp")] private static extern ref PaddedLong Stamp(PassScalars s);
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_work")] private static extern ref StepWorkQueue Work(ChipExecutor e);
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_scalars")] private static extern ref PassScalars Scalars(ChipExecutor e);
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_top")] private static extern ref long ChainTop(ref StepChains c);
    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_kind")] private static extern ref int ChainKind(ref StepChains c);

    private static long Distance<TA, TB>(ref TA a, ref TB b) =>
        Math.Abs((long)Unsafe.ByteOffset(ref Unsafe.As<TA, byte>(ref a), ref Unsafe.As<TB, byte>(ref b)));

    /// <summary>A padded long between two plain ones, in this order (a struct's sequential layout).</summary>
    private struct Neighbours
    {
        public long Before;
        public PaddedLong Padded;
        public long After;
    }

    [Test]
    public void A_padded_long_has_a_line_before_and_after_its_value()
    {
        var n = new[] { new Neighbours { Before = 1, After = 2 } };
        ref var value = ref n[0].Padded.Value;
        Assert.That(Unsafe.SizeOf<PaddedLong>(), Is.EqualTo(2 * Line));
        Assert.That(Unsafe.ByteOffset(ref Unsafe.As<PaddedLong, byte>(ref n[0].Padded), ref Unsafe.As<long, byte>(ref value)), Is.EqualTo((nint)Line));
        // Whatever precedes the struct ends a line before the value; whatever follows starts a line after it.
        Assert.That(Unsafe.ByteOffset(ref n[0].Before, ref value), Is.GreaterThanOrEqualTo((nint)Line));
        Assert.That(Unsafe.ByteOffset(ref value, ref n[0].After), Is.GreaterThanOrEqualTo((nint)Line));
    }

    [Test]
    public void A_step_count_is_a_line_from_the_fields_its_waiter_writes()
    {
        var p = new StepProgress();
        ref var count = ref Count(p).Value;
        Assert.That(Distance(ref count, ref SleepingUntil(p)), Is.GreaterThanOrEqualTo(Line));
        Assert.That(Distance(ref count, ref Aborted(p)), Is.GreaterThanOrEqualTo(Line));
        Assert.That(Distance(ref count, ref Wake(p)), Is.GreaterThanOrEqualTo(Line));
    }

    [Test]
    public void The_queue_cursors_and_the_passes_scalars_are_lines_apart_on_a_live_executor()
    {
        var network = NirReader.Read(FixturePaths.Nir("braille_noDelay_bias_zero.nir"));
        var program = NetworkMapper.Map(network, new ChipModel(ChipTestData.Ideal()), seed: 1);
        var executor = new ChipExecutor(program, 1e-4, seed: 1, threads: 2);

        // The kernel writes its cursor when it reads Captured, the producer its own when it reads Completed; both read Capacity.
        var queue = Work(executor);
        ref var kernel = ref KernelSeen(queue).Value;
        ref var producer = ref ProducerSeen(queue).Value;
        Assert.That(Distance(ref kernel, ref producer), Is.GreaterThanOrEqualTo(Line));
        Assert.That(Distance(ref kernel, ref Capacity(queue)), Is.GreaterThanOrEqualTo(Line));
        Assert.That(Distance(ref producer, ref Capacity(queue)), Is.GreaterThanOrEqualTo(Line));
        // The main engine's cursor (the kernel writes its per-node steps every step) is its own object, padded.
        Assert.That(Distance(ref producer, ref Taken(Cursor(Engine(executor)))[0]), Is.GreaterThanOrEqualTo(Line));

        // The producer writes its step, stamp and busy time every step; the kernel its wait time.
        var scalars = Scalars(executor);
        ref var wait = ref scalars.WaitTicks;
        Assert.That(Distance(ref wait, ref scalars.FunctionTicks), Is.GreaterThanOrEqualTo(Line));
        Assert.That(Distance(ref wait, ref Step(scalars).Value), Is.GreaterThanOrEqualTo(Line));
        Assert.That(Distance(ref wait, ref Stamp(scalars).Value), Is.GreaterThanOrEqualTo(Line));
        // When both threads time steps, the producer writes its timing time and its chains at each step it claims.
        Assert.That(Distance(ref wait, ref scalars.SharedTicks), Is.GreaterThanOrEqualTo(Line));
        Assert.That(Distance(ref wait, ref ChainTop(ref scalars.Chains)), Is.GreaterThanOrEqualTo(Line));
        Assert.That(Distance(ref wait, ref ChainKind(ref scalars.Chains)), Is.GreaterThanOrEqualTo(Line));
        Assert.That(Distance(ref scalars.SharedTicks, ref ChainKind(ref scalars.Chains)), Is.GreaterThanOrEqualTo(Line));
    }
}
