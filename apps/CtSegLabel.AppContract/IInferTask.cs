using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.AppContract;

/// <summary>One model that turns an image into a label map.</summary>
public interface IInferTask
{
    /// <summary>The model name used in <c>/infer/{name}</c>.</summary>
    string Name { get; }

    InferType Type { get; }

    /// <summary>Label name → voxel value of the maps this task writes (background 0 is implied).
    /// Values should be 1..N in the order Slicer names segments.</summary>
    IReadOnlyDictionary<string, int> Labels { get; }

    /// <summary>2 for slice-wise interactive models, 3 otherwise.</summary>
    int Dimension { get; }

    string Description { get; }

    /// <summary>User-settable options. A list value means "choose one, the first is the default"
    /// and must hold strings (Slicer shows it in a combo box).</summary>
    JsonObject Config { get; }

    /// <summary>The weights file the task currently uses, or null when it has none; served by
    /// <c>GET /model/{name}</c> and replaced by <c>PUT /model/{name}</c>.</summary>
    string? ModelPath { get; }

    /// <summary>Segments <paramref name="image"/>. The result's label map must lie on the image's own
    /// grid (same shape and geometry), so the client can overlay it without resampling.</summary>
    Task<InferResult> InferAsync(InferRequest request, Volume image, CancellationToken cancellation);
}
