using System.Globalization;

namespace Neuromorphic.Hw.Devices;

/// <summary>
/// Shared argument checks for parameter records: each failure is an <see cref="ArgumentException"/>
/// whose message names the record, the field and the offending value, and whose
/// <see cref="ArgumentException.ParamName"/> is the field, so configuration errors point at the YAML key.
/// </summary>
internal static class ParameterCheck
{
    /// <summary>Requires a finite value &gt; 0.</summary>
    public static void Positive(double value, string owner, string field)
    {
        if (!(value > 0) || double.IsInfinity(value)) throw Fail(owner, field, value, "must be a finite number > 0");
    }

    /// <summary>Requires a finite value &gt;= 0.</summary>
    public static void NonNegative(double value, string owner, string field)
    {
        if (!(value >= 0) || double.IsInfinity(value)) throw Fail(owner, field, value, "must be a finite number >= 0");
    }

    /// <summary>Requires a probability in [0, 1].</summary>
    public static void Probability(double value, string owner, string field)
    {
        if (!(value >= 0 && value <= 1)) throw Fail(owner, field, value, "must lie in [0, 1]");
    }

    /// <summary>Requires an integer in [min, max].</summary>
    public static void InRange(int value, int min, int max, string owner, string field)
    {
        if (value < min || value > max)
            throw Fail(owner, field, value, string.Create(CultureInfo.InvariantCulture, $"must lie in [{min}, {max}]"));
    }

    /// <summary>Requires a named member of the enum.</summary>
    public static void Defined<TEnum>(TEnum value, string owner, string field) where TEnum : struct, Enum
    {
        if (!Enum.IsDefined(value)) throw Fail(owner, field, value, "is not a known value");
    }

    /// <summary>The exception for a field that breaks a rule.</summary>
    public static ArgumentException Fail(string owner, string field, object value, string rule) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{owner}.{field} {rule} (got {value})"), field);
}
