using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Neuromorphic.Sim.Benchmarks;

/// <summary>
/// Allocates the CUBA network's large arrays (synapses, block ends, neuron state) so that Linux backs
/// them with 2 MB pages. Delivery reads a spiking source's row at a random place of arrays of hundreds
/// of megabytes (640 MB of synapses at 4 M neurons): with 4 KB pages nearly every row costs a
/// translation miss and a page walk as well as the cache misses. The array is pinned (its address
/// must not move) and the whole 2 MB pages inside it are advised (<c>madvise(MADV_HUGEPAGE)</c>)
/// before anything is written to them, so its first writes fault in huge pages. Elsewhere, or if the
/// advice is refused, it is an ordinary array; nothing else changes.
/// </summary>
internal static partial class CubaLargeArrays
{
    private const int AdviseHugePages = 14;  // MADV_HUGEPAGE
    private const long HugePage = 2 << 20;

    /// <summary>Arrays below this size are allocated as usual (too small for the pages to matter).</summary>
    internal const long Threshold = 4 * HugePage;

    /// <summary>An array of <paramref name="length"/> elements whose contents the caller writes in full (<paramref name="zeroed"/>: cleared here).</summary>
    public static T[] Allocate<T>(int length, bool zeroed) where T : unmanaged
    {
        var bytes = (long)length * Unsafe.SizeOf<T>();
        if (!OperatingSystem.IsLinux() || bytes < Threshold) return zeroed ? new T[length] : GC.AllocateUninitializedArray<T>(length);
        var array = GC.AllocateUninitializedArray<T>(length, pinned: true);
        var start = (long)Marshal.UnsafeAddrOfPinnedArrayElement(array, 0);
        var from = (start + HugePage - 1) & ~(HugePage - 1);
        var to = (start + bytes) & ~(HugePage - 1);
        if (to > from)
        {
            try { _ = Advise((nint)from, (nuint)(to - from), AdviseHugePages); }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { }
        }
        if (zeroed) array.AsSpan().Clear();
        return array;
    }

    [LibraryImport("libc", EntryPoint = "madvise")]
    private static partial int Advise(nint address, nuint length, int advice);
}
