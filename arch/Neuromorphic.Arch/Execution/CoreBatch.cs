using Neuromorphic.Sim.Kernel;

namespace Neuromorphic.Arch.Execution;

/// <summary>
/// A population's slices handed to their neuron cores at one cycle, with one kernel event for the batches that idle
/// cores take instead of one per core (CUBA's population: eight cores, every step). Each such batch keeps the place its
/// own completion event would have had: the sequence number it would have taken when submitted is reserved
/// (<see cref="Scheduler.ReserveSequence"/>), and the completions are handled in (cycle, sequence) order, each inline
/// when it is the kernel's next event anyway (<see cref="Scheduler.TryDispatchInline"/>, which counts it as
/// dispatched), else by one event scheduled with its reserved number. So every core finishes, takes its queued work and
/// tells its client at the same cycle and in the same order among all events as with an event per core, and the
/// kernel's event count is the same; only the queue's pushes, pops and dispatches of the batches handled inline go.
/// </summary>
internal sealed class CoreBatch : IComponent
{
    private readonly int _id;

    /// <summary>A batch on an idle core: when it ends, the sequence number its event would have had, its token.</summary>
    private struct Entry
    {
        public long End, Sequence, Token;
        public NeuronCoreUnit Core;
    }

    /// <summary>The batches of one submission, by (end, sequence); <see cref="Next"/> is the first not finished yet.</summary>
    private sealed class Group
    {
        public Entry[] Entries = new Entry[8];
        public int Count, Next;
    }

    // Submissions in flight (several when pipelined steps overlap), by slot; free slots on a stack.
    private Group[] _groups = new Group[4];
    private int[] _free = new int[4];
    private int _freeCount, _slots;

    /// <summary>Registers the batch component with <paramref name="scheduler"/>.</summary>
    public CoreBatch(Scheduler scheduler) => _id = scheduler.Register(this);

    /// <summary>
    /// Submits batch k (<paramref name="operations"/>[k] operations) to core <paramref name="cores"/>[<paramref name="tiles"/>[k]]
    /// for every k in order, each reporting <paramref name="token"/> when done: what <see cref="NeuronCoreUnit.Submit"/>
    /// does for each, in the same order, with every core's statistics the same.
    /// </summary>
    public void Submit(Scheduler scheduler, NeuronCoreUnit[] cores, int[] tiles, int[] operations, long token)
    {
        var slot = -1;
        for (var k = 0; k < tiles.Length; k++)
        {
            var core = cores[tiles[k]];
            var cycles = core.CyclesFor(operations[k]);
            // No work (told at once) or a busy core (the batch queues there): as the core does it.
            if (cycles == 0 || !core.Idle)
            {
                core.Submit(scheduler, operations[k], token);
                continue;
            }
            if (slot < 0) slot = Rent();
            Add(_groups[slot], core.SubmitIdle(scheduler, cycles), scheduler.ReserveSequence(), token, core);
        }
        if (slot < 0) return;
        ref var first = ref _groups[slot].Entries[0];
        scheduler.ScheduleReserved(_id, first.End, first.Sequence, 0, slot);
    }

    /// <summary>Adds a batch, keeping the entries in (end, sequence) order: sequences come ascending, so equal ends stay in arrival order.</summary>
    private static void Add(Group g, long end, long sequence, long token, NeuronCoreUnit core)
    {
        if (g.Count == g.Entries.Length) Array.Resize(ref g.Entries, g.Count * 2);
        var entries = g.Entries;
        var k = g.Count++;
        while (k > 0 && entries[k - 1].End > end)
        {
            entries[k] = entries[k - 1];
            k--;
        }
        entries[k] = new Entry { End = end, Sequence = sequence, Token = token, Core = core };
    }

    /// <inheritdoc />
    public void OnEvent(in SimEvent ev, Scheduler scheduler)
    {
        var slot = (int)ev.Payload;
        var g = _groups[slot];
        while (true)
        {
            var e = g.Entries[g.Next++];
            // The core's own completion (it may start queued work and tell its client, which may submit more).
            e.Core.Finish(scheduler, e.Token);
            if (g.Next == g.Count) break;
            ref var next = ref g.Entries[g.Next];
            if (scheduler.TryDispatchInline(next.End, next.Sequence)) continue;
            // Something else comes first: the next completion waits as the event it stands for.
            scheduler.ScheduleReserved(_id, next.End, next.Sequence, 0, slot);
            return;
        }
        // Done: the slot is free (the entries' cores are the executor's own: nothing to let go of).
        (g.Count, g.Next) = (0, 0);
        _free[_freeCount++] = slot;
    }

    private int Rent()
    {
        if (_freeCount > 0) return _free[--_freeCount];
        if (_slots == _groups.Length)
        {
            Array.Resize(ref _groups, _slots * 2);
            Array.Resize(ref _free, _slots * 2);
        }
        _groups[_slots] = new Group();
        return _slots++;
    }
}
