using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Tests.Operators;

public class GaussianImportanceTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(33)]
    public void ProfileIsSymmetricPeaksAtOneAndFollowsSigmaEqualsEighthOfTheLength(int length)
    {
        var p = GaussianImportance.Profile(length);
        for (int t = 0; t < length; t++) Assert.Equal(p[t], p[length - 1 - t]);
        Assert.Equal(1f, p.Max());
        Assert.Equal(1f, p[length / 2]);
        double sigma = 0.125 * length, centre = (length - 1) / 2.0;
        for (int t = 0; t < length; t++)
        {
            double expected = Math.Max(1e-3, Math.Exp(-Math.Pow(t - centre, 2) / (2 * sigma * sigma)) / Math.Exp(-Math.Pow(length / 2 - centre, 2) / (2 * sigma * sigma)));
            Assert.Equal(expected, p[t], 5);
        }
    }

    [Fact]
    public void FloorKeepsEveryWeightPositive()
    {
        var window = GaussianImportance.Window(new Shape3(128, 128, 64));
        Assert.Equal(128 * 128 * 64, window.Length);
        Assert.Equal(1e-3f, window.Min()); // the corners would be ~1e-11 without the floor
        Assert.Equal(1f, window.Max());
        var strict = GaussianImportance.Profile(64, floor: 0.2f);
        Assert.Equal(0.2f, strict.Min());
        Assert.Throws<ArgumentOutOfRangeException>(() => GaussianImportance.Profile(64, floor: 0f));
    }

    [Fact]
    public void WindowIsTheProductOfTheAxisProfilesCentredAndSymmetric()
    {
        var shape = new Shape3(8, 6, 5);
        var map = GaussianImportance.Window(shape, floor: 1e-6f);
        // The floor applies to the product, not to each axis: take the bells with a negligible floor.
        var px = GaussianImportance.Profile(8, floor: 1e-30f);
        var py = GaussianImportance.Profile(6, floor: 1e-30f);
        var pz = GaussianImportance.Profile(5, floor: 1e-30f);
        for (int k = 0; k < 5; k++)
            for (int j = 0; j < 6; j++)
                for (int i = 0; i < 8; i++)
                {
                    float w = map[shape.Index(i, j, k)];
                    Assert.Equal(Math.Max(1e-6f, px[i] * py[j] * pz[k]), w, 6);
                    Assert.Equal(w, map[shape.Index(7 - i, 5 - j, 4 - k)]);
                }
        Assert.Equal(1f, map[shape.Index(3, 2, 2)]);
        Assert.Equal(1f, map[shape.Index(4, 3, 2)]);
    }

    [Fact]
    public void BlendingOverlappingWindowsOfConstantPredictionsGivesTheConstant()
    {
        // Windows of 64 slices with 50 % overlap along z over 160 slices (starts 0, 32, 64, 96): Σ w·p / Σ w.
        const int slices = 160, window = 64;
        var weights = GaussianImportance.Profile(window);
        var sum = new double[slices];
        var weightSum = new double[slices];
        foreach (int start in new[] { 0, 32, 64, 96 })
            for (int t = 0; t < window; t++)
            {
                sum[start + t] += weights[t] * 0.37;
                weightSum[start + t] += weights[t];
            }
        for (int z = 0; z < slices; z++) Assert.Equal(0.37, sum[z] / weightSum[z], 6);

        // And with different constants per window, the blend stays between them and favours the nearer centre.
        Array.Clear(sum);
        Array.Clear(weightSum);
        for (int t = 0; t < window; t++)
        {
            sum[t] += weights[t] * 0.0; weightSum[t] += weights[t];
            sum[32 + t] += weights[t] * 1.0; weightSum[32 + t] += weights[t];
        }
        Assert.Equal(1.0, sum[47] / weightSum[47] + sum[48] / weightSum[48], 6); // symmetric about 47.5
        Assert.True(sum[40] / weightSum[40] < 0.5 && sum[55] / weightSum[55] > 0.5);
    }
}
