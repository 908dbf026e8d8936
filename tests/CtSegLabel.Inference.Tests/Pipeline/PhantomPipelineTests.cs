using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Inference.Tests.Pipeline;

/// <summary>Phantoms of 20, 64 and 65 slices (3 mm) through the real pipeline with the oracle predictor.</summary>
public class PhantomPipelineTests
{
    private static readonly InstanceGroup[] Groups =
        [InstanceGroup.ThoracicVertebra, InstanceGroup.LumbarVertebra, InstanceGroup.RibLeft, InstanceGroup.RibRight];

    /// <summary>A thorax fine enough (4.5 mm pixels, 80² model grid) for every rib to stay one piece at the model grid.</summary>
    private static PipelineCase Thorax(int slices, PhantomOrientation orientation = PhantomOrientation.Lps, RibMode ribs = RibMode.ConnectedComponents,
        int batch = 1)
    {
        var phantom = PhantomGenerator.Generate(11, 0, new PhantomOptions
        {
            Size = 96, Slices = slices, Range = RangeKind.Thorax, Orientation = orientation, Spacing = new Vec3(4.5, 4.5, 3),
        });
        var preprocessing = PipelineCase.SmallModel(80);
        var settings = new PipelineSettings
        {
            Channels = ChannelMap.Thesis, Preprocessing = preprocessing, Ribs = ribs, InstanceThresholds = PipelineCase.PhantomThresholds,
        };
        var oracle = new OraclePredictor(phantom.Labels, ChannelMap.Thesis, preferredBatch: batch, ct: phantom.Ct, preprocessing: preprocessing);
        return new PipelineCase(phantom.Ct, phantom.Labels, settings, oracle);
    }

    private static Phantom Short() => PhantomGenerator.Generate(3, 0, new PhantomOptions
    {
        Size = 64, Slices = 20, Range = RangeKind.Short, Spacing = new Vec3(6.5, 6.5, 3),
    });

    private static PipelineSettings ShortSettings(IReadOnlySet<string>? roi = null) => new()
    {
        Channels = ChannelMap.Thesis, Preprocessing = PipelineCase.SmallModel(), InstanceThresholds = PipelineCase.PhantomThresholds, RoiSubset = roi,
    };

    private static void AssertInstancesMatchTruth(PipelineCase run, InstanceGroup group)
    {
        var truth = run.TruthInstances(group);
        Assert.Equal(truth.Count, run.ResultInstances(group).Count);
        // One to one: every true instance is covered by exactly one result instance, each result instance by one truth.
        var cover = run.ResultValuesPerTruthValue(group);
        Assert.Equal(truth, cover.Keys.ToHashSet());
        Assert.All(cover.Values, set => Assert.Single(set));
        Assert.Equal(truth.Count, cover.Values.Select(s => s.Single()).Distinct().Count());
    }

    private static void AssertGridAndLabels(PipelineCase run)
    {
        Assert.Equal(run.Ct.Geometry, run.Labels.Map.Geometry);
        Assert.Equal(Enumerable.Range(1, run.Labels.Labels.Count), run.Labels.Labels.Select(l => l.Value));
        RealCtPipelineTests.AssertValuesOneToN(run.Labels.Map, run.Labels.Labels.Count);
        Assert.Equal(run.Labels.Labels.Count, run.Labels.LabelNames.Distinct().Count());
        Assert.InRange(run.Oracle.MeanAbsHuError, 0, 60);
    }

    [Fact]
    public void Twenty_slices_one_padded_window_and_the_padding_never_reaches_the_result()
    {
        var phantom = Short();
        var oracle = new OraclePredictor(phantom.Labels, ChannelMap.Thesis, ct: phantom.Ct, preprocessing: PipelineCase.SmallModel());
        var run = new PipelineCase(phantom.Ct, phantom.Labels, ShortSettings(), oracle);

        AssertGridAndLabels(run);
        Assert.Single(oracle.Windows);
        Assert.Equal(64, oracle.Windows[0].Shape.Z);
        Assert.Equal(1, run.Result.Windows);
        AssertInstancesMatchTruth(run, InstanceGroup.ThoracicVertebra);
        foreach (var organ in CtClassTable.GroundTruth.Where(c => !c.IsInstance && run.TruthVoxels(c.Value) > 1000))
            Assert.True(run.OrganDice(organ.Name) > 0.9, $"{organ.Name}: {run.OrganDice(organ.Name):F3}");

        // A predictor that claims a thoracic vertebra (and a distinct embedding) in every padding slice changes nothing.
        var poisoned = new PaddingPoisoner(new OraclePredictor(phantom.Labels, ChannelMap.Thesis), phantom.Ct.Geometry);
        var result = SegmentationPipeline.Run(phantom.Ct, poisoned, ShortSettings());
        Assert.True(poisoned.PoisonedSlices > 30);
        Assert.Equal(run.Labels.LabelNames, result.Labels.LabelNames);
        Assert.Equal(run.Labels.Map.Data, result.Labels.Map.Data);
    }

    [Theory]
    [InlineData("RAS")]
    [InlineData("LPI")] // slices stored from the head down
    [InlineData("PLI")] // in-plane axes swapped too
    [InlineData("SLP")] // a sagittal stack
    public void Any_input_orientation_gives_the_same_segmentation_on_its_own_grid(string code)
    {
        var phantom = Short();
        var reference = SegmentationPipeline.Run(phantom.Ct, new OraclePredictor(phantom.Labels, ChannelMap.Thesis), ShortSettings());
        var ct = Reorientation.To(phantom.Ct, code);
        var truth = Reorientation.To(phantom.Labels, code);
        var oracle = new OraclePredictor(truth, ChannelMap.Thesis);

        var result = SegmentationPipeline.Run(ct, oracle, ShortSettings());

        Assert.Equal(ct.Geometry, result.Labels.Map.Geometry);
        Assert.Equal(reference.Labels.LabelNames, result.Labels.LabelNames);
        Assert.Equal(Reorientation.To(reference.Labels.Map, code).Data, result.Labels.Map.Data);
        // Whatever the input, the network saw the body from the top down in one orientation.
        Assert.All(oracle.Windows, w => Assert.Equal(Preprocessing.ModelOrientation, w.OrientationCode));
    }

    [Fact]
    public void Sixty_four_slices_are_one_window_without_padding()
    {
        var run = Thorax(64);
        AssertGridAndLabels(run);
        Assert.Single(run.Oracle.Windows);
        foreach (var group in Groups) AssertInstancesMatchTruth(run, group);
    }

    [Fact]
    public void Sixty_five_slices_are_two_windows_and_LPS_and_RAS_phantoms_agree_voxel_for_voxel()
    {
        var lps = Thorax(65);
        var ras = Thorax(65, PhantomOrientation.Ras, batch: 2);

        AssertGridAndLabels(lps);
        AssertGridAndLabels(ras);
        Assert.Equal(2, lps.Result.Windows);
        Assert.Equal([1, 1], lps.Oracle.BatchSizes);
        Assert.Equal([2], ras.Oracle.BatchSizes);
        Assert.Equal(-3, lps.Oracle.Windows[1].Origin.Z - lps.Oracle.Windows[0].Origin.Z, 6); // the second starts one slice lower
        Assert.True(lps.TruthInstances(InstanceGroup.ThoracicVertebra).Count >= 6);
        Assert.True(lps.TruthInstances(InstanceGroup.RibLeft).Count >= 6);
        foreach (var group in Groups)
        {
            AssertInstancesMatchTruth(lps, group);
            AssertInstancesMatchTruth(ras, group);
        }
        foreach (var organ in new[] { "heart", "lung_left", "lung_right" })
            Assert.True(lps.OrganDice(organ) > 0.9, $"{organ}: {lps.OrganDice(organ):F3}");

        // The RAS phantom is the LPS one with the first two axes flipped; so must the result be.
        Assert.Equal(lps.Labels.LabelNames, ras.Labels.LabelNames);
        Assert.Equal(Reorientation.To(lps.Labels.Map, "RAS").Data, ras.Labels.Map.Data);
    }

    [Fact]
    public void Ribs_by_clustering_and_stitching_find_every_rib_too()
    {
        var run = Thorax(65, ribs: RibMode.Clustering);
        Assert.All(run.Oracle.EmbeddingRequests, Assert.True);
        AssertInstancesMatchTruth(run, InstanceGroup.ThoracicVertebra);
        foreach (var group in new[] { InstanceGroup.RibLeft, InstanceGroup.RibRight })
        {
            // Every rib is found, and one result instance covers all of it but for slivers: the thesis joins window
            // pieces only when they share more than 10 voxels, so a rib showing a few voxels at the top of the view
            // (here rib 2, 6 voxels, cut apart by the second window's edge) can come back as two.
            var cover = run.ResultValuesPerTruthValue(group);
            Assert.Equal(run.TruthInstances(group), cover.Keys.ToHashSet());
            foreach (var (truthValue, values) in cover)
                if (run.TruthVoxels(truthValue) > 50) Assert.Single(values);
            Assert.Equal(cover.Values.Sum(v => v.Count), run.ResultInstances(group).Count);
        }
    }

    [Fact]
    public void Roi_subset_keeps_its_structures_numbered_1_to_N_and_skips_embeddings_when_no_instance_is_asked_for()
    {
        var phantom = Short();
        var organsOnly = new OraclePredictor(phantom.Labels, ChannelMap.Thesis);
        var result = SegmentationPipeline.Run(phantom.Ct, organsOnly, ShortSettings(new HashSet<string> { "lung_left", "heart" }));
        Assert.Equal(["heart", "lung_left"], result.Labels.LabelNames);
        Assert.Equal(new ushort[] { 0, 1, 2 }, result.Labels.Map.Data.Distinct().Order());
        Assert.All(organsOnly.EmbeddingRequests, Assert.False);

        var withRibs = new OraclePredictor(phantom.Labels, ChannelMap.Thesis);
        result = SegmentationPipeline.Run(phantom.Ct, withRibs, ShortSettings(new HashSet<string> { "heart", "rib_left" }));
        Assert.Equal("heart", result.Labels.LabelNames[0]);
        Assert.All(result.Labels.LabelNames.Skip(1), n => Assert.StartsWith("left_rib_", n));
        Assert.True(result.Labels.Labels.Count > 2);
        Assert.Equal(Enumerable.Range(0, result.Labels.Labels.Count + 1).Select(v => (ushort)v), result.Labels.Map.Data.Distinct().Order());
        Assert.All(withRibs.EmbeddingRequests, Assert.True);

        Assert.Throws<ArgumentException>(() => SegmentationPipeline.Run(phantom.Ct, withRibs, ShortSettings(new HashSet<string> { "stomach" })));
    }

    /// <summary>Wraps a predictor and, in every window slice that lies outside the CT (padding), claims a thoracic
    /// vertebra with certainty and an embedding far from any real one.</summary>
    private sealed class PaddingPoisoner(OraclePredictor inner, ImageGeometry ct) : IWindowPredictor
    {
        public int Classes => inner.Classes;
        public int EmbeddingDim => inner.EmbeddingDim;
        public int PreferredBatch => 1;
        public int PoisonedSlices { get; private set; }

        public IReadOnlyList<WindowPrediction> Predict(IReadOnlyList<Volume<float>> blocks, bool embeddings, CancellationToken cancellation)
        {
            var predictions = inner.Predict(blocks, embeddings, cancellation);
            int thoracic = ChannelMap.Thesis.ChannelOf(InstanceGroup.ThoracicVertebra);
            double bottom = ct.CornerCentres().Min(c => c.Z) - ct.Spacing.Z / 2;
            for (int b = 0; b < blocks.Count; b++)
            {
                var shape = blocks[b].Shape;
                int plane = shape.X * shape.Y, voxels = plane * shape.Z;
                for (int k = 0; k < shape.Z; k++)
                {
                    if (blocks[b].Geometry.IndexToWorld(0, 0, k).Z >= bottom) continue;
                    PoisonedSlices++;
                    for (int c = 0; c < Classes; c++)
                        Array.Fill(predictions[b].Probabilities, c == thoracic ? 1f : 0f, c * voxels + k * plane, plane);
                    if (predictions[b].Embeddings is { } e)
                        for (int c = 0; c < EmbeddingDim; c++) Array.Fill(e, 500f, c * voxels + k * plane, plane);
                }
            }
            return predictions;
        }
    }
}
