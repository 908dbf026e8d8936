using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.AppContract;

/// <summary>What an infer task produced.</summary>
/// <param name="Labels">The label map, on the input image's grid.</param>
/// <param name="Params">Result parameters returned to the client (e.g. statistics, the model version).
/// The host adds <c>label_names</c> and <c>latencies</c> when the task did not.</param>
public sealed record InferResult(Volume Labels, JsonObject Params);
