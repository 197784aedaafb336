namespace Neuromorphic.Sim.Learning;

/// <summary>What every linear readout does with its class scores: pick the best, count the right ones.</summary>
public static class ClassScores
{
    /// <summary>The index of the highest score (the first on a tie).</summary>
    public static int ArgMax(ReadOnlySpan<double> scores)
    {
        var best = 0;
        for (var c = 1; c < scores.Length; c++) if (scores[c] > scores[best]) best = c;
        return best;
    }

    /// <summary>Share of samples a predictor classifies correctly (NaN for none).</summary>
    public static double Accuracy(double[][] features, int[] labels, Func<double[], int> predict)
    {
        ArgumentNullException.ThrowIfNull(predict);
        if (features.Length == 0) return double.NaN;
        var correct = 0;
        for (var i = 0; i < features.Length; i++) if (predict(features[i]) == labels[i]) correct++;
        return correct / (double)features.Length;
    }
}
