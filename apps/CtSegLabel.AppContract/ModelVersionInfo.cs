using System.Text.Json.Nodes;

namespace CtSegLabel.AppContract;

/// <summary>One version as clients see it.</summary>
/// <param name="Name">The name that <see cref="IModelVersions.SetCurrent"/> takes (a bare file name, e.g. <c>v3.ctseg</c>).</param>
/// <param name="Created">When the version was published (or, for weights copied in by hand, written).</param>
/// <param name="Source"><c>training</c>, <c>fine-tune</c>, <c>import</c>, <c>upload</c>, or what older weights recorded (<c>init</c>).</param>
/// <param name="ModelVersion">The version string results carry as <c>model_version</c>.</param>
/// <param name="Parent">The version it was trained from, when it was.</param>
/// <param name="Metrics">Validation metrics of its training (<c>best_dice</c>, <c>epochs</c>, …); empty when none.</param>
/// <param name="Current">Whether requests run this version now.</param>
public sealed record ModelVersionInfo(string Name, DateTimeOffset Created, string Source, string ModelVersion, string? Parent,
    JsonObject Metrics, bool Current);
