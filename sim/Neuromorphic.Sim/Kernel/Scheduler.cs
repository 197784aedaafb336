namespace Neuromorphic.Sim.Kernel;

/// <summary>
/// The discrete-event kernel: owns the event queue, the registered components and their clock domains, and
/// dispatches events in (cycle, sequence) order. Time is in base cycles and starts at 0.
/// </summary>
/// <remarks>
/// Sequence numbers come from a per-scheduler counter, so a run is a pure function of what was scheduled, in
/// what order: no wall clock, no hash order. Scheduling and dispatching do not allocate after warm-up.
/// Not thread-safe: one scheduler per simulated system, driven from one thread.
/// </remarks>
public sealed class Scheduler
{
    private readonly EventQueue _queue;
    // Each component's handler as a delegate bound to its class's method when it registers: dispatching an
    // event is then a direct call, not an interface dispatch through a stub shared by every component class.
    private delegate void Handler(in SimEvent ev, Scheduler scheduler);
    private Handler[] _components = new Handler[8];
    private ClockDomain[] _domains = new ClockDomain[8];
    private int _componentCount;
    private long _nextSequence;

    // Set while a component handles an event: dispatching from inside a handler would reorder time.
    private bool _dispatching;

    // The component whose event is being dispatched (valid while _dispatching): TryDispatchWake serves its own handler only.
    private int _dispatchedTarget;

    // Wake-ups (WakeAt) of one component (_wakeTarget, -1 until the first): a stack, earliest on top.
    private long[] _wakeCycles = new long[8], _wakeSequences = new long[8];
    private int _wakeCount, _wakeTarget = -1;

    /// <summary>Creates a scheduler with no components at cycle 0.</summary>
    /// <param name="wheelSizeCycles">Timing-wheel window of the event queue (a power of two); see <see cref="EventQueue"/>.</param>
    public Scheduler(int wheelSizeCycles = 1024)
    {
        _queue = new EventQueue(wheelSizeCycles);
    }

    /// <summary>Cycle of the event being dispatched, or of the last one dispatched (0 before any).</summary>
    public long Now { get; private set; }

    /// <summary>Number of events dispatched so far (including the one being dispatched).</summary>
    public long Dispatched { get; private set; }

    /// <summary>Number of events scheduled but not yet dispatched (wake-ups included).</summary>
    public int Pending => _queue.Count + _wakeCount;

    /// <summary>Number of registered components; valid ids are 0 .. ComponentCount - 1.</summary>
    public int ComponentCount => _componentCount;

    /// <summary>Registers a component and returns its dense id (0, 1, 2, ... in registration order).</summary>
    /// <param name="component">The component that will receive events addressed to the returned id.</param>
    /// <param name="domain">Its clock domain; <see cref="ClockDomain.Base"/> if null.</param>
    /// <returns>The component id to use as an event target.</returns>
    public int Register(IComponent component, ClockDomain? domain = null)
    {
        ArgumentNullException.ThrowIfNull(component);
        ClockDomain d = domain ?? ClockDomain.Base;
        if (d.Ratio < 1 || d.Name is null)
        {
            // Only default(ClockDomain) gets here; the constructor validates everything else.
            throw new ArgumentException("Clock domain is uninitialised (Ratio must be at least 1).", nameof(domain));
        }
        if (_componentCount == _components.Length)
        {
            Array.Resize(ref _components, _components.Length * 2);
            Array.Resize(ref _domains, _domains.Length * 2);
        }
        int id = _componentCount++;
        _components[id] = component.OnEvent;
        _domains[id] = d;
        return id;
    }

    /// <summary>The clock domain a component was registered with.</summary>
    /// <param name="componentId">A component id returned by <see cref="Register"/>.</param>
    /// <returns>The component's clock domain.</returns>
    public ClockDomain DomainOf(int componentId)
    {
        CheckTarget(componentId, nameof(componentId));
        return _domains[componentId];
    }

    /// <summary>Schedules an event <paramref name="delayCycles"/> base cycles after <see cref="Now"/>.</summary>
    /// <param name="target">Receiving component id.</param>
    /// <param name="delayCycles">Delay in base cycles, at least 0 (0 = later in the current cycle).</param>
    /// <param name="kind">Component-defined event kind.</param>
    /// <param name="payload">Component-defined payload.</param>
    public void Schedule(int target, long delayCycles, int kind = 0, long payload = 0)
    {
        CheckTarget(target, nameof(target));
        if (delayCycles < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(delayCycles), delayCycles, "Delay must be at least 0 cycles.");
        }
        Enqueue(checked(Now + delayCycles), target, kind, payload);
    }

    /// <summary>Schedules an event at an absolute base cycle.</summary>
    /// <param name="target">Receiving component id.</param>
    /// <param name="cycle">Absolute cycle, at least <see cref="Now"/>.</param>
    /// <param name="kind">Component-defined event kind.</param>
    /// <param name="payload">Component-defined payload.</param>
    public void ScheduleAt(int target, long cycle, int kind = 0, long payload = 0)
    {
        CheckTarget(target, nameof(target));
        if (cycle < Now)
        {
            throw new ArgumentOutOfRangeException(nameof(cycle), cycle, $"Cannot schedule at cycle {cycle}: it is before Now ({Now}).");
        }
        Enqueue(cycle, target, kind, payload);
    }

    /// <summary>
    /// Takes the sequence number the next event scheduled would take, for an event whose cycle is known now but which
    /// its component schedules later (<see cref="ScheduleReserved"/>) or handles without the queue
    /// (<see cref="TryDispatchInline"/>): it keeps its place among events of the same cycle as if scheduled now.
    /// </summary>
    /// <returns>The reserved sequence number.</returns>
    public long ReserveSequence() => _nextSequence++;

    /// <summary>
    /// Schedules an event at an absolute base cycle with a sequence number reserved earlier (<see cref="ReserveSequence"/>):
    /// it is dispatched in (cycle, sequence) order as if it had been scheduled when the number was reserved.
    /// </summary>
    /// <param name="target">Receiving component id.</param>
    /// <param name="cycle">Absolute cycle, at least <see cref="Now"/>.</param>
    /// <param name="sequence">A number <see cref="ReserveSequence"/> returned, not used for another event.</param>
    /// <param name="kind">Component-defined event kind.</param>
    /// <param name="payload">Component-defined payload.</param>
    public void ScheduleReserved(int target, long cycle, long sequence, int kind = 0, long payload = 0)
    {
        CheckTarget(target, nameof(target));
        if (cycle < Now)
        {
            throw new ArgumentOutOfRangeException(nameof(cycle), cycle, $"Cannot schedule at cycle {cycle}: it is before Now ({Now}).");
        }
        if ((ulong)sequence >= (ulong)_nextSequence)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "The sequence number was not reserved.");
        }
        _queue.Push(new SimEvent(cycle, sequence, target, kind, payload));
        LowerAdvanceLimit(cycle);
    }

    /// <summary>
    /// From inside the handler of the event being dispatched: if an event at (<paramref name="cycle"/>,
    /// <paramref name="sequence"/>) would be dispatched next (it precedes every pending event and wake-up), moves
    /// <see cref="Now"/> to its cycle and counts it as dispatched, so the caller handles it at once instead of
    /// scheduling it (a component that holds several timed completions with one event). Otherwise changes nothing.
    /// </summary>
    /// <param name="cycle">The event's cycle, at least <see cref="Now"/>.</param>
    /// <param name="sequence">Its sequence number (reserved: <see cref="ReserveSequence"/>).</param>
    /// <returns>Whether the caller handles it now.</returns>
    /// <exception cref="InvalidOperationException">Called outside an event handler.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The cycle is before Now.</exception>
    public bool TryDispatchInline(long cycle, long sequence)
    {
        if (!_dispatching)
        {
            throw new InvalidOperationException("Only the handler of the event being dispatched may handle another inline.");
        }
        if (cycle < Now)
        {
            throw new ArgumentOutOfRangeException(nameof(cycle), cycle, $"Cannot dispatch at cycle {cycle}: it is before Now ({Now}).");
        }
        if (_queue.TryPeek(out long queued, out long queuedSequence) && (cycle > queued || (cycle == queued && sequence > queuedSequence)))
        {
            return false;
        }
        if (_wakeCount > 0)
        {
            var wake = _wakeCycles[_wakeCount - 1];
            if (cycle > wake || (cycle == wake && sequence > _wakeSequences[_wakeCount - 1]))
            {
                return false;
            }
        }
        Now = cycle;
        Dispatched++;
        return true;
    }

    /// <summary>
    /// Schedules an event <paramref name="localCycles"/> cycles of the target's own clock after its next clock edge,
    /// i.e. at <c>domain.NextEdge(Now) + domain.ToBase(localCycles)</c>; the event always lands on an edge of the
    /// target's domain.
    /// </summary>
    /// <param name="target">Receiving component id.</param>
    /// <param name="localCycles">Delay in the target domain's clock cycles, at least 0.</param>
    /// <param name="kind">Component-defined event kind.</param>
    /// <param name="payload">Component-defined payload.</param>
    public void ScheduleLocal(int target, long localCycles, int kind = 0, long payload = 0)
    {
        CheckTarget(target, nameof(target));
        if (localCycles < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(localCycles), localCycles, "Delay must be at least 0 cycles.");
        }
        ClockDomain domain = _domains[target];
        Enqueue(checked(domain.NextEdge(Now) + domain.ToBase(localCycles)), target, kind, payload);
    }

    /// <summary>
    /// Schedules a wake-up of <paramref name="target"/> at <paramref name="cycle"/>, for a component that keeps a
    /// queue of its own work and holds a wake-up at its earliest item: each new wake-up comes before every wake-up
    /// the component holds (otherwise one of those does), so they form a stack beside the event queue. A wake-up is
    /// an event (kind 0, payload 0) like any other: it takes the next sequence number and is dispatched in
    /// (cycle, sequence) order among all events, but costs no push into or pop from the event queue. One component
    /// per scheduler may use it.
    /// </summary>
    /// <param name="target">The component (the same one at every call).</param>
    /// <param name="cycle">Absolute cycle, at least <see cref="Now"/> and before every wake-up pending.</param>
    /// <exception cref="ArgumentOutOfRangeException">An unknown target, a cycle before Now, or a cycle not before the pending wake-up.</exception>
    /// <exception cref="InvalidOperationException">Another component already holds this scheduler's wake-ups.</exception>
    public void WakeAt(int target, long cycle)
    {
        CheckTarget(target, nameof(target));
        if (cycle < Now)
        {
            throw new ArgumentOutOfRangeException(nameof(cycle), cycle, $"Cannot schedule at cycle {cycle}: it is before Now ({Now}).");
        }
        if (_wakeTarget != target)
        {
            if (_wakeTarget >= 0)
            {
                throw new InvalidOperationException($"Component {_wakeTarget} holds this scheduler's wake-ups; component {target} cannot.");
            }
            _wakeTarget = target;
        }
        if (_wakeCount > 0 && cycle >= _wakeCycles[_wakeCount - 1])
        {
            throw new ArgumentOutOfRangeException(nameof(cycle), cycle, $"A wake-up at cycle {cycle} does not come before the pending one at cycle {_wakeCycles[_wakeCount - 1]}.");
        }
        if (_wakeCount == _wakeCycles.Length)
        {
            Array.Resize(ref _wakeCycles, _wakeCount * 2);
            Array.Resize(ref _wakeSequences, _wakeCount * 2);
        }
        _wakeCycles[_wakeCount] = cycle;
        _wakeSequences[_wakeCount++] = _nextSequence++;
        LowerAdvanceLimit(cycle);
    }

    /// <summary>
    /// From inside the handler of the component that holds the wake-ups (<see cref="WakeAt"/>), handling an event addressed
    /// to it, as the last thing it does before it would return: if its earliest pending wake-up is the kernel's next event (it precedes every queued event),
    /// dispatches it to the caller at once instead: <see cref="Now"/> moves to its cycle, it counts as dispatched and is no
    /// longer pending, exactly as if the kernel had dispatched it right after the handler returned, and the caller goes on
    /// handling it. Otherwise changes nothing. (A component that runs its own queue ahead stops where one of its own stale
    /// wake-ups lies first: this saves the kernel's round trip.)
    /// </summary>
    /// <param name="target">The caller: the component that holds the wake-ups.</param>
    /// <returns>Whether the caller now handles its earliest wake-up.</returns>
    /// <exception cref="InvalidOperationException">
    /// Called outside an event handler, for another component than the one holding the wake-ups, or while an event of another
    /// component is being dispatched (a wake-up handed to the holder in the middle of someone else's handler would run
    /// before that handler's rest).
    /// </exception>
    public bool TryDispatchWake(int target)
    {
        if (!_dispatching)
        {
            throw new InvalidOperationException("Only the handler of the event being dispatched may take a wake-up inline.");
        }
        if (target != _wakeTarget)
        {
            throw new InvalidOperationException($"Component {target} does not hold this scheduler's wake-ups.");
        }
        if (target != _dispatchedTarget)
        {
            throw new InvalidOperationException($"Component {target} may take a wake-up inline only from its own handler (component {_dispatchedTarget}'s event is being dispatched).");
        }
        if (_wakeCount == 0 || !WakeFirst())
        {
            return false;
        }
        _wakeCount--;
        Now = _wakeCycles[_wakeCount];
        Dispatched++;
        _advanceLimit = long.MinValue;
        return true;
    }

    /// <summary>The cycle of the earliest wake-up pending (<see cref="WakeAt"/>), if any.</summary>
    /// <param name="cycle">That cycle, or 0 when none is pending.</param>
    /// <returns>False if no wake-up is pending.</returns>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool TryPeekWake(out long cycle)
    {
        if (_wakeCount == 0)
        {
            cycle = 0;
            return false;
        }
        cycle = _wakeCycles[_wakeCount - 1];
        return true;
    }

    /// <summary>Cycle of the earliest pending event, if any.</summary>
    /// <param name="cycle">That cycle, or 0 when nothing is pending.</param>
    /// <returns>False if nothing is pending.</returns>
    public bool TryPeekNext(out long cycle)
    {
        var queued = _queue.TryPeekCycle(out cycle);
        if (_wakeCount == 0)
        {
            return queued;
        }
        var wake = _wakeCycles[_wakeCount - 1];
        if (!queued || wake < cycle)
        {
            cycle = wake;
        }
        return true;
    }

    /// <summary>
    /// Moves <see cref="Now"/> forward from inside the handler of the event being dispatched, for a
    /// component that keeps a queue of its own work and runs it ahead while nothing else can act: up to
    /// the earliest pending event's cycle at most, so time still never goes back for anyone.
    /// </summary>
    /// <param name="cycle">The new time: at least <see cref="Now"/>, at most the earliest pending event's cycle.</param>
    /// <exception cref="InvalidOperationException">Called outside an event handler.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The cycle is before Now or after the earliest pending event.</exception>
    public void AdvanceTo(long cycle)
    {
        if (!TryAdvanceTo(cycle))
        {
            throw new ArgumentOutOfRangeException(nameof(cycle), cycle, $"Cannot advance to cycle {cycle}: it is after the next pending event.");
        }
    }

    /// <summary>
    /// <see cref="AdvanceTo"/> if no pending event comes before <paramref name="cycle"/>; otherwise leaves
    /// the time alone and returns false. Cheap to call in a loop: the earliest pending cycle is looked up
    /// once per dispatched event (events scheduled meanwhile lower it).
    /// </summary>
    /// <param name="cycle">The new time, at least <see cref="Now"/>.</param>
    /// <returns>Whether the time moved to <paramref name="cycle"/>.</returns>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool TryAdvanceTo(long cycle)
    {
        // Fast path (inlined into the caller's loop): inside a handler, forward in time, and not beyond the
        // earliest pending cycle as last looked up (lowered whenever an event is scheduled, cleared whenever one
        // is dispatched, and outside handlers).
        if (cycle >= Now && cycle <= _advanceLimit)
        {
            Now = cycle;
            return true;
        }
        return TryAdvanceToChecked(cycle);
    }

    private bool TryAdvanceToChecked(long cycle)
    {
        if (!_dispatching)
        {
            throw new InvalidOperationException("Only the handler of the event being dispatched may advance the time.");
        }
        if (cycle < Now)
        {
            throw new ArgumentOutOfRangeException(nameof(cycle), cycle, $"Cannot advance to cycle {cycle}: it is before Now ({Now}).");
        }
        // The fast path failed: the limit is unknown (cleared at each dispatch and outside handlers) or the cycle lies
        // beyond it (events scheduled since it was read have lowered it, never cleared it). Look it up again.
        _advanceLimit = TryPeekNext(out long next) ? next : long.MaxValue;
        if (cycle > _advanceLimit)
        {
            return false;
        }
        Now = cycle;
        return true;
    }

    // The earliest pending cycle as last looked up inside the current handler (long.MaxValue: none pending), lowered
    // as events are scheduled; long.MinValue when unknown: after an event was dispatched, and outside handlers.
    private long _advanceLimit = long.MinValue;

    /// <summary>Dispatches the earliest pending event.</summary>
    /// <returns>False if there was nothing to dispatch.</returns>
    /// <exception cref="InvalidOperationException">Called from inside a component's event handler.</exception>
    public bool Step()
    {
        if (_dispatching)
        {
            throw new InvalidOperationException("The scheduler cannot be run from inside a component's OnEvent; schedule an event instead.");
        }
        SimEvent ev;
        var limit = long.MinValue;
        if (_wakeCount > 0 && WakeFirst(out long queued))
        {
            _wakeCount--;
            ev = new SimEvent(_wakeCycles[_wakeCount], _wakeSequences[_wakeCount], _wakeTarget, 0, 0);
            // The earliest pending cycle is known here (the queue's earliest or the next wake-up): a wake-up's handler
            // runs its own queue ahead at once (TryAdvanceTo), so it starts on the fast path.
            limit = _wakeCount > 0 ? Math.Min(queued, _wakeCycles[_wakeCount - 1]) : queued;
        }
        else if (!_queue.TryPop(out ev))
        {
            return false;
        }
        Now = ev.Cycle;
        Dispatched++;
        _dispatching = true;
        _dispatchedTarget = ev.Target;
        _advanceLimit = limit;
        try
        {
            _components[ev.Target](in ev, this);
        }
        finally
        {
            _dispatching = false;
            _advanceLimit = long.MinValue;
        }
        return true;
    }

    /// <summary>Whether the earliest wake-up comes before every queued event (there is a wake-up pending).</summary>
    private bool WakeFirst() => WakeFirst(out _);

    /// <summary>
    /// Whether the earliest wake-up comes before every queued event (there is a wake-up pending), and the earliest queued
    /// event's cycle (long.MaxValue: none).
    /// </summary>
    private bool WakeFirst(out long queued)
    {
        if (!_queue.TryPeek(out queued, out long sequence))
        {
            queued = long.MaxValue;
            return true;
        }
        var wake = _wakeCycles[_wakeCount - 1];
        return wake < queued || (wake == queued && _wakeSequences[_wakeCount - 1] < sequence);
    }

    /// <summary>
    /// Accounts for work timed elsewhere (another scheduler, e.g. on another thread, that ran the same work from an equal
    /// state): time moves to <paramref name="cycle"/> and <paramref name="events"/> more events count as dispatched, as if
    /// they had been dispatched here, the last at that cycle. Only between events, with nothing pending, so no event of
    /// this scheduler can be passed over.
    /// </summary>
    /// <param name="cycle">The new time, at least <see cref="Now"/>.</param>
    /// <param name="events">Events the work dispatched, at least 0.</param>
    /// <exception cref="InvalidOperationException">Called from a handler, or with events pending.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The cycle is before Now, or the events are negative.</exception>
    public void Elapse(long cycle, long events)
    {
        if (_dispatching || Pending > 0)
        {
            throw new InvalidOperationException("Only an idle scheduler, between events, can account for work timed elsewhere.");
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(cycle, Now);
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        Now = cycle;
        Dispatched += events;
    }

    /// <summary>Dispatches events until none are pending.</summary>
    public void RunUntilIdle()
    {
        while (Step())
        {
        }
    }

    /// <summary>
    /// Dispatches every event whose cycle is at most <paramref name="cycle"/> (including ones scheduled meanwhile).
    /// <see cref="Now"/> stays at the last dispatched event's cycle.
    /// </summary>
    /// <param name="cycle">Inclusive cycle limit.</param>
    public void RunUntil(long cycle)
    {
        while (TryPeekNext(out long next) && next <= cycle)
        {
            Step();
        }
    }

    private void Enqueue(long cycle, int target, int kind, long payload)
    {
        var ev = new SimEvent(cycle, _nextSequence++, target, kind, payload);
        _queue.Push(in ev);
        LowerAdvanceLimit(cycle);
    }

    /// <summary>
    /// An event is now pending at <paramref name="cycle"/>: the earliest pending cycle, if known, is the earlier of the
    /// two (so a handler that schedules while running its own queue ahead keeps its fast path).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void LowerAdvanceLimit(long cycle)
    {
        if (cycle < _advanceLimit) _advanceLimit = cycle;
    }

    private void CheckTarget(int target, string paramName)
    {
        if ((uint)target >= (uint)_componentCount)
        {
            throw new ArgumentOutOfRangeException(paramName, target, $"Unknown component id {target}; {_componentCount} component(s) registered.");
        }
    }
}
