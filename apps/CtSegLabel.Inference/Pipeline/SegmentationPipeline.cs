using System.Diagnostics;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Instances;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>
/// Whole-CT inference for any axial range (thesis §3.2, §3.7): preprocess, sweep windows through the network from
/// the top of the body down, blend the semantic outputs, find and stitch rib and vertebra instances, remove small
/// objects, bring the labels back onto the input grid and number them. Each stage is its own class; this one only
/// orders them, keeps the memory bound (see <see cref="SemanticBlender"/>) and times them. docs/inference.md walks
/// through the stages and the decisions.
/// </summary>
public static class SegmentationPipeline
{
    /// <summary>Progress stage names, in order.</summary>
    public const string StagePreprocess = "preprocess", StageInfer = "infer", StagePost = "post", StageDone = "done";

    /// <summary>HU of the padding below a volume shorter than one window.</summary>
    public const double PaddingHu = -1000;

    /// <summary>Segments <paramref name="image"/> (HU, any voxel type and orientation). The label map has exactly the
    /// input's grid; its values are 1..N as <see cref="NumberedLabelMap.Labels"/> lists them.</summary>
    /// <exception cref="ArgumentException">Settings that do not fit the predictor, or an unknown ROI name.</exception>
    public static PipelineResult Run(Volume image, IWindowPredictor predictor, PipelineSettings settings,
        IProgress<PipelineProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(settings);
        var p = settings.Preprocessing;
        Preprocessing.Validate(p);
        if (predictor.Classes != settings.Channels.Count)
            throw new ArgumentException($"the predictor has {predictor.Classes} semantic channels, the channel map {settings.Channels.Count}");
        if (predictor.EmbeddingDim < 0) throw new ArgumentException($"the predictor reports {predictor.EmbeddingDim} embedding channels");
        ResultLabels.ValidateRoi(settings.Channels, settings.RoiSubset);
        var plan = InstancePlan.For(settings.Channels, predictor.EmbeddingDim, settings.Ribs, settings.RoiSubset);

        var total = Stopwatch.StartNew();
        var clock = new StageClock();
        progress?.Report(new PipelineProgress(StagePreprocess, 0, 0));
        var pre = clock.Time(Stage.Pre, () => Preprocessing.Run(image, p));
        cancellation.ThrowIfCancellationRequested();
        if (pre is null) return NoBody(image, settings, clock, total, progress);

        var starts = SlidingWindows.Starts(pre.Model.Shape.Z, p.BlockSlices, p.WindowOverlap);
        progress?.Report(new PipelineProgress(StageInfer, 0, starts.Length));
        var (blended, collector) = WindowSweep.Run(pre.Model, starts, predictor, settings, plan, clock, progress, cancellation);

        progress?.Report(new PipelineProgress(StagePost, starts.Length, starts.Length));
        var result = clock.Time(Stage.Post, () => Finish(image, pre, blended, collector, plan, settings, cancellation));
        progress?.Report(new PipelineProgress(StageDone, starts.Length, starts.Length));
        return result with { Latencies = clock.Latencies(total), Windows = starts.Length };
    }

    /// <summary>Stages 5b–8 on the model grid, then back onto the input grid.</summary>
    private static PipelineResult Finish(Volume image, PreprocessedImage pre, Volume<byte> blended, WindowInstanceCollector? collector,
        InstancePlan plan, PipelineSettings settings, CancellationToken cancellation)
    {
        var organs = SmallObjectFilter.Organs(OrganValues(blended, settings.Channels), settings.ClassVolumes);
        var instances = InstanceAssembly.Build(blended, plan, collector, cancellation);
        var thresholds = SmallObjectFilter.InstanceThresholds(settings);
        foreach (var group in instances.Keys.ToList())
            if (thresholds.TryGetValue(group, out long min)) instances[group] = SmallObjectFilter.Instances(instances[group], min);
        cancellation.ThrowIfCancellationRequested();

        var (modelMap, labels) = ResultLabels.Number(organs, instances, settings.Channels, settings.RoiSubset);
        var map = InputGrid.Restore(modelMap, pre, image.Geometry);
        cancellation.ThrowIfCancellationRequested();
        var measures = LabelStatistics.Measure(map, labels.Count, settings.Statistics ? image : null);
        var (kept, oldValues) = ResultLabels.DropEmpty(map, labels, measures.Voxels);
        var statistics = settings.Statistics
            ? LabelStatistics.Summarise(kept.Select((l, n) => (l.Entry.Value, l.Entry.Name, oldValues[n])).ToList(), measures, image.Geometry.Spacing)
            : [];
        return new PipelineResult(new NumberedLabelMap(map, kept.Select(l => l.Entry).ToList()), statistics, new StageLatencies(0, 0, 0, 0));
    }

    /// <summary>An all-air image: no network run, an empty map on the input grid with the network's organs listed.</summary>
    private static PipelineResult NoBody(Volume image, PipelineSettings settings, StageClock clock, Stopwatch total, IProgress<PipelineProgress>? progress)
    {
        var labels = ResultLabels.OrgansOnly(settings.Channels, settings.RoiSubset);
        var empty = new Volume<ushort>(image.Geometry);
        var statistics = settings.Statistics
            ? labels.Select(l => new StructureStatistics(l.Entry.Value, l.Entry.Name, 0, 0, 0)).ToList()
            : [];
        progress?.Report(new PipelineProgress(StageDone, 0, 0));
        return new PipelineResult(new NumberedLabelMap(empty, labels.Select(l => l.Entry).ToList()), statistics, clock.Latencies(total))
        {
            BodyFound = false,
        };
    }

    /// <summary>Blended channel indices → organ values of the class table (background and instance classes 0).</summary>
    private static Volume<byte> OrganValues(Volume<byte> blended, ChannelMap channels)
    {
        var lut = new byte[256];
        foreach (var c in channels.Channels) if (c.Organ is { } organ) lut[c.Channel] = checked((byte)organ.Value);
        var organs = new Volume<byte>(blended.Geometry);
        var src = blended.Data;
        var dst = organs.Data;
        for (int v = 0; v < src.Length; v++) dst[v] = lut[src[v]];
        return organs;
    }
}
