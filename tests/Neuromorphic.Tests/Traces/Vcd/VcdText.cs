using System.Globalization;
using System.Numerics;

namespace Neuromorphic.Tests.Traces.Vcd;

/// <summary>
/// A small, independent VCD reader for tests: the declared variables (full dotted name, type,
/// width) and, per variable, its value over time with repeated values removed (vectors as
/// decimal integers, reals as round-trip text, scalars as 0/1/x/z). Used to compare a written
/// file with what <c>fst2vcd</c> reads back from the converted FST.
/// </summary>
internal sealed class VcdText
{
    public string Timescale { get; private set; } = "";

    public SortedDictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, List<(long Time, string Value)>> Values { get; } = new(StringComparer.Ordinal);

    public long LastTime { get; private set; } = -1;

    public static VcdText Parse(string text)
    {
        var result = new VcdText();
        var ids = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var scopes = new List<string>();
        string[] tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        long time = 0;
        int i = 0;

        string Next() => i < tokens.Length ? tokens[i++] : throw new FormatException("unexpected end of VCD");

        void SkipToEnd()
        {
            while (Next() != "$end")
            {
            }
        }

        void Record(string id, string value)
        {
            foreach (string name in ids[id])
            {
                List<(long Time, string Value)> list = result.Values[name];
                if (list.Count > 0 && list[^1].Value == value)
                {
                    continue;
                }

                if (list.Count > 0 && list[^1].Time == time)
                {
                    list.RemoveAt(list.Count - 1);
                    if (list.Count > 0 && list[^1].Value == value)
                    {
                        continue;
                    }
                }

                list.Add((time, value));
            }
        }

        while (i < tokens.Length)
        {
            string token = Next();
            switch (token)
            {
                case "$scope":
                    Next();
                    scopes.Add(Next());
                    SkipToEnd();
                    break;
                case "$upscope":
                    scopes.RemoveAt(scopes.Count - 1);
                    SkipToEnd();
                    break;
                case "$var":
                {
                    string type = Next();
                    string width = Next();
                    string id = Next();
                    string name = string.Join(".", scopes.Append(Next()));
                    SkipToEnd();
                    result.Variables.Add(name, type + " " + width);
                    result.Values.Add(name, []);
                    if (!ids.TryGetValue(id, out List<string>? names))
                    {
                        ids[id] = names = [];
                    }

                    names.Add(name);
                    break;
                }

                case "$timescale":
                {
                    var parts = new List<string>();
                    for (string t = Next(); t != "$end"; t = Next())
                    {
                        parts.Add(t);
                    }

                    result.Timescale = string.Concat(parts);
                    break;
                }

                case "$date" or "$version" or "$comment":
                    SkipToEnd();
                    break;
                case "$enddefinitions" or "$dumpvars" or "$dumpall" or "$dumpon" or "$dumpoff" or "$end":
                    break;
                default:
                    if (token[0] == '#')
                    {
                        time = long.Parse(token[1..], CultureInfo.InvariantCulture);
                        result.LastTime = Math.Max(result.LastTime, time);
                    }
                    else if (token[0] is 'b' or 'B')
                    {
                        string bits = token[1..];
                        string value = bits.Any(c => c is not ('0' or '1'))
                            ? bits.ToLowerInvariant()
                            : bits.Aggregate(BigInteger.Zero, (acc, c) => (acc * 2) + (c - '0')).ToString(CultureInfo.InvariantCulture);
                        Record(Next(), value);
                    }
                    else if (token[0] is 'r' or 'R')
                    {
                        double value = double.Parse(token[1..], NumberStyles.Float, CultureInfo.InvariantCulture);
                        Record(Next(), value.ToString("R", CultureInfo.InvariantCulture));
                    }
                    else if (token[0] is '0' or '1' or 'x' or 'X' or 'z' or 'Z')
                    {
                        Record(token[1..], token[..1].ToLowerInvariant());
                    }
                    else
                    {
                        throw new FormatException($"unexpected VCD token '{token}'");
                    }

                    break;
            }
        }

        return result;
    }
}
