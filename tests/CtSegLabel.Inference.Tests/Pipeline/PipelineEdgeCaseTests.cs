using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Inference.Tests.Pipeline;

public class PipelineEdgeCaseTests
{
    private static readonly PipelineSettings Settings = new() { Channels = ChannelMap.Thesis, Preprocessing = PipelineCase.SmallModel(8) };

    [Fact]
    public void An_all_air_image_gives_an_empty_map_without_running_the_network()
    {
        var air = new Volume<short>(new ImageGeometry(new Shape3(12, 10, 7), new Vec3(2, 2, 5), new Vec3(1, 2, 3), Mat3.Diagonal(new Vec3(-1, -1, 1))));
        Array.Fill(air.Data, (short)-1024);
        var predictor = new CountingPredictor(ChannelMap.Thesis.Count);

        var result = SegmentationPipeline.Run(air, predictor, Settings);

        Assert.False(result.BodyFound);
        Assert.Equal(0, predictor.Calls);
        Assert.Equal(air.Geometry, result.Labels.Map.Geometry);
        Assert.All(result.Labels.Map.Data, v => Assert.Equal(0, v));
        Assert.Equal(CtClassTable.GroundTruth.Where(c => !c.IsInstance).Select(c => c.Name), result.Labels.LabelNames);
        Assert.All(result.Statistics, s => Assert.Equal((0L, 0.0), (s.Voxels, s.VolumeMl)));
    }

    [Fact]
    public void Without_statistics_the_list_is_empty_and_the_map_still_on_the_input_grid()
    {
        var ct = PreprocessingTests.Ct();
        var result = SegmentationPipeline.Run(ct, new CountingPredictor(ChannelMap.Thesis.Count), Settings with { Statistics = false });
        Assert.Empty(result.Statistics);
        Assert.Equal(ct.Geometry, result.Labels.Map.Geometry);
        Assert.Equal(1, result.Windows);
        Assert.Equal(32, result.Labels.Labels.Count);
    }

    [Fact]
    public void A_predictor_that_does_not_fit_the_channel_map_is_refused()
    {
        var ct = PreprocessingTests.Ct();
        var e = Assert.Throws<ArgumentException>(() => SegmentationPipeline.Run(ct, new CountingPredictor(5), Settings));
        Assert.Contains("5 semantic channels", e.Message);
    }

    [Fact]
    public void A_predictor_that_answers_the_wrong_size_is_reported()
    {
        var ct = PreprocessingTests.Ct();
        var e = Assert.Throws<InvalidOperationException>(() => SegmentationPipeline.Run(ct, new CountingPredictor(ChannelMap.Thesis.Count, wrongSize: true), Settings));
        Assert.Contains("probabilities", e.Message);
    }

    [Fact]
    public void Cancellation_stops_the_run()
    {
        using var cancel = new CancellationTokenSource();
        var predictor = new CountingPredictor(ChannelMap.Thesis.Count, onPredict: cancel.Cancel);
        var tall = new Volume<short>(new ImageGeometry(new Shape3(8, 8, 100), new Vec3(4, 4, 3)));
        Array.Fill(tall.Data, (short)40);
        Assert.ThrowsAny<OperationCanceledException>(() => SegmentationPipeline.Run(tall, predictor, Settings, cancellation: cancel.Token));
        Assert.Equal(1, predictor.Calls); // 100 slices are 3 windows; the run stopped after the first
    }

    /// <summary>Background everywhere; counts its calls.</summary>
    private sealed class CountingPredictor(int classes, bool wrongSize = false, Action? onPredict = null) : IWindowPredictor
    {
        public int Classes => classes;
        public int EmbeddingDim => 4;
        public int PreferredBatch => 1;
        public int Calls { get; private set; }

        public IReadOnlyList<WindowPrediction> Predict(IReadOnlyList<Volume<float>> blocks, bool embeddings, CancellationToken cancellation)
        {
            Calls++;
            onPredict?.Invoke();
            return blocks.Select(b =>
            {
                var p = new float[classes * b.Data.Length - (wrongSize ? 1 : 0)];
                for (int v = 0; v < b.Data.Length && !wrongSize; v++) p[v] = 1;
                return new WindowPrediction(p, embeddings ? new float[4 * b.Data.Length] : null);
            }).ToList();
        }
    }
}
