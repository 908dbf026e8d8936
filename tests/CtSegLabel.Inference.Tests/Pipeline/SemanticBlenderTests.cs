using CtSegLabel.Imaging.Operators;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Inference.Tests.Pipeline;

public class SemanticBlenderTests
{
    private const int Plane = 5, Depth = 8;

    /// <summary>A window whose every voxel has the same probabilities; padding slices (from <paramref name="realSlices"/>
    /// on) hold a value no real window has, so any leak shows.</summary>
    private static float[] Constant(float[] classProbabilities, int realSlices = Depth)
    {
        int voxels = Plane * Depth;
        var data = new float[classProbabilities.Length * voxels];
        for (int c = 0; c < classProbabilities.Length; c++)
            for (int v = 0; v < voxels; v++)
                data[c * voxels + v] = v / Plane < realSlices ? classProbabilities[c] : 1000f;
        return data;
    }

    [Fact]
    public void Two_constant_windows_blend_to_the_Gaussian_weighted_mix()
    {
        var profile = GaussianImportance.Profile(Depth);
        var blended = new Dictionary<int, float[]>();
        // 12 slices: windows at 0 and 4 overlap on slices 4..7.
        var blender = new SemanticBlender(Plane, 12, 2, profile, (k, sums, weight) =>
        {
            lock (blended) blended[k] = sums.Select(s => s / weight).ToArray();
        });
        blender.Add(0, Constant([0.9f, 0.1f]));
        blender.Complete(4);
        blender.Add(4, Constant([0.2f, 0.8f]));
        blender.Complete(12);

        Assert.Equal(12, blended.Count);
        for (int k = 0; k < 12; k++)
        {
            double w0 = k < 8 ? profile[k] : 0, w1 = k >= 4 ? profile[k - 4] : 0;
            double expected0 = (w0 * 0.9 + w1 * 0.2) / (w0 + w1);
            for (int p = 0; p < Plane; p++)
            {
                Assert.Equal(expected0, blended[k][p], 5);
                Assert.Equal(1 - expected0, blended[k][Plane + p], 5);
            }
        }
        // In the overlap the mix moves from the first window's answer to the second's, through 0.55 at the middle.
        Assert.True(blended[4][0] > 0.55 && blended[7][0] < 0.55);
    }

    [Fact]
    public void Padding_slices_never_reach_the_blend()
    {
        var profile = GaussianImportance.Profile(Depth);
        var blended = new Dictionary<int, float[]>();
        var blender = new SemanticBlender(Plane, 5, 2, profile, (k, sums, weight) =>
        {
            lock (blended) blended[k] = sums.Select(s => s / weight).ToArray();
        });
        blender.Add(0, Constant([0.3f, 0.7f], realSlices: 5)); // a volume of 5 slices in a window of 8
        blender.Complete(int.MaxValue);

        Assert.Equal([0, 1, 2, 3, 4], blended.Keys.Order());
        Assert.All(blended.Values.SelectMany(v => v), p => Assert.InRange(p, 0.29f, 0.71f));
    }

    [Fact]
    public void At_most_one_window_span_is_held_open_over_a_whole_body_sweep()
    {
        var profile = GaussianImportance.Profile(64);
        int finished = 0;
        var blender = new SemanticBlender(1, 300, 2, profile, (_, _, _) => Interlocked.Increment(ref finished));
        var starts = SlidingWindows.Starts(300, 64, 0.5);
        var window = new float[2 * 64];
        for (int w = 0; w < starts.Length; w++)
        {
            blender.Add(starts[w], window);
            blender.Complete(w + 1 < starts.Length ? starts[w + 1] : 300);
        }
        Assert.Equal(300, finished);
        Assert.Equal(64, blender.PeakOpenSlices);
        Assert.Equal(0, blender.OpenSlices);
    }

    [Fact]
    public void A_window_over_finished_slices_is_refused()
    {
        var blender = new SemanticBlender(1, 20, 2, GaussianImportance.Profile(8), (_, _, _) => { });
        blender.Add(0, new float[2 * 8]);
        blender.Complete(6);
        Assert.Throws<InvalidOperationException>(() => blender.Add(4, new float[2 * 8]));
        Assert.Throws<ArgumentException>(() => blender.Add(8, new float[3]));
        // Slice 8 was never covered: finishing it is a bug in the caller, not a silent background.
        Assert.Throws<InvalidOperationException>(() => blender.Complete(9));
    }
}
