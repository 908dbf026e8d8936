using CtSegLabel.Imaging.Formats;
using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Training.Data;

namespace CtSegLabel.Training.Tests.Loop;

public class DataTests(TrainingFixture fixture) : IClassFixture<TrainingFixture>
{
    [Fact]
    public void The_split_holds_out_at_least_one_case_never_all_and_is_seeded()
    {
        int[] five = [1, 2, 3, 4, 5];
        var (training, validation) = DataSplit.Split(five, 0.2, 7);
        Assert.Single(validation);
        Assert.Equal(five, training.Concat(validation).Order());
        Assert.Equal(validation, DataSplit.Split(five, 0.2, 7).Validation);
        Assert.Single(DataSplit.Split([1, 2], 0.01, 0).Validation);
        Assert.Single(DataSplit.Split([1, 2], 0.9, 0).Training);
        var one = DataSplit.Split([1], 0.2, 0);
        Assert.Equal([1], one.Training);
        Assert.Equal([1], one.Validation);
        Assert.Empty(DataSplit.Split(five, 0, 0).Validation);
    }

    [Fact]
    public void The_cache_holds_the_targets_inference_preprocessing_makes_and_blocks_read_back_their_slices()
    {
        var parameters = new PreprocessingParameters { InPlaneSize = 64, BlockSlices = 16 };
        var channels = ChannelMap.Thesis;
        using var dir = new TestDir();
        var cache = new SampleCache(dir.Path, parameters, channels);
        var c = fixture.Cases[1];

        var cached = cache.Get(c)!;
        var labels = VolumeFile.Read(c.LabelPath);
        var expected = TrainingTargets.Build(VolumeFile.Read(c.ImagePath), labels, parameters, channels, TrainingTargets.AnnotatedClasses(labels))!;
        Assert.Equal(expected.Image.Shape, cached.Header.Shape);
        Assert.Equal(expected.Annotated, cached.Header.Annotated);
        var (image, semantic, instances) = SampleFile.ReadSlices(cached.Path, 0, cached.Header.Z);
        Assert.Equal(expected.Image.Data, image);
        Assert.Equal(expected.Semantic.Data, semantic);
        Assert.Equal(expected.Instances.Data, instances);

        // A second Get reuses the file; a block is the sample's slices, padded with air past the end.
        var written = File.GetLastWriteTimeUtc(cached.Path);
        Assert.Equal(written, File.GetLastWriteTimeUtc(cache.Get(c)!.Path));
        int z = cached.Header.Z, plane = 64 * 64, start = z - 10;
        using var block = new BlockSampler(parameters).At(cached, start);
        Assert.Equal(10, block.RealSlices);
        Assert.Equal([1L, 1, 16, 64, 64], block.Image.shape);
        var blockImage = block.Image.data<float>().ToArray();
        Assert.Equal(image.AsSpan(start * plane, 10 * plane).ToArray(), blockImage[..(10 * plane)]);
        Assert.All(blockImage[(10 * plane)..], v => Assert.Equal(Preprocessing.Intensity(-1000, parameters), v));
        Assert.Equal(semantic.AsSpan(start * plane, 10 * plane).ToArray().Select(b => (long)b), block.Semantic.data<long>().ToArray()[..(10 * plane)]);
    }
}
