namespace CtSegLabel.TestApp;

/// <summary>Hyper-parameters of one fit.</summary>
public sealed record FitOptions(int Epochs, int IterationsPerEpoch, int BatchSize, double LearningRate, double TemperatureHu, int Seed);

/// <summary>What one epoch achieved.</summary>
public sealed record EpochResult(int Epoch, double Loss, double BoneMinHu, double LungMaxHu, double Metric, IReadOnlyDictionary<string, double> Dice);

/// <summary>
/// Fits the two thresholds by minibatch gradient descent (Adam, cosine-decayed step) on a soft Dice loss:
/// a voxel's bone probability is σ((HU − t_bone)/τ), its lung probability σ((t_lung − HU)/τ) when it is
/// enclosed air. Each epoch ends with the hard Dice on the validation voxels, the metric that decides
/// which thresholds are kept.
/// </summary>
public static class ThresholdFit
{
    private const double Epsilon = 1e-5;
    private const double MinHu = -1024, MaxHu = 3071;

    public static void Run(VoxelSample train, VoxelSample validation, ThresholdParameters start, FitOptions o,
        Action<EpochResult> onEpoch, CancellationToken ct)
    {
        var rng = new Random(o.Seed);
        bool fitBone = train.Has(ThresholdSegmenter.Bone), fitLung = train.Has(ThresholdSegmenter.Lung);
        double tBone = start.BoneMinHu, tLung = start.LungMaxHu;
        var bone = new Adam();
        var lung = new Adam();
        var batch = new int[o.BatchSize];

        for (int epoch = 1; epoch <= o.Epochs; epoch++)
        {
            double lr = o.LearningRate * (0.1 + 0.45 * (1 + Math.Cos(Math.PI * (epoch - 1) / o.Epochs)));
            double lossSum = 0;
            for (int it = 0; it < o.IterationsPerEpoch; it++)
            {
                ct.ThrowIfCancellationRequested();
                for (int b = 0; b < batch.Length; b++) batch[b] = rng.Next(train.Count);
                double loss = 0;
                if (fitBone)
                {
                    var (l, g) = SoftDice(train, batch, v => Sigmoid((train.Hu[v] - tBone) / o.TemperatureHu), ThresholdSegmenter.Bone, -1 / o.TemperatureHu);
                    tBone = Math.Clamp(tBone - lr * bone.Step(g), MinHu, MaxHu);
                    loss += l;
                }
                if (fitLung)
                {
                    var (l, g) = SoftDice(train, batch, v => train.Enclosed[v] ? Sigmoid((tLung - train.Hu[v]) / o.TemperatureHu) : 0, ThresholdSegmenter.Lung, 1 / o.TemperatureHu);
                    // Lung is air: its threshold never rises above the level that defines air inside the body.
                    tLung = Math.Clamp(tLung - lr * lung.Step(g), MinHu, start.BodyAirHu);
                    loss += l;
                }
                lossSum += loss;
            }
            var dice = HardDice(validation, tBone, tLung, start.BodyAirHu);
            double metric = dice.Count == 0 ? 0 : dice.Values.Average();
            onEpoch(new EpochResult(epoch, lossSum / o.IterationsPerEpoch, tBone, tLung, metric, dice));
        }
    }

    /// <summary>Soft-Dice loss of one class over the batch and its derivative by the class threshold.
    /// <paramref name="dzdt"/> is ∂z/∂t of the sigmoid's argument (−1/τ for bone, +1/τ for lung).</summary>
    private static (double Loss, double Gradient) SoftDice(VoxelSample s, int[] batch, Func<int, double> probability, byte label, double dzdt)
    {
        Span<double> p = batch.Length <= 16384 ? stackalloc double[batch.Length] : new double[batch.Length];
        double intersection = 0, sum = 0;
        for (int b = 0; b < batch.Length; b++)
        {
            int v = batch[b];
            p[b] = probability(v);
            double y = s.Label[v] == label ? 1 : 0;
            intersection += p[b] * y;
            sum += p[b] + y;
        }
        double denominator = sum + Epsilon, numerator = 2 * intersection + Epsilon;
        double dice = numerator / denominator;
        double gradient = 0;
        for (int b = 0; b < batch.Length; b++)
        {
            double y = s.Label[batch[b]] == label ? 1 : 0;
            double dDiceDp = (2 * y * denominator - numerator) / (denominator * denominator);
            double dpdt = p[b] * (1 - p[b]) * dzdt;
            gradient -= dDiceDp * dpdt; // loss = 1 − Dice
        }
        return (1 - dice, gradient);
    }

    /// <summary>Dice of the thresholded prediction per class present in the labels or the prediction.</summary>
    public static Dictionary<string, double> HardDice(VoxelSample s, double tBone, double tLung, double bodyAirHu)
    {
        long[] both = new long[3], truth = new long[3], predicted = new long[3];
        for (int v = 0; v < s.Count; v++)
        {
            float hu = s.Hu[v];
            int pred = hu > tBone ? 1 : s.Enclosed[v] && hu < tLung ? 2 : 0;
            int y = s.Label[v] <= 2 ? s.Label[v] : 0;
            truth[y]++;
            predicted[pred]++;
            if (pred == y) both[y]++;
        }
        var dice = new Dictionary<string, double>();
        if (truth[1] > 0) dice["bone"] = 2.0 * both[1] / (truth[1] + predicted[1]);
        if (truth[2] > 0) dice["lung"] = 2.0 * both[2] / (truth[2] + predicted[2]);
        return dice;
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>Adam on one scalar: steps of about the learning rate whatever the gradient's scale.</summary>
    private sealed class Adam
    {
        private double _m, _v;
        private int _t;

        public double Step(double gradient)
        {
            _t++;
            _m = 0.9 * _m + 0.1 * gradient;
            _v = 0.999 * _v + 0.001 * gradient * gradient;
            double mHat = _m / (1 - Math.Pow(0.9, _t)), vHat = _v / (1 - Math.Pow(0.999, _t));
            return mHat / (Math.Sqrt(vHat) + 1e-12);
        }
    }
}
