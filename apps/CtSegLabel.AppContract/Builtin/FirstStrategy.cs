using System.Text.Json.Nodes;

namespace CtSegLabel.AppContract.Builtin;

/// <summary>The first unlabeled image in ordinal id order (MONAI Label's "first"): predictable, for
/// working through a dataset in order.</summary>
public sealed class FirstStrategy : IStrategy
{
    public string Name => "first";

    public string Description => "Get First Sample";

    public JsonObject Config => [];

    public StrategyResult? Next(IDatastoreView datastore, JsonObject request)
    {
        var images = datastore.UnlabeledImages(StrategyRequest.LabelTag(request));
        return images.Count == 0 ? null : new StrategyResult(images[0], []);
    }
}
