using System.Text.Json.Nodes;

namespace CtSegLabel.AppContract;

/// <summary>What a client asked of an infer task.</summary>
/// <param name="Model">The task name.</param>
/// <param name="ImageId">The datastore id of the image, or null when the image came as a file or a session.</param>
/// <param name="Params">The client's parameters (the task's config values, <c>result_extension</c>,
/// clicks for interactive models, ...), as sent.</param>
public sealed record InferRequest(string Model, string? ImageId, JsonObject Params);
