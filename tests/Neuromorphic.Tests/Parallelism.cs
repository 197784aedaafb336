using NUnit.Framework;

// Fixtures run two at a time (the tests of one fixture one after another), so the suite uses both
// cores of a small machine: most tests run one thread. This is safe because no test shares mutable
// state with a test of another fixture: every test writes under a directory of its own
// (Directory.CreateTempSubdirectory or a GUID-named one), none changes the console, the environment
// or the current directory, the code under test holds no static mutable state, and allocation
// checks count the current thread's bytes only (GC.GetAllocatedBytesForCurrentThread, through ThreadAllocation,
// which needs the blocking GC the .csproj configures: a background collection started by another fixture's
// allocations would move that counter).
// A fixture that cannot share the machine is marked [NonParallelizable].
[assembly: Parallelizable(ParallelScope.Fixtures)]
[assembly: LevelOfParallelism(2)]
