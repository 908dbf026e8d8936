using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Inference.Tests.Pipeline;

public class ChannelArgmaxTests
{
    [Fact]
    public void Matches_a_scalar_first_maximum_including_ties_and_odd_lengths()
    {
        var random = new Random(5);
        const int channels = 37, voxels = 1003, offset = 11, count = 990;
        var data = new float[channels * voxels];
        // Values from a small set, so ties are common.
        for (int n = 0; n < data.Length; n++) data[n] = random.Next(4) / 4f;
        data[5 * voxels + offset] = float.NaN; // a NaN never replaces a maximum

        var labels = new byte[count];
        ChannelArgmax.Compute(data, channels, voxels, offset, labels);

        for (int v = 0; v < count; v++)
        {
            int best = 0;
            for (int c = 1; c < channels; c++)
                if (data[c * voxels + offset + v] > data[best * voxels + offset + v]) best = c;
            Assert.Equal(best, labels[v]);
        }
    }
}
