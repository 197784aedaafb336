using Neuromorphic.Arch.Architecture;
using Neuromorphic.Arch.Execution;
using Neuromorphic.Sim.Kernel;
using NUnit.Framework;

namespace Neuromorphic.Tests.Chip;

/// <summary>
/// The step scheduler's rule on stages of fixed duration (each on its own hardware), against
/// schedules worked out by hand: flow lines, back-pressure, recurrences.
/// </summary>
public class StepSchedulerTests
{
    /// <summary>Stages that take a fixed number of cycles on the kernel; admissions come as ticks at the current cycle.</summary>
    private sealed class Stages : IStepClient, IComponent
    {
        private readonly Scheduler _scheduler = new();
        private readonly long[] _cycles;
        private readonly int _id;
        private int _admitted;
        private readonly StepScheduler _steps;

        public Stages(ExecutionMode mode, long[] cycles, int[][] same, int[][] previous)
        {
            _cycles = cycles;
            _id = _scheduler.Register(this);
            _steps = new StepScheduler(mode, Enumerable.Range(0, cycles.Length).ToArray(), same, previous, this);
        }

        public readonly List<(int Node, int Step, long Start)> Starts = [];
        public readonly List<long> Admissions = [], Ends = [];

        public void Run(int steps)
        {
            _steps.BeginSample(steps);
            if (_steps.Mode == ExecutionMode.Barrier)
                for (var t = 0; t < steps; t++)
                {
                    Admissions.Add(_scheduler.Now);
                    _steps.Admit(t, _scheduler);
                    _scheduler.RunUntilIdle();
                }
            else
            {
                _admitted = 0;
                Admissions.Add(0);
                _steps.Admit(0, _scheduler);
                _scheduler.RunUntilIdle();
            }
        }

        public void StartNode(int node, int step, Scheduler scheduler)
        {
            Starts.Add((node, step, scheduler.Now));
            if (_cycles[node] == 0) _steps.Finished(node, scheduler);
            else scheduler.ScheduleAt(_id, scheduler.Now + _cycles[node], 0, node);
        }

        public void AdmitNext(Scheduler scheduler) => scheduler.ScheduleAt(_id, scheduler.Now, 1, 0);

        public void StepCompleted(int step, Scheduler scheduler)
        {
            Assert.That(step, Is.EqualTo(Ends.Count), "steps complete in order");
            Ends.Add(scheduler.Now);
        }

        public void OnEvent(in SimEvent ev, Scheduler scheduler)
        {
            if (ev.Kind == 0) { _steps.Finished((int)ev.Payload, scheduler); return; }
            Admissions.Add(scheduler.Now);
            _steps.Admit(++_admitted, scheduler);
        }

        public long StartOf(int node, int step) => Starts.Single(s => s.Node == node && s.Step == step).Start;
    }

    private static readonly int[] None = [];

    [Test]
    public void An_unbalanced_flow_line_completes_a_step_every_slowest_stage()
    {
        // in -> a (15) -> b (25) -> c (20).
        int[][] same = [None, [0], [1], [2]];
        var stages = new Stages(ExecutionMode.Pipelined, [0, 15, 25, 20], same, [None, None, None, None]);
        stages.Run(6);
        // The first step runs through in 60; each further one leaves the bottleneck 25 later.
        Assert.That(stages.Ends, Is.EqualTo(new long[] { 60, 85, 110, 135, 160, 185 }));
        // The next input enters when the first stage is free and its output has been taken by the bottleneck
        // (b starts step t-1): 0, 15, 40, 65, ...; a's result then waits 25 - 15 = 10 cycles for b.
        Assert.That(stages.Admissions, Is.EqualTo(new long[] { 0, 15, 40, 65, 90, 115 }));
        Assert.That(stages.Ends.Zip(stages.Admissions, (e, s) => e - s), Is.EqualTo(new long[] { 60, 70, 70, 70, 70, 70 }));

        var barrier = new Stages(ExecutionMode.Barrier, [0, 15, 25, 20], same, [None, None, None, None]);
        barrier.Run(6);
        Assert.That(barrier.Ends, Is.EqualTo(Enumerable.Range(1, 6).Select(t => 60L * t)));
    }

    [Test]
    public void A_recurrence_serialises_its_loop_and_the_stages_outside_it_overlap()
    {
        // in -> a (10) -> b (30) -> c (50), and b's step t output feeds a's step t + 1 (a recurrent edge).
        int[][] same = [None, [0], [1], [2]];
        int[][] previous = [None, [2], None, None];
        var stages = new Stages(ExecutionMode.Pipelined, [0, 10, 30, 50], same, previous);
        stages.Run(5);
        for (var t = 1; t < 5; t++)
            Assert.That(stages.StartOf(1, t), Is.GreaterThanOrEqualTo(stages.StartOf(2, t - 1) + 30), $"a's step {t} waits for b's step {t - 1}");
        // Loop a + b = 40 cycles a step, c = 50: c is the bottleneck. Step 0 ends at 90, then one every 50.
        Assert.That(stages.Ends, Is.EqualTo(new long[] { 90, 140, 190, 240, 290 }));

        // Without c the loop alone sets the pace: 40 cycles a step, no faster than a barrier.
        var loop = new Stages(ExecutionMode.Pipelined, [0, 10, 30], [None, [0], [1]], [None, [2], None]);
        loop.Run(4);
        Assert.That(loop.Ends, Is.EqualTo(new long[] { 40, 80, 120, 160 }));
    }

    [Test]
    public void A_stage_never_runs_more_than_one_step_ahead_of_its_consumer()
    {
        // in -> a (1) -> b (100): without back-pressure a would finish every step in the first few cycles.
        var stages = new Stages(ExecutionMode.Pipelined, [0, 1, 100], [None, [0], [1]], [None, None, None]);
        stages.Run(5);
        for (var t = 1; t < 5; t++)
            Assert.That(stages.StartOf(1, t), Is.GreaterThanOrEqualTo(stages.StartOf(2, t - 1)), $"a's step {t} waits until b has taken step {t - 1}");
        Assert.That(stages.Ends, Is.EqualTo(new long[] { 101, 201, 301, 401, 501 }));
    }
}
