using System.Text.Json.Nodes;

namespace CtSegLabel.AppContract.Builtin;

/// <summary>
/// Random choice among unlabeled images, weighted by the seconds since this strategy last handed the
/// image out (never handed out counts as "since 1970"), so two annotators asking at once rarely get
/// the same image and a skipped image comes back eventually. Same rule as MONAI Label's "random".
/// </summary>
public sealed class RandomStrategy(Random? random = null, TimeProvider? clock = null) : IStrategy
{
    private readonly Random _random = random ?? Random.Shared;
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string Name => "random";

    public string Description => "Random Strategy";

    public JsonObject Config => [];

    public StrategyResult? Next(IDatastoreView datastore, JsonObject request)
    {
        string tag = StrategyRequest.LabelTag(request);
        var images = datastore.UnlabeledImages(tag);
        if (images.Count == 0) return null;

        long now = _clock.GetUtcNow().ToUnixTimeSeconds();
        var weights = new long[images.Count];
        long total = 0;
        for (int n = 0; n < images.Count; n++)
        {
            long last = StrategyRequest.LastHandedOut(datastore.ImageInfo(images[n]), Name);
            // +1 keeps an image handed out this very second selectable when it is the only one left.
            weights[n] = Math.Max(0, now - last) + 1;
            total += weights[n];
        }

        long pick = _random.NextInt64(total);
        for (int n = 0; n < images.Count; n++)
        {
            if (pick < weights[n]) return new StrategyResult(images[n], new JsonObject { ["weight"] = weights[n] });
            pick -= weights[n];
        }
        return new StrategyResult(images[^1], new JsonObject { ["weight"] = weights[^1] });
    }
}
