using System.Reflection;
using System.Runtime.Loader;

// Two builds of the chip loop in one process, each in a load context of its own, their samples alternated and compared in
// pairs: load from other processes, the host's speed of the minute and the process's memory placement hit both alike.
// Usage: ChipAb RUNNER_DLL BUILD_A BUILD_B [ROUNDS] [STEPS] [PRESET] [NEURONS]
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: ChipAb RUNNER_DLL BUILD_A BUILD_B [ROUNDS] [STEPS] [PRESET] [NEURONS]");
    return 2;
}
var runner = Path.GetFullPath(args[0]);
string[] builds = [Path.GetFullPath(args[1]), Path.GetFullPath(args[2])];
var rounds = args.Length > 3 ? int.Parse(args[3]) : 100;
if (rounds < 10)
{
    Console.Error.WriteLine($"chip-ab: {rounds} rounds: at least 10 are needed for the quartiles");
    return 2;
}
var steps = args.Length > 4 ? int.Parse(args[4]) : 2000;
var preset = args.Length > 5 ? args[5] : "rram-40nm-256kb";
var neurons = args.Length > 6 ? int.Parse(args[6]) : 4000;
var loops = new (object State, MethodInfo Sample)[2];
for (var k = 0; k < 2; k++)
{
    var dir = builds[k];
    if (!File.Exists(Path.Combine(dir, "Neuromorphic.Arch.dll")))
    {
        Console.Error.WriteLine($"chip-ab: {dir}: no Neuromorphic.Arch.dll (a `dotnet build arch/Neuromorphic.Cli -c Release -o DIR` output)");
        return 2;
    }
    var context = new AssemblyLoadContext($"build{k}");
    context.Resolving += (c, name) => Path.Combine(dir, name.Name + ".dll") is var p && File.Exists(p) ? c.LoadFromAssemblyPath(p) : null;
    var type = context.LoadFromAssemblyPath(runner).GetType("ChipAb.SteadyState")!;
    loops[k] = (Activator.CreateInstance(type, preset, neurons, 1)!, type.GetMethod("Sample")!);
}
// Per round both builds, in alternating order: [F, wall] us per step.
var samples = new List<double[]>[] { [], [] };
for (var r = 0; r < rounds; r++)
    for (var i = 0; i < 2; i++)
    {
        var k = r % 2 == 0 ? i : 1 - i;
        samples[k].Add((double[])loops[k].Sample.Invoke(loops[k].State, [steps])!);
    }
// The q-quantile, interpolated linearly between the two nearest order statistics (at q (n - 1)).
static double Q(IEnumerable<double> x, double q)
{
    var a = x.Order().ToArray();
    var at = q * (a.Length - 1);
    var low = (int)Math.Floor(at);
    return low + 1 < a.Length ? a[low] + (at - low) * (a[low + 1] - a[low]) : a[low];
}
static string Spread(IEnumerable<double> x) => $"{Q(x, 0):F3} / {Q(x, 0.25):F3} / {Q(x, 0.5):F3}";
Console.WriteLine($"{rounds} rounds of {steps} steps, one thread; us per step, min / p25 / median; T = wall - F");
for (var k = 0; k < 2; k++)
{
    var s = samples[k];
    Console.WriteLine($"{(k == 0 ? "A" : "B")} {builds[k]}: F {Spread(s.Select(x => x[0]))}  T {Spread(s.Select(x => x[1] - x[0]))}  loop {Spread(s.Select(x => x[1]))}");
}
IEnumerable<double> Paired(Func<double[], double> of) => Enumerable.Range(0, rounds).Select(i => of(samples[1][i]) - of(samples[0][i]));
static string Quartiles(IEnumerable<double> x) => $"{Q(x, 0.5):+0.000;-0.000} (quartiles {Q(x, 0.25):+0.000;-0.000}, {Q(x, 0.75):+0.000;-0.000})";
Console.WriteLine($"B - A, paired by round: F {Quartiles(Paired(x => x[0]))}  T {Quartiles(Paired(x => x[1] - x[0]))}  loop {Quartiles(Paired(x => x[1]))}");
return 0;
