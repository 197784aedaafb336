using System.Numerics;

namespace Neuromorphic.Sim.Neurons;

/// <summary>Converts per-neuron double parameters to the runtime's element type once, at set-up.</summary>
internal static class Coefficients
{
    public static T[] Map<T>(double[] values, Func<double, double> f) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[values.Length];
        for (var i = 0; i < values.Length; i++) result[i] = T.CreateChecked(f(values[i]));
        return result;
    }

    public static T[] Map<T>(double[] a, double[] b, Func<double, double, double> f) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[a.Length];
        for (var i = 0; i < a.Length; i++) result[i] = T.CreateChecked(f(a[i], b[i]));
        return result;
    }

    public static T[] Map<T>(double[] a, double[] b, double[] c, Func<double, double, double, double> f) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var result = new T[a.Length];
        for (var i = 0; i < a.Length; i++) result[i] = T.CreateChecked(f(a[i], b[i], c[i]));
        return result;
    }
}
