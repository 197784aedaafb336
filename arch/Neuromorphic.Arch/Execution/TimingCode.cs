using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.CompilerServices;
using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// Compiles the timing pass's code ahead of its first use. With two threads the kernel's thread waits for the
/// producer's first step, which compiles the function pass's code as it first runs (tiered compilation is off: every
/// method is compiled fully optimised on its first call; on CUBA-4000 the wait was about 0.04 s); the timing then
/// compiled its own as it timed that step (about 0.03 s) while the producer ran ahead. Compiled during the wait
/// instead, the two overlap. Results do not depend on it: compiling a method early runs none of it.
/// </summary>
internal static class TimingCode
{
    // The units, the NoC, the step scheduler, the records' hand-over and the kernel, in the order their methods are
    // compiled (those every step calls first): every method of theirs that the timing may call. Some are never called in
    // a given run; the compilation stops when the producer's first step is ready (all of them took about 80 ms).
    private static readonly ImmutableArray<Type> Types =
    [
        typeof(TimingEngine), typeof(StepWorkCursor), typeof(NocUnit), typeof(UnitAgenda), typeof(StepScheduler), typeof(StepWorkQueue), typeof(MacroUnit), typeof(AlarmUnit),
        typeof(NeuronCoreUnit), typeof(Scheduler), typeof(EventQueue), typeof(TimestepDriver), typeof(StepClaims),
    ];

    /// <summary>
    /// Compiles the executor's timing methods (<paramref name="executorMethods"/>, by name: its other methods belong to
    /// the function pass), then those of the types above, on this thread, until <paramref name="stop"/> says to. Never
    /// throws for a method the runtime cannot compile ahead: that one is left to compile on its first call.
    /// </summary>
    public static void Prepare(IReadOnlySet<string> executorMethods, Func<bool> stop)
    {
        try
        {
            Prepare(Methods(executorMethods), stop, RuntimeHelpers.PrepareMethod);
        }
        catch (Exception e) when (IsCompileFailure(e))
        {
            // Listing the methods by reflection failed (a type that does not load): the rest compile on first call.
        }
    }

    /// <summary>The methods <see cref="Prepare(IReadOnlySet{string}, Func{bool})"/> compiles, in its order.</summary>
    internal static IEnumerable<MethodInfo> Methods(IReadOnlySet<string> executorMethods)
    {
        const BindingFlags all = BindingFlags.DeclaredOnly | BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        foreach (var method in typeof(ChipExecutor).GetMethods(all))
            if (executorMethods.Contains(method.Name)) yield return method;
        foreach (var type in Types)
            foreach (var t in type.GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).Prepend(type))
                foreach (var method in t.GetMethods(all))
                    yield return method;
    }

    /// <summary>
    /// Compiles <paramref name="methods"/> with <paramref name="compile"/>, asking <paramref name="stop"/> before each.
    /// The compilation is optional (results never depend on it), so a method it fails on is skipped, not a failed sample.
    /// </summary>
    /// <returns>How many methods <paramref name="compile"/> failed on.</returns>
    internal static int Prepare(IEnumerable<MethodInfo> methods, Func<bool> stop, Action<RuntimeMethodHandle> compile)
    {
        var failed = 0;
        foreach (var method in methods)
        {
            if (stop()) break;
            try
            {
                if (Compilable(method)) compile(method.MethodHandle);
            }
            catch (Exception e) when (IsCompileFailure(e))
            {
                failed++;
            }
        }
        return failed;
    }

    /// <summary>
    /// What reflection or <see cref="RuntimeHelpers.PrepareMethod(RuntimeMethodHandle)"/> throws for a method it cannot
    /// compile ahead (PlatformNotSupportedException is a NotSupportedException, MissingMethodException a MissingMemberException).
    /// </summary>
    private static bool IsCompileFailure(Exception e) => e is NotSupportedException or ArgumentException or TypeLoadException
        or MissingMemberException or BadImageFormatException or InvalidOperationException or FileNotFoundException or FileLoadException;

    /// <summary>
    /// Only methods of IL of their own (not abstract, extern, runtime-implemented like a delegate's, or generic): the
    /// others are not compiled from IL here, or not without their type arguments.
    /// </summary>
    private static bool Compilable(MethodInfo method)
    {
        if (method.IsAbstract || method.ContainsGenericParameters || method.DeclaringType!.ContainsGenericParameters) return false;
        const MethodImplAttributes notIl = MethodImplAttributes.CodeTypeMask | MethodImplAttributes.InternalCall | MethodImplAttributes.Unmanaged;
        return (method.Attributes & MethodAttributes.PinvokeImpl) == 0 && (method.GetMethodImplementationFlags() & notIl) == 0 && method.GetMethodBody() is not null;
    }
}
