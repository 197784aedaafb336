using MathNet.Numerics.LinearAlgebra;

namespace Neuromorphic.Sim.Learning;

/// <summary>
/// A linear readout trained by ridge regression on one-hot targets, in closed form (the LSM's
/// trainable part). Features are standardised with the training set's mean and standard deviation;
/// the intercept is not regularised. Solved in the dual form (an n x n Gram matrix, n = samples)
/// when there are fewer samples than features, else in the primal form (d x d): either way one
/// symmetric eigendecomposition serves every regularisation strength, so choosing it on a
/// validation split costs one decomposition. Deterministic.
/// </summary>
public sealed class RidgeClassifier
{
    private readonly Matrix<double> _weights; // [d x classes], on standardised features
    private readonly Vector<double> _intercept;
    private readonly double[] _mean, _scale;

    private RidgeClassifier(Matrix<double> weights, Vector<double> intercept, double[] mean, double[] scale, double lambda)
    {
        _weights = weights;
        _intercept = intercept;
        _mean = mean;
        _scale = scale;
        Lambda = lambda;
    }

    /// <summary>Regularisation strength used.</summary>
    public double Lambda { get; }

    /// <summary>Number of classes.</summary>
    public int Classes => _weights.ColumnCount;

    /// <summary>Fits with a fixed regularisation strength.</summary>
    public static RidgeClassifier Fit(double[][] features, int[] labels, int classes, double lambda) =>
        new Problem(features, labels, classes).Solve(lambda);

    /// <summary>
    /// Chooses the regularisation among <paramref name="lambdas"/> by accuracy on the validation set
    /// (ties go to the stronger regularisation), then refits on training and validation data together.
    /// </summary>
    public static (RidgeClassifier Model, double ValidationAccuracy) FitWithValidation(double[][] train, int[] trainLabels,
        double[][] validation, int[] validationLabels, int classes, IReadOnlyList<double> lambdas)
    {
        if (lambdas.Count == 0) throw new ArgumentException("at least one regularisation strength is needed", nameof(lambdas));
        var problem = new Problem(train, trainLabels, classes);
        double best = -1, bestLambda = lambdas[0];
        foreach (var lambda in lambdas.OrderByDescending(l => l))
        {
            var accuracy = problem.Solve(lambda).Accuracy(validation, validationLabels);
            if (accuracy > best) (best, bestLambda) = (accuracy, lambda);
        }
        var all = train.Concat(validation).ToArray();
        var allLabels = trainLabels.Concat(validationLabels).ToArray();
        return (Fit(all, allLabels, classes, bestLambda), best);
    }

    /// <summary>Class scores of one sample.</summary>
    public double[] Scores(ReadOnlySpan<double> features)
    {
        if (features.Length != _mean.Length) throw new ArgumentException($"expected {_mean.Length} features, found {features.Length}");
        var scores = _intercept.ToArray();
        for (var j = 0; j < features.Length; j++)
        {
            var z = (features[j] - _mean[j]) / _scale[j];
            if (z == 0) continue;
            for (var c = 0; c < scores.Length; c++) scores[c] += z * _weights[j, c];
        }
        return scores;
    }

    /// <summary>The predicted class (the first of equal scores).</summary>
    public int Predict(ReadOnlySpan<double> features) => ClassScores.ArgMax(Scores(features));

    /// <summary>Share of samples predicted correctly.</summary>
    public double Accuracy(double[][] features, int[] labels) => ClassScores.Accuracy(features, labels, f => Predict(f));

    /// <summary>A standardised training set with its one eigendecomposition.</summary>
    private sealed class Problem
    {
        private readonly Matrix<double> _x;   // [n x d], standardised
        private readonly Matrix<double> _y;   // [n x classes], centred one-hot
        private readonly Vector<double> _yMean;
        private readonly double[] _mean, _scale;
        private readonly bool _dual;
        private readonly Matrix<double> _vectors; // eigenvectors of X X^T (dual) or X^T X (primal)
        private readonly Vector<double> _values;
        private readonly Matrix<double> _projected; // V^T Y (dual) or V^T X^T Y (primal)

        public Problem(double[][] features, int[] labels, int classes)
        {
            var n = features.Length;
            if (n == 0) throw new ArgumentException("no training samples");
            if (labels.Length != n) throw new ArgumentException("one label per sample is needed");
            var d = features[0].Length;
            if (features.Any(f => f.Length != d)) throw new ArgumentException("every sample needs the same number of features");
            if (labels.Any(l => l < 0 || l >= classes)) throw new ArgumentException($"labels must lie in [0, {classes})");
            _mean = new double[d];
            _scale = new double[d];
            for (var j = 0; j < d; j++)
            {
                double sum = 0, sq = 0;
                for (var i = 0; i < n; i++) sum += features[i][j];
                var mean = sum / n;
                for (var i = 0; i < n; i++) sq += (features[i][j] - mean) * (features[i][j] - mean);
                var sd = Math.Sqrt(sq / n);
                _mean[j] = mean;
                _scale[j] = sd > 1e-12 ? sd : 1; // a constant feature carries no information: keep it at 0
            }
            _x = Matrix<double>.Build.Dense(n, d, (i, j) => (features[i][j] - _mean[j]) / _scale[j]);
            var oneHot = Matrix<double>.Build.Dense(n, classes, (i, c) => labels[i] == c ? 1.0 : 0.0);
            _yMean = oneHot.ColumnSums() / n;
            _y = Matrix<double>.Build.Dense(n, classes, (i, c) => oneHot[i, c] - _yMean[c]);
            _dual = n < d;
            var gram = _dual ? _x * _x.Transpose() : _x.Transpose() * _x;
            var evd = gram.Evd(Symmetricity.Symmetric);
            _vectors = evd.EigenVectors;
            _values = evd.EigenValues.Map(v => Math.Max(0, v.Real));
            _projected = _dual ? _vectors.TransposeThisAndMultiply(_y) : _vectors.TransposeThisAndMultiply(_x.TransposeThisAndMultiply(_y));
        }

        public RidgeClassifier Solve(double lambda)
        {
            if (!(lambda > 0)) throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "the regularisation must be positive");
            // (G + lambda I)^-1 = V diag(1 / (values + lambda)) V^T, applied to the projected targets.
            var scaled = _projected.Clone();
            for (var k = 0; k < scaled.RowCount; k++)
            {
                var f = 1 / (_values[k] + lambda);
                for (var c = 0; c < scaled.ColumnCount; c++) scaled[k, c] *= f;
            }
            var inner = _vectors * scaled;                         // (G + lambda I)^-1 (Y or X^T Y)
            var weights = _dual ? _x.TransposeThisAndMultiply(inner) : inner; // [d x classes]
            return new RidgeClassifier(weights, _yMean, _mean, _scale, lambda);
        }
    }
}
