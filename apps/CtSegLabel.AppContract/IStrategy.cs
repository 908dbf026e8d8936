using System.Text.Json.Nodes;

namespace CtSegLabel.AppContract;

/// <summary>An active-learning strategy: picks the next image to annotate.</summary>
public interface IStrategy
{
    /// <summary>The name used in <c>/activelearning/{name}</c>.</summary>
    string Name { get; }

    string Description { get; }

    JsonObject Config { get; }

    /// <summary>The chosen image, or null when nothing is left to annotate.</summary>
    StrategyResult? Next(IDatastoreView datastore, JsonObject request);
}

/// <summary>A strategy's choice: the image id and anything it wants the client to see (e.g. <c>weight</c>).</summary>
public sealed record StrategyResult(string Id, JsonObject Extra);
