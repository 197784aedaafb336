namespace Neuromorphic.Sim.Kernel;

/// <summary>
/// Drives algorithmic timesteps (the SNN's dt) as kernel events.
/// </summary>
/// <remarks>
/// <para>
/// Each step begins with a tick event delivered to this driver at cycle <c>max(stepStart, previous step's end)</c>.
/// In fixed-period mode (<see cref="CyclesPerStep"/> &gt; 0) <c>stepStart = k * CyclesPerStep</c>; in barrier mode
/// (<see cref="CyclesPerStep"/> == 0) it is the cycle at which the previous step's work drained, so steps follow
/// each other back to back. On the tick the driver calls <see cref="ITimestepListener.OnTimestep"/>; the listener
/// schedules the step's hardware events, and the step ends when the queue is idle.
/// </para>
/// <para>
/// In fixed-period mode a step whose work runs past the next period boundary has overrun: the next step starts
/// when the work ends, and <see cref="Overruns"/> counts such steps.
/// </para>
/// <para>
/// In overlapped mode (<see cref="RunOverlapped"/>, a pipelined chip) steps do not wait for each other: the
/// listener says when the next step's input can enter (<see cref="AdmitNext"/>, a tick at the current cycle) and
/// when a step's last work has ended (<see cref="EndStep"/>); the kernel runs until every step has ended.
/// </para>
/// </remarks>
public sealed class TimestepDriver : IComponent
{
    // The only event kind the driver receives: the start of a step, with the step index as payload.
    private const int TickKind = 0;

    private readonly Scheduler _scheduler;
    private readonly ITimestepListener _listener;
    private readonly int _componentId;
    private readonly List<long> _starts = [];
    private readonly List<long> _ends = [];

    // Index of the step whose tick is outstanding, or -1 between steps; guards against stray events.
    private long _expectedStep = -1;

    // Overlapped mode: one past the last step of the running batch, or -1 outside one.
    private int _overlapEnd = -1;

    /// <summary>Creates a driver and registers it with <paramref name="scheduler"/> (in the base clock domain).</summary>
    /// <param name="scheduler">The kernel the steps run on.</param>
    /// <param name="listener">Receives each step's start.</param>
    /// <param name="cyclesPerStep">Step period in base cycles (fixed-period mode), or 0 for barrier mode.</param>
    public TimestepDriver(Scheduler scheduler, ITimestepListener listener, long cyclesPerStep)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(listener);
        if (cyclesPerStep < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(cyclesPerStep), cyclesPerStep, "Cycles per step must be at least 0 (0 = barrier mode).");
        }
        _scheduler = scheduler;
        _listener = listener;
        CyclesPerStep = cyclesPerStep;
        _componentId = scheduler.Register(this);
    }

    /// <summary>Step period in base cycles; 0 means barrier mode (each step starts when the previous one drains).</summary>
    public long CyclesPerStep { get; }

    /// <summary>Start cycle (tick cycle) of each step run so far.</summary>
    public IReadOnlyList<long> StepStartCycles => _starts;

    /// <summary>Cycle of the last event dispatched in each step run so far (at least the step's start).</summary>
    public IReadOnlyList<long> StepEndCycles => _ends;

    /// <summary>Number of steps (fixed-period mode only) whose last event came after the next period boundary.</summary>
    public int Overruns { get; private set; }

    /// <summary>
    /// Runs <paramref name="steps"/> timesteps: steps 0 .. steps-1 on the first call; a further call continues the
    /// numbering where the previous one stopped.
    /// </summary>
    /// <param name="steps">Number of steps to run, at least 0.</param>
    public void Run(int steps)
    {
        if (steps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "Step count must be at least 0.");
        }
        for (int i = 0; i < steps; i++)
        {
            int step = _starts.Count;
            // The previous step drained at Now (the cycle of its last event); a step can never start earlier.
            long previousEnd = _scheduler.Now;
            long start = CyclesPerStep > 0 ? Math.Max(checked(step * CyclesPerStep), previousEnd) : previousEnd;

            _expectedStep = step;
            _scheduler.ScheduleAt(_componentId, start, TickKind, step);
            try
            {
                _scheduler.RunUntilIdle();
            }
            catch
            {
                // A step that failed after ElapseStep: its elapse must not carry over to a later step of a reused driver.
                _elapsed = -1;
                throw;
            }
            finally
            {
                _expectedStep = -1;
            }
            if (_starts.Count != step + 1)
            {
                throw new InvalidOperationException($"The tick of step {step} was never dispatched.");
            }

            if (_elapsed >= 0)
            {
                // The listener had the step's work timed elsewhere (ElapseStep): it ends that long after its tick.
                (long cycles, long events) = (_elapsed, _elapsedEvents);
                _elapsed = -1;
                _scheduler.Elapse(checked(_starts[step] + cycles), events);
            }

            long end = _scheduler.Now;
            _ends.Add(end);
            if (CyclesPerStep > 0 && end > checked((step + 1) * CyclesPerStep))
            {
                Overruns++;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="steps"/> timesteps that may overlap (pipelined execution): the first step's tick is at
    /// the current cycle; each later step's tick comes when the listener calls <see cref="AdmitNext"/>, and each
    /// step ends when the listener calls <see cref="EndStep"/>. Returns when the kernel is idle; every step must
    /// have been admitted and ended by then. Barrier mode only (<see cref="CyclesPerStep"/> == 0): a fixed period
    /// would be a barrier of its own.
    /// </summary>
    /// <param name="steps">Number of steps to run, at least 0.</param>
    public void RunOverlapped(int steps)
    {
        if (steps < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "Step count must be at least 0.");
        }
        if (CyclesPerStep > 0)
        {
            throw new InvalidOperationException("Overlapped steps need a driver without a fixed period (cyclesPerStep 0).");
        }
        if (steps == 0)
        {
            return;
        }
        int first = _starts.Count;
        if (_ends.Count != first)
        {
            throw new InvalidOperationException("A batch of steps is still running.");
        }
        _overlapEnd = first + steps;
        _expectedStep = first;
        _scheduler.ScheduleAt(_componentId, _scheduler.Now, TickKind, first);
        try
        {
            _scheduler.RunUntilIdle();
        }
        finally
        {
            _expectedStep = -1;
            _overlapEnd = -1;
        }
        if (_starts.Count != first + steps || _ends.Count != first + steps)
        {
            throw new InvalidOperationException(
                $"Of {steps} overlapped steps from step {first}, {_starts.Count - first} were admitted and {_ends.Count - first} ended before the kernel went idle.");
        }
    }

    /// <summary>Overlapped mode: the next step's input can enter now; its tick is scheduled at the current cycle.</summary>
    public void AdmitNext()
    {
        int next = _starts.Count;
        if (_overlapEnd < 0 || next >= _overlapEnd || _expectedStep == next)
        {
            throw new InvalidOperationException($"Step {next} cannot be admitted: no overlapped batch runs it, or its tick is already scheduled.");
        }
        _expectedStep = next;
        _scheduler.ScheduleAt(_componentId, _scheduler.Now, TickKind, next);
    }

    /// <summary>Overlapped mode: the oldest admitted step that had not ended has done its last work at the current cycle.</summary>
    public void EndStep()
    {
        if (_overlapEnd < 0 || _ends.Count >= _starts.Count)
        {
            throw new InvalidOperationException("No admitted step is running in an overlapped batch.");
        }
        _ends.Add(_scheduler.Now);
    }

    // A step timed elsewhere (ElapseStep): its cycles from the tick to its end, and the events it dispatched beyond the
    // tick; -1 when none is pending.
    private long _elapsed = -1, _elapsedEvents;

    /// <summary>
    /// Barrier mode (<see cref="Run"/>), from <see cref="ITimestepListener.OnTimestep"/>: the listener schedules nothing
    /// for this step because its work was timed elsewhere, from a state equal to this kernel's at the tick (e.g. by a
    /// second scheduler on another thread, at a start of the same clock phase). The step ends
    /// <paramref name="cycles"/> after its tick, and <paramref name="events"/> events (beyond the tick) count as
    /// dispatched (<see cref="Scheduler.Elapse"/>), so the step's start, end and event count are as if run here.
    /// </summary>
    /// <param name="cycles">The step's latency, at least 0.</param>
    /// <param name="events">Events the step dispatched beyond its tick, at least 0.</param>
    /// <exception cref="InvalidOperationException">Not called from the tick of a barrier step, or called twice for it.</exception>
    public void ElapseStep(long cycles, long events)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(cycles);
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        if (_expectedStep < 0 || _overlapEnd >= 0 || _starts.Count != _expectedStep + 1 || _elapsed >= 0)
        {
            throw new InvalidOperationException("Only the listener of a barrier step's tick can have the step timed elsewhere, once.");
        }
        (_elapsed, _elapsedEvents) = (cycles, events);
    }

    /// <summary>Handles the tick that starts a step; the driver accepts no other events.</summary>
    /// <param name="ev">The tick event (payload = step index).</param>
    /// <param name="scheduler">The dispatching scheduler.</param>
    public void OnEvent(in SimEvent ev, Scheduler scheduler)
    {
        if (!ReferenceEquals(scheduler, _scheduler))
        {
            throw new InvalidOperationException("TimestepDriver received an event from a scheduler it is not registered with.");
        }
        if (ev.Kind != TickKind || ev.Payload != _expectedStep || _starts.Count != _expectedStep)
        {
            throw new InvalidOperationException(
                $"TimestepDriver received an unexpected event (kind {ev.Kind}, payload {ev.Payload}) at cycle {ev.Cycle}; only its own step ticks may target it.");
        }
        _starts.Add(ev.Cycle);
        _listener.OnTimestep((int)ev.Payload, scheduler);
    }
}
