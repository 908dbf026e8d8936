using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Models;

namespace CtSegLabel.CtApp;

/// <summary>One CT through one loaded model: the checkpoint's settings with the user's choices, the network
/// behind the window seam, the whole pipeline. What both the server's infer tasks and <c>ctseg infer</c> run.</summary>
public static class CtSegmentation
{
    /// <exception cref="ModelFormatException">The checkpoint's settings cannot drive the pipeline.</exception>
    public static PipelineResult Run(LoadedModel model, Volume image, CtInferOptions options,
        IProgress<PipelineProgress>? progress = null, CancellationToken cancellation = default)
    {
        var settings = CheckpointSettings.For(model, options);
        var pre = settings.Preprocessing;
        using var predictor = new TorchWindowPredictor(model.Network, model.Device, (long)pre.BlockSlices * pre.InPlaneSize * pre.InPlaneSize);
        try
        {
            return SegmentationPipeline.Run(image, predictor, settings, progress, cancellation);
        }
        catch (ArgumentException e) when (e is not ArgumentNullException)
        {
            // The pipeline refuses settings it cannot run with; here every setting but the (checked) ROI is the checkpoint's.
            throw new ModelFormatException(model.Version.Path, "preprocessing", e.Message);
        }
    }
}
