using System.Text.Json.Nodes;

namespace CtSegLabel.Compute.Jobs;

/// <summary>One unit of work for a worker.</summary>
/// <param name="Kind">One of <see cref="JobKinds"/>.</param>
/// <param name="Target">The model, trainer or scoring method to run.</param>
/// <param name="Header">What the job needs besides bulk bytes (parameters, file names).</param>
/// <param name="Payload">Bulk bytes (an image file); sent in frames of at most <see cref="JobFrames.MaxFrameBytes"/>.</param>
public sealed record JobRequest(string Kind, string Target, JsonObject Header, byte[] Payload)
{
    public JobRequest(string kind, string target, JsonObject header) : this(kind, target, header, []) { }

    /// <summary>The model version the server serves now: among idle workers, one that announces this version for
    /// <see cref="Target"/> is chosen first, so a worker whose models folder lags behind is the last resort.</summary>
    public string? Version { get; init; }
}
