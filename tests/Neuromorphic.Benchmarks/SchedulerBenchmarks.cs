using BenchmarkDotNet.Attributes;
using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Benchmarks;

/// <summary>
/// The <see cref="Scheduler"/> dispatch loop: components that reschedule themselves 1-64 cycles
/// ahead on every event, so the queue never drains. Time per dispatch (Op/s = dispatches per second).
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("Kernel")]
public class SchedulerBenchmarks
{
    private const int Dispatches = 4096;

    private Scheduler _scheduler = null!;

    /// <summary>Self-rescheduling components (= events pending at any time).</summary>
    [Params(1, 256)]
    public int Components { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _scheduler = new Scheduler();
        for (var c = 0; c < Components; c++)
        {
            var ticker = new Ticker((uint)c + 1);
            ticker.Id = _scheduler.Register(ticker);
            _scheduler.Schedule(ticker.Id, c % 64);
        }
        Dispatch();
    }

    /// <summary>Dispatches events one at a time with <see cref="Scheduler.Step"/>.</summary>
    [Benchmark(OperationsPerInvoke = Dispatches)]
    public long Dispatch()
    {
        var scheduler = _scheduler;
        for (var k = 0; k < Dispatches; k++)
        {
            scheduler.Step();
        }
        return scheduler.Now;
    }

    /// <summary>On every event, schedules its next one 1-64 cycles later (a linear congruential sequence).</summary>
    private sealed class Ticker(uint seed) : IComponent
    {
        private uint _state = seed;

        public int Id { get; set; }

        public void OnEvent(in SimEvent ev, Scheduler scheduler)
        {
            _state = (_state * 1664525u) + 1013904223u;
            scheduler.Schedule(Id, 1 + (_state >> 26), kind: 0, payload: ev.Payload + 1);
        }
    }
}
