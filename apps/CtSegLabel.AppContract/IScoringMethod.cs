using System.Text.Json.Nodes;

namespace CtSegLabel.AppContract;

/// <summary>A scoring method: computes a per-image score over the datastore and records it in the
/// image info (e.g. agreement between the model's output and the submitted label).</summary>
public interface IScoringMethod
{
    /// <summary>The name used in <c>/scoring/{name}</c>.</summary>
    string Name { get; }

    string Description { get; }

    JsonObject Config { get; }

    Task<JsonObject> ScoreAsync(JsonObject request, IDatastoreView datastore, IProgress<string> progress,
        CancellationToken cancellation);
}
