using System.Globalization;

namespace Neuromorphic.Tests.Neurons;

/// <summary>A three-column golden trace of the NIR LIF example: input spike, membrane, output spike per step.</summary>
internal sealed record GoldenTrace(double[] Input, double[] Membrane, double[] Output)
{
    public static GoldenTrace Load(string path)
    {
        var rows = File.ReadAllLines(path).Where(l => l.Length > 0)
            .Select(l => l.Split(',').Select(c => double.Parse(c, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return new GoldenTrace(rows.Select(r => r[0]).ToArray(), rows.Select(r => r[1]).ToArray(), rows.Select(r => r[2]).ToArray());
    }

    public int[] OutputSpikeSteps => Output.Select((v, i) => (v, i)).Where(p => p.v > 0).Select(p => p.i).ToArray();
}
