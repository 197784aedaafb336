using System.Diagnostics;
using CsCheck;
using Neuromorphic.Cli;

namespace Neuromorphic.Tests.Fuzz;

/// <summary>How one case ended.</summary>
internal enum FuzzOutcome
{
    /// <summary>Read without complaint.</summary>
    Accepted,

    /// <summary>Refused with the program's bad-input exception (the command line's exit 2).</summary>
    BadInput,

    /// <summary>Any other exception: an internal error (exit 1) or worse.</summary>
    Unhandled,

    /// <summary>Still running after the time bound.</summary>
    Hang,

    /// <summary>Allocated more than the memory bound.</summary>
    TooMuchMemory,
}

/// <summary>A case that broke the contract, with what is needed to reproduce it.</summary>
internal sealed record FuzzFailure(string Target, long Index, FuzzOutcome Outcome, string Edits, string Detail, string SavedFile);

/// <summary>Figures of a campaign on one target.</summary>
internal sealed record FuzzReport(string Target, long Cases, long Accepted, long BadInput, long Unhandled, long Hangs, long TooMuchMemory,
    double SlowestSeconds, long MostAllocatedBytes, IReadOnlyList<FuzzFailure> Failures);

/// <summary>
/// Runs mutants of a target's seeds through it, each in its own folder, and classifies the ends.
/// Case <c>i</c> of seed <c>s</c> is drawn from its own PCG stream (seed, target, i): the cases are the
/// same whatever the thread count, and any one can be rerun alone.
/// </summary>
internal static class FuzzHarness
{
    /// <summary>Runs <paramref name="cases"/> cases of <paramref name="target"/> from case <paramref name="first"/>.</summary>
    /// <param name="target">What to fuzz.</param>
    /// <param name="seed">Campaign seed.</param>
    /// <param name="first">Index of the first case.</param>
    /// <param name="cases">How many cases.</param>
    /// <param name="timeout">Time bound per case.</param>
    /// <param name="maxAllocatedBytes">Memory bound per case (bytes allocated while it runs).</param>
    /// <param name="threads">Cases run at once.</param>
    /// <param name="failuresDir">Where failing inputs are saved.</param>
    public static FuzzReport Run(FuzzTarget target, ulong seed, long first, long cases, TimeSpan timeout, long maxAllocatedBytes, int threads, string failuresDir)
    {
        var gen = Mutator.Of(target.Seeds, target.Text);
        var stream = (uint)StableHash(target.Name);
        long accepted = 0, bad = 0, unhandled = 0, hangs = 0, memory = 0, slowestTicks = 0, mostAllocated = 0;
        var failures = new System.Collections.Concurrent.ConcurrentQueue<FuzzFailure>();
        var root = Directory.CreateTempSubdirectory($"nm-fuzz-{target.Name}-").FullName;
        try
        {
            Parallel.For(first, first + cases, new ParallelOptions { MaxDegreeOfParallelism = threads }, () => CaseFolder(root, target), (index, state, folder) =>
            {
                var mutant = gen.Generate(new PCG(stream, seed * 1_000_003UL + (ulong)index), null, out Size _);
                if (target.Repair is not null && index % 5 != 0) mutant = mutant with { Bytes = target.Repair(mutant.Bytes), Edits = mutant.Edits + "; checksum repaired" };
                var path = Path.Combine(folder, target.FileName);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, mutant.Bytes);
                var (outcome, detail, elapsed, allocated) = RunOne(target, path, timeout, maxAllocatedBytes);
                InterlockedMax(ref slowestTicks, elapsed.Ticks);
                InterlockedMax(ref mostAllocated, allocated);
                switch (outcome)
                {
                    case FuzzOutcome.Accepted: Interlocked.Increment(ref accepted); break;
                    case FuzzOutcome.BadInput: Interlocked.Increment(ref bad); break;
                    case FuzzOutcome.Unhandled: Interlocked.Increment(ref unhandled); break;
                    case FuzzOutcome.Hang: Interlocked.Increment(ref hangs); break;
                    default: Interlocked.Increment(ref memory); break;
                }
                if (outcome is not (FuzzOutcome.Accepted or FuzzOutcome.BadInput))
                {
                    Directory.CreateDirectory(failuresDir);
                    var saved = Path.Combine(failuresDir, $"{target.Name}-{seed}-{index}-{target.FileName}");
                    File.WriteAllBytes(saved, mutant.Bytes);
                    failures.Enqueue(new FuzzFailure(target.Name, index, outcome, mutant.Edits, detail, saved));
                    // A hung case still holds its folder: give the next cases a fresh one.
                    if (outcome == FuzzOutcome.Hang) return CaseFolder(root, target);
                }
                return folder;
            }, _ => { });
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); }
            catch (IOException) { /* a hung case may still hold a file open */ }
            catch (UnauthorizedAccessException) { }
        }
        return new FuzzReport(target.Name, cases, accepted, bad, unhandled, hangs, memory, TimeSpan.FromTicks(slowestTicks).TotalSeconds, mostAllocated,
            failures.OrderBy(f => f.Index).ToList());
    }

    /// <summary>Runs one file through a target, bounded in time and memory.</summary>
    public static (FuzzOutcome Outcome, string Detail, TimeSpan Elapsed, long AllocatedBytes) RunOne(FuzzTarget target, string path, TimeSpan timeout, long maxAllocatedBytes)
    {
        var watch = Stopwatch.StartNew();
        long allocated = 0;
        var task = Task.Factory.StartNew(() =>
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                target.Run(path);
                return (FuzzOutcome.Accepted, "");
            }
            catch (Exception ex) when (CliApp.IsBadInput(ex))
            {
                // The contract of the message too: one printable line, short.
                var message = ex.Message;
                if (message.Length > Neuromorphic.Traces.ErrorText.MaxLength || message.Any(c => c < 0x20 || c == 0x7F))
                    return (FuzzOutcome.Unhandled, $"bad-input message breaks the format: {Neuromorphic.Traces.ErrorText.Line(message)}");
                return (FuzzOutcome.BadInput, message);
            }
            catch (Exception ex)
            {
                return (FuzzOutcome.Unhandled, $"{ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}");
            }
            finally
            {
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!task.Wait(timeout)) return (FuzzOutcome.Hang, $"still running after {timeout.TotalSeconds} s", watch.Elapsed, 0);
        var (outcome, detail) = task.Result;
        if (outcome != FuzzOutcome.Unhandled && allocated > maxAllocatedBytes)
            return (FuzzOutcome.TooMuchMemory, $"allocated {allocated / (1 << 20)} MiB (bound {maxAllocatedBytes / (1 << 20)} MiB); {detail}", watch.Elapsed, allocated);
        return (outcome, detail, watch.Elapsed, allocated);
    }

    private static string CaseFolder(string root, FuzzTarget target)
    {
        var folder = Directory.CreateDirectory(Path.Combine(root, Guid.NewGuid().ToString("N")[..8])).FullName;
        target.Prepare?.Invoke(folder);
        return folder;
    }

    private static void InterlockedMax(ref long location, long value)
    {
        for (var current = Interlocked.Read(ref location); value > current; current = Interlocked.Read(ref location))
            if (Interlocked.CompareExchange(ref location, value, current) == current) return;
    }

    /// <summary>A hash of a name that is the same in every process (string.GetHashCode is randomised).</summary>
    public static int StableHash(string s)
    {
        unchecked
        {
            var h = (int)2166136261;
            foreach (var c in s) h = (h ^ c) * 16777619;
            return h & int.MaxValue;
        }
    }
}
