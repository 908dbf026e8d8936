using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Inference.Tests.Pipeline;

/// <summary>The real abdominal CT (example_ct_sm.nii.gz: 30 slices of 3 mm, RAS, int16) through the whole pipeline at
/// the thesis's settings (128² model grid, thesis small-object thresholds), read from and written to real files.</summary>
public class RealCtPipelineTests
{
    [Fact]
    public void The_oracle_over_its_label_map_comes_back_on_the_CT_grid_with_anatomical_vertebra_names()
    {
        var ct = VolumeFile.Read(SharedData.ExampleCt);
        var truth = SharedData.ExampleTruth();
        var settings = new PipelineSettings { Channels = ChannelMap.Thesis };
        var oracle = new OraclePredictor(truth, ChannelMap.Thesis, ct: ct);
        var run = new PipelineCase(ct, truth, settings, oracle);

        // Written and read back as a user gets it: the grid and the affine are the CT's.
        using var dir = new TestDir();
        string path = Path.Combine(dir.Path, "labels.nii.gz");
        VolumeFile.Write(path, run.Labels.Map);
        var written = VolumeFile.Read(path);
        Assert.Equal(ct.Shape, written.Shape);
        AssertSameAffine(ct.Geometry.ToRasAffine(), written.Geometry.ToRasAffine());

        // 30 slices: one window of 64, padded; the oracle saw the CT where the window says it is.
        Assert.Single(oracle.Windows);
        Assert.Equal(64, oracle.Windows[0].Shape.Z);
        Assert.InRange(oracle.MeanAbsHuError, 0, 60);

        foreach (var organ in new[] { "liver", "spleen", "kidney_left", "kidney_right", "gallbladder" })
            Assert.True(run.OrganDice(organ) > 0.97, $"{organ}: Dice {run.OrganDice(organ):F3}");
        // T11–L2 in view: the thoracolumbar transition anchors the numbers.
        Assert.Equal(["vertebra_T11", "vertebra_T12", "vertebra_L1", "vertebra_L2"],
            run.Labels.LabelNames.Where(n => n.StartsWith("vertebra_", StringComparison.Ordinal)));
        Assert.Equal(run.TruthInstances(InstanceGroup.RibLeft).Count, run.ResultInstances(InstanceGroup.RibLeft).Count);
        Assert.Equal(run.TruthInstances(InstanceGroup.RibRight).Count, run.ResultInstances(InstanceGroup.RibRight).Count);
        AssertValuesOneToN(run.Labels.Map, run.Labels.Labels.Count);

        var liver = run.Result.Statistics.Single(s => s.Name == "liver");
        double truthMl = run.TruthVoxels(CtClassTable.ByName("liver").Value) * 27 / 1000.0; // 3 mm isotropic
        Assert.InRange(liver.VolumeMl, truthMl * 0.97, truthMl * 1.03);
        Assert.InRange(liver.MeanHu, 20, 80); // soft tissue, contrast-enhanced liver
    }

    [Fact]
    public void A_predictor_that_knows_nothing_gives_an_empty_map_on_the_CT_grid()
    {
        var ct = VolumeFile.Read(SharedData.ExampleCt);
        var result = SegmentationPipeline.Run(ct, new UniformPredictor(ChannelMap.Thesis.Count, 8), new PipelineSettings { Channels = ChannelMap.Thesis });

        Assert.Equal(ct.Geometry, result.Labels.Map.Geometry);
        Assert.All(result.Labels.Map.Data, v => Assert.Equal(0, v));
        Assert.Equal(CtClassTable.GroundTruth.Where(c => !c.IsInstance).Select(c => c.Name), result.Labels.LabelNames);
        Assert.All(result.Statistics, s => Assert.Equal(0, s.Voxels));
        Assert.True(result.BodyFound);
    }

    internal static void AssertSameAffine(double[,] expected, double[,] actual)
    {
        for (int r = 0; r < 4; r++)
            for (int c = 0; c < 4; c++)
                Assert.Equal(expected[r, c], actual[r, c], 4);
    }

    internal static void AssertValuesOneToN(Volume<ushort> map, int n)
    {
        var present = map.Data.Distinct().Where(v => v != 0).ToList();
        Assert.All(present, v => Assert.InRange(v, 1, n));
    }

    /// <summary>Every class equally likely everywhere: the argmax is background.</summary>
    private sealed class UniformPredictor(int classes, int embeddingDim) : IWindowPredictor
    {
        public int Classes => classes;
        public int EmbeddingDim => embeddingDim;
        public int PreferredBatch => 1;

        public IReadOnlyList<WindowPrediction> Predict(IReadOnlyList<Volume<float>> blocks, bool embeddings, CancellationToken cancellation) =>
            blocks.Select(b =>
            {
                var p = new float[classes * b.Data.Length];
                Array.Fill(p, 1f / classes);
                return new WindowPrediction(p, embeddings ? new float[embeddingDim * b.Data.Length] : null);
            }).ToList();
    }
}
