using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Models;
using CtSegLabel.Training.Data;
using static TorchSharp.torch;

namespace CtSegLabel.Training.Loop;

/// <summary>
/// The validation score: each validation case swept with the inference windows (the checkpoint's block size and
/// overlap, <see cref="SlidingWindows"/>), every slice taking the argmax of the window whose centre is nearest — a
/// score of the network, not the product's blended output, so no class-channel buffer the size of the volume is
/// needed. Per case the Dice of every annotated class (background aside) present in truth or prediction, averaged;
/// the epoch's Dice is the mean over cases. A case without any such class has no score and is left out.
/// </summary>
internal sealed class ValidationDice(SegmentationNetwork network, ComputeDevice device, PreprocessingParameters preprocessing)
{
    private readonly float _air = Preprocessing.Intensity(-1000, preprocessing);

    /// <summary>The mean Dice over <paramref name="cases"/>, or null when none has a class to score.</summary>
    public double? Score(IReadOnlyList<CachedCase> cases, CancellationToken cancellation)
    {
        var scores = new List<double>();
        foreach (var c in cases)
        {
            cancellation.ThrowIfCancellationRequested();
            if (Case(c) is double dice) scores.Add(dice);
        }
        return scores.Count == 0 ? null : scores.Average();
    }

    /// <summary>One case's mean Dice over its scored classes.</summary>
    public double? Case(CachedCase sample)
    {
        var h = sample.Header;
        var (image, truth, _) = SampleFile.ReadSlices(sample.Path, 0, h.Z);
        var predicted = Predict(image, h);
        int channels = h.Annotated.Length;
        var overlap = new long[channels];
        var inTruth = new long[channels];
        var inPrediction = new long[channels];
        for (int v = 0; v < truth.Length; v++)
        {
            int t = truth[v], p = predicted[v];
            if (t < channels) inTruth[t]++;
            if (p < channels) inPrediction[p]++;
            if (t == p && t < channels) overlap[t]++;
        }
        var dice = new List<double>();
        for (int c = 1; c < channels; c++)
        {
            long denominator = inTruth[c] + inPrediction[c];
            if (h.Annotated[c] && denominator > 0) dice.Add(2.0 * overlap[c] / denominator);
        }
        return dice.Count == 0 ? null : dice.Average();
    }

    private byte[] Predict(float[] image, SampleHeader h)
    {
        int depth = preprocessing.BlockSlices, plane = h.X * h.Y;
        var starts = SlidingWindows.Starts(h.Z, depth, preprocessing.WindowOverlap);
        var labels = new byte[image.Length];
        var distance = new double[h.Z];
        Array.Fill(distance, double.MaxValue);
        var window = new float[depth * plane];
        network.eval();
        foreach (int start in starts)
        {
            int real = SlidingWindows.RealSlices(start, depth, h.Z);
            image.AsSpan(start * plane, real * plane).CopyTo(window);
            window.AsSpan(real * plane).Fill(_air);
            byte[] argmax;
            using (no_grad())
            using (NewDisposeScope())
            {
                using var input = tensor(window, [1, 1, depth, h.Y, h.X]);
                using var output = network.forward(device.Place(input), withEmbeddings: false);
                argmax = output.Semantic.argmax(1).to_type(ScalarType.Byte).cpu().data<byte>().ToArray();
            }
            double centre = start + (depth - 1) / 2.0;
            for (int z = 0; z < real; z++)
            {
                double d = Math.Abs(start + z - centre);
                if (d >= distance[start + z]) continue;
                distance[start + z] = d;
                argmax.AsSpan(z * plane, plane).CopyTo(labels.AsSpan((start + z) * plane));
            }
        }
        return labels;
    }
}
