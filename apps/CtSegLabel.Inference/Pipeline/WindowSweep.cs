using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>The sweep's output: the blended argmax (channel per voxel) on the model grid, and the windows' instances.</summary>
internal sealed record SweepResult(Volume<byte> Blended, WindowInstanceCollector? Instances);

/// <summary>
/// Stage 3 (thesis §3.7): the windows, top to bottom, through the predictor in batches of
/// <see cref="IWindowPredictor.PreferredBatch"/>; each answer is blended (<see cref="SemanticBlender"/>) and, when
/// instances are clustered, split into the window's instances (<see cref="WindowInstanceCollector"/>) as soon as it
/// comes, then dropped. Embeddings are asked for only when the plan clusters some group.
/// </summary>
internal static class WindowSweep
{
    /// <summary>Predictions at least this large are followed by a full garbage collection (see <see cref="Batch"/>).</summary>
    private const long CollectAfterBytes = 64L << 20;

    public static SweepResult Run(Volume<float> model, int[] starts, IWindowPredictor predictor, PipelineSettings settings, InstancePlan plan,
        StageClock clock, IProgress<PipelineProgress>? progress, CancellationToken cancellation)
    {
        var p = settings.Preprocessing;
        int classes = predictor.Classes, plane = model.Shape.X * model.Shape.Y, slices = model.Shape.Z;
        var blended = new Volume<byte>(model.Geometry);
        var blender = new SemanticBlender(plane, slices, classes, GaussianImportance.Profile(p.BlockSlices),
            (k, sums, _) => ChannelArgmax.Compute(sums, classes, plane, 0, blended.Data.AsSpan(k * plane, plane)));
        var collector = plan.NeedsEmbeddings
            ? new WindowInstanceCollector(model.Geometry, p.BlockSlices, classes, predictor.EmbeddingDim, plan.Clustered, settings.Clustering)
            : null;
        int batch = Math.Max(1, predictor.PreferredBatch);

        for (int first = 0; first < starts.Length; first += batch)
        {
            cancellation.ThrowIfCancellationRequested();
            var chunk = starts[first..Math.Min(starts.Length, first + batch)];
            long bytes = Batch(model, chunk, predictor, p, plan, blender, collector, clock, cancellation);
            int done = first + chunk.Length;
            clock.Time(Stage.Infer, () => blender.Complete(done < starts.Length ? starts[done] : slices));
            // The predictions (155 MB of probabilities and 134 MB of embeddings per thesis window) are garbage now, but
            // a large-object heap is collected only when its budget runs out, so several windows' worth would pile up
            // (2.4 GB peak for a whole body). A full blocking collection here costs a few milliseconds: the heap holds
            // big arrays of numbers and few references to trace.
            if (bytes >= CollectAfterBytes) GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: false);
            progress?.Report(new PipelineProgress(SegmentationPipeline.StageInfer, done, starts.Length));
        }
        return new SweepResult(blended, collector);
    }

    /// <summary>One batch through the predictor, blended and clustered; returns the bytes the predictions held. The
    /// predictions are unreachable once this returns.</summary>
    private static long Batch(Volume<float> model, int[] chunk, IWindowPredictor predictor, PreprocessingParameters p, InstancePlan plan,
        SemanticBlender blender, WindowInstanceCollector? collector, StageClock clock, CancellationToken cancellation)
    {
        float padding = Preprocessing.Intensity(SegmentationPipeline.PaddingHu, p);
        long windowVoxels = (long)model.Shape.X * model.Shape.Y * p.BlockSlices;
        var predictions = clock.Time(Stage.Infer, () =>
        {
            var blocks = chunk.Select(s => SlidingWindows.Block(model, s, p.BlockSlices, padding)).ToList();
            return predictor.Predict(blocks, plan.NeedsEmbeddings, cancellation);
        });
        if (predictions.Count != chunk.Length)
            throw new InvalidOperationException($"the predictor answered {predictions.Count} windows for {chunk.Length}");
        long bytes = 0;
        for (int n = 0; n < chunk.Length; n++)
        {
            var prediction = predictions[n];
            if (prediction.Probabilities.LongLength != windowVoxels * predictor.Classes)
                throw new InvalidOperationException(
                    $"the predictor returned {prediction.Probabilities.LongLength} probabilities for {predictor.Classes} × {windowVoxels}");
            int start = chunk[n];
            clock.Time(Stage.Infer, () => blender.Add(start, prediction.Probabilities));
            if (collector is not null) clock.Time(Stage.Post, () => collector.Add(start, prediction));
            bytes += 4 * (prediction.Probabilities.LongLength + (prediction.Embeddings?.LongLength ?? 0));
        }
        return bytes;
    }
}
