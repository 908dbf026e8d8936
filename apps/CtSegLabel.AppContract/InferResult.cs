using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.AppContract;

/// <summary>What an infer task produced.</summary>
/// <param name="Labels">The label map, on the input image's grid.</param>
/// <param name="Params">Result parameters returned to the client (e.g. statistics, the model version).
/// The host adds <c>label_names</c> when the task did not. A task may report its own stages in <c>latencies</c>
/// (<c>pre</c>, <c>infer</c>, <c>invert</c>, <c>post</c>, seconds): the host adds its time to read the image to
/// <c>pre</c> and sets <c>write</c> and <c>total</c>; without it the host measures the task as one <c>infer</c>.</param>
/// <param name="LabelTable">What each voxel value of this particular map is, when it differs from the task's
/// fixed <see cref="IInferTask.Labels"/> (instances numbered per image); the host names the result's
/// segments and <c>label_names</c> after it. Null: the task's labels apply.</param>
public sealed record InferResult(Volume Labels, JsonObject Params, IReadOnlyList<ResultLabel>? LabelTable = null);

/// <summary>One value of a result's label map: the voxel value, the segment name, its display colour.</summary>
public sealed record ResultLabel(int Value, string Name, Rgb Color);
