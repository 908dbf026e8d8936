using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Inference.Tests.Pipeline;

/// <summary>One whole-body phantom of 300 slices (3 mm, 64² at 7 mm in-plane, a 48² model grid: 9 windows), run once
/// and checked by the facts below.</summary>
public sealed class WholeBodyRun
{
    public PipelineCase Case { get; } = PipelineCase.Phantom(3, 300, RangeKind.WholeBody, size: 64, pixelMm: 7);
}

public class WholeBodyPipelineTests(WholeBodyRun run) : IClassFixture<WholeBodyRun>
{
    private PipelineCase Case => run.Case;

    [Fact]
    public void Nine_windows_from_the_top_down_and_the_result_on_the_input_grid()
    {
        Assert.Equal(Case.Ct.Geometry, Case.Labels.Map.Geometry);
        Assert.Equal(9, Case.Result.Windows);
        var tops = Case.Oracle.Windows.Select(w => w.Origin.Z).ToList();
        Assert.Equal(tops.OrderByDescending(z => z), tops);
        Assert.InRange(Case.Oracle.MeanAbsHuError, 0, 60);
        Assert.Equal(Enumerable.Range(1, Case.Labels.Labels.Count), Case.Labels.Labels.Select(l => l.Value));
        RealCtPipelineTests.AssertValuesOneToN(Case.Labels.Map, Case.Labels.Labels.Count);
    }

    [Fact]
    public void Big_organs_survive_the_round_trip()
    {
        foreach (var organ in new[] { "liver", "lung_left", "lung_right", "heart", "brain", "urinary_bladder", "gluteus_maximus_left", "kidney_right" })
            Assert.True(Case.OrganDice(organ) > 0.9, $"{organ}: Dice {Case.OrganDice(organ):F3}");
    }

    [Fact]
    public void Every_vertebra_is_one_instance_with_its_anatomical_name_also_across_window_borders()
    {
        foreach (var group in new[] { InstanceGroup.ThoracicVertebra, InstanceGroup.LumbarVertebra })
        {
            var cover = Case.ResultValuesPerTruthValue(group);
            Assert.Equal(Case.TruthInstances(group), cover.Keys.ToHashSet());
            Assert.All(cover.Values, set => Assert.Single(set));
            Assert.Equal(cover.Count, cover.Values.Select(v => v.Single()).Distinct().Count());
            // All twelve thoracic vertebrae and the lumbar spine are in view: the names are anatomical, and each
            // true vertebra comes back under its own name.
            foreach (var (truthValue, values) in cover)
                Assert.Equal(CtClassTable.ByValue(truthValue).Name, Case.Labels.Labels.Single(l => l.Value == values.Single()).Name);
        }

        // The test means something only if vertebrae do cross window borders: a window's top edge cuts through them.
        var geometry = Case.Truth.Geometry;
        int crossing = 0;
        foreach (var truthValue in Case.TruthInstances(InstanceGroup.ThoracicVertebra).Concat(Case.TruthInstances(InstanceGroup.LumbarVertebra)))
        {
            var zs = Enumerable.Range(0, geometry.Shape.Z)
                .Where(k => Case.Truth.Slice(k).Contains((byte)truthValue))
                .Select(k => geometry.IndexToWorld(0, 0, k).Z).ToList();
            if (Case.Oracle.Windows.Skip(1).Any(w => zs.Min() < w.Origin.Z && w.Origin.Z < zs.Max())) crossing++;
        }
        Assert.True(crossing >= 5, $"{crossing} vertebrae cross a window's top edge");
    }

    [Fact]
    public void Statistics_match_the_truth_within_a_few_percent()
    {
        double voxelMl = Case.Ct.Geometry.Spacing.X * Case.Ct.Geometry.Spacing.Y * Case.Ct.Geometry.Spacing.Z / 1000;
        foreach (var organ in new[] { "liver", "lung_left", "lung_right", "heart", "brain" })
        {
            var stats = Case.Result.Statistics.Single(s => s.Name == organ);
            int value = CtClassTable.ByName(organ).Value;
            double truthMl = Case.TruthVoxels(value) * voxelMl;
            Assert.InRange(stats.VolumeMl, truthMl * 0.95, truthMl * 1.05);
            double truthHu = MeanHu(value);
            Assert.InRange(stats.MeanHu, truthHu - 25, truthHu + 25);
            Assert.Equal(stats.Voxels * voxelMl, stats.VolumeMl, 9);
        }
        Assert.Equal(Case.Labels.Labels.Select(l => (l.Value, l.Name)), Case.Result.Statistics.Select(s => (s.Value, s.Name)));
    }

    [Fact]
    public void Progress_goes_through_the_stages_and_counts_the_windows()
    {
        var stages = Case.Reports.Select(r => r.Stage).Distinct().ToList();
        Assert.Equal([SegmentationPipeline.StagePreprocess, SegmentationPipeline.StageInfer, SegmentationPipeline.StagePost, SegmentationPipeline.StageDone], stages);
        var infer = Case.Reports.Where(r => r.Stage == SegmentationPipeline.StageInfer).Select(r => r.WindowsDone).ToList();
        Assert.Equal(Enumerable.Range(0, 10), infer);
        Assert.All(Case.Reports.Skip(1), r => Assert.Equal(9, r.WindowsTotal));
        var l = Case.Result.Latencies;
        Assert.True(l.Pre > 0 && l.Infer > 0 && l.Post > 0 && l.Total >= l.Pre + l.Infer + l.Post - 1e-3, l.ToString());
    }

    private double MeanHu(int value)
    {
        double sum = 0;
        long n = 0;
        for (int v = 0; v < Case.Truth.Data.Length; v++)
            if (Case.Truth.Data[v] == value) { sum += Case.Ct.GetDouble(v); n++; }
        return sum / n;
    }
}
