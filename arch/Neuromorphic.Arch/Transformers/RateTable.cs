using System.Globalization;
using Neuromorphic.Traces;

namespace Neuromorphic.Arch.Transformers;

/// <summary>Firing rates per spiking layer from a CSV <c>layer,rate</c> (a header line is allowed), with a uniform default.</summary>
public static class RateTable
{
    /// <summary>Reads the file; rates must lie in [0, 1].</summary>
    /// <exception cref="InputFormatException">Naming the file and line of a bad row.</exception>
    public static IReadOnlyDictionary<string, double> Read(string path)
    {
        var rates = new Dictionary<string, double>(StringComparer.Ordinal);
        var lines = File.ReadAllLines(path);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var cells = line.Split(',');
            if (i == 0 && cells.Length == 2 && !double.TryParse(cells[1], NumberStyles.Float, CultureInfo.InvariantCulture, out _)) continue; // header
            if (cells.Length != 2) throw new InputFormatException(path, $"line {i + 1}", "expected two columns: layer,rate");
            if (!double.TryParse(cells[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) || rate is < 0 or > 1)
                throw new InputFormatException(path, $"line {i + 1}", $"rate '{cells[1].Trim()}' is not a number in [0, 1]");
            rates[cells[0].Trim()] = rate;
        }
        return rates;
    }
}
