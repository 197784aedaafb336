using Neuromorphic.Hw.Costs;
using Neuromorphic.Hw.Periphery;

namespace Neuromorphic.Hw.Interconnect;

/// <summary>
/// A shared bus: one medium that carries one message at a time, granted in call (arrival) order.
/// A message of f flits holds the bus for f cycles; without contention it arrives at
/// ready + transfer latency + f - 1. Messages to the sending endpoint itself do not use the bus.
/// </summary>
/// <remarks>
/// Callers send in event order (cycle, then sequence), which makes the arbitration deterministic.
/// Counters feed the ledger; <see cref="Reset"/> clears them with the bus state.
/// </remarks>
public sealed class SharedBus
{
    /// <summary>Component class.</summary>
    public const string Component = "shared_bus";

    /// <summary>Action: one flit across the bus.</summary>
    public const string FlitAction = "flit";

    private long _freeAt;

    /// <summary>Creates an idle bus; validates the parameters.</summary>
    /// <param name="parameters">Bus parameters.</param>
    /// <exception cref="ArgumentException">A parameter is out of range.</exception>
    public SharedBus(SharedBusParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
    }

    /// <summary>The parameters this bus was built from.</summary>
    public SharedBusParameters Parameters { get; }

    /// <summary>Messages sent, including local ones.</summary>
    public long Messages { get; private set; }

    /// <summary>Messages to the sending endpoint itself (they do not use the bus).</summary>
    public long LocalMessages { get; private set; }

    /// <summary>Flits carried (count of <see cref="FlitAction"/>); also the cycles the bus was busy.</summary>
    public long Flits { get; private set; }

    /// <summary>Cycles messages spent waiting for the bus, summed over messages.</summary>
    public long WaitCycles { get; private set; }

    /// <summary>Dynamic energy of all traffic so far, pJ.</summary>
    public double DynamicEnergyPj => Flits * Parameters.FlitEnergyPj;

    /// <summary>Flits of a message of <paramref name="bits"/> bits: max(1, ceil(bits / width)).</summary>
    /// <param name="bits">Payload bits, &gt;= 0.</param>
    /// <returns>The flit count.</returns>
    public int FlitsFor(int bits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bits);
        int w = Parameters.WidthBits;
        return bits == 0 ? 1 : (int)(((long)bits + w - 1) / w);
    }

    /// <summary>Sends a message once the bus is free and returns when its last flit arrives.</summary>
    /// <param name="fromEndpoint">Sending endpoint.</param>
    /// <param name="toEndpoint">Receiving endpoint.</param>
    /// <param name="bits">Payload bits, &gt;= 0.</param>
    /// <param name="readyCycle">Bus cycle at which the message is ready, &gt;= 0.</param>
    /// <returns>Bus cycle at which the last flit reaches the receiver.</returns>
    public long Send(int fromEndpoint, int toEndpoint, int bits, long readyCycle)
    {
        CheckEndpoint(fromEndpoint, nameof(fromEndpoint));
        CheckEndpoint(toEndpoint, nameof(toEndpoint));
        ArgumentOutOfRangeException.ThrowIfNegative(readyCycle);
        int flits = FlitsFor(bits);
        Messages++;
        if (fromEndpoint == toEndpoint)
        {
            LocalMessages++;
            return readyCycle;
        }
        long start = Math.Max(readyCycle, _freeAt);
        WaitCycles += start - readyCycle;
        _freeAt = start + flits;
        Flits += flits;
        return start + Parameters.TransferLatencyCycles + flits - 1;
    }

    /// <summary>Frees the bus and zeroes every counter.</summary>
    public void Reset()
    {
        _freeAt = 0;
        Messages = LocalMessages = Flits = WaitCycles = 0;
    }

    /// <summary>The cost-table row of this bus.</summary>
    /// <returns>One row: <see cref="Component"/>.<see cref="FlitAction"/>.</returns>
    public IEnumerable<CostEntry> DefaultCosts()
    {
        var p = Parameters;
        var source = p.EnergyPjPerFlit is not null
            ? "given per flit in the architecture"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"assumed: {p.WidthBits} wires of {p.WireLengthUm} um at {TechnologyNode.WireCapacitanceFfPerUm} fF/um, Vdd {TechnologyNode.SupplyVoltage(p.TechnologyNm):G3} V at {p.TechnologyNm} nm (NeuroSim's PTM LP table), 1/2 C V^2 per bit as NeuroSim V1.4's XYBus.cpp");
        yield return new CostEntry(Component, FlitAction, p.FlitEnergyPj, 1e9 / p.ClockHz, source + "; one flit per cycle");
    }

    /// <summary>Area and leakage of the bus interface logic (arbiter and one port per endpoint).</summary>
    /// <returns>One row for <see cref="Component"/>.</returns>
    public IEnumerable<ComponentCost> DefaultComponentCosts()
    {
        var p = Parameters;
        // Per endpoint: a width-bit tri-state driver/receiver pair (~4 transistors per bit) and an arbiter slice (~20).
        double area = p.Endpoints * (4.0 * p.WidthBits + 20) * TechnologyNode.TransistorAreaUm2(p.TechnologyNm);
        yield return new ComponentCost(Component, area, area * TechnologyNode.LogicLeakageUwPerUm2,
            "assumed: per endpoint 4 transistors per bit + 20 for arbitration at 40 F^2 each; wires over logic; 0.1 nW/um^2 leakage");
    }

    private void CheckEndpoint(int endpoint, string name)
    {
        if ((uint)endpoint >= (uint)Parameters.Endpoints)
        {
            throw new ArgumentOutOfRangeException(name, endpoint, $"Endpoint {endpoint} is outside the bus's {Parameters.Endpoints}.");
        }
    }
}
