using System.Text.Json.Nodes;

namespace CtSegLabel.AppContract.Builtin;

/// <summary>
/// MONAI Label's "epistemic" strategy: the unlabeled image whose stored uncertainty (the image info's
/// <c>epistemic_entropy</c>, written by the epistemic scoring method) is highest.
/// <list type="bullet">
/// <item>Images this strategy handed out less than <see cref="ResetSeconds"/> ago go behind all others (longest ago
/// first), as in MONAI Label, so two annotators asking one after the other get different images; after that time an
/// image that is still unlabeled competes again.</item>
/// <item>Images never scored come after every scored one, in id order: the strategy still answers (annotation can
/// start before scoring ran), and the answer says <c>epistemic_scored: false</c> with what to run.</item>
/// </list>
/// The answer carries the score (<c>epistemic_entropy</c>) and its rank among the scored images.
/// </summary>
public sealed class EpistemicStrategy(TimeProvider? clock = null, string key = EpistemicStrategy.ScoreKey, long resetSeconds = EpistemicStrategy.OneDay)
    : IStrategy
{
    /// <summary>The image-info key MONAI Label's epistemic scoring writes and its strategy ranks by.</summary>
    public const string ScoreKey = "epistemic_entropy";

    public const long OneDay = 24 * 60 * 60;

    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    public string Name => "epistemic";

    public string Description => "Get the unlabeled image with the highest epistemic uncertainty (run the epistemic scoring first)";

    public JsonObject Config => [];

    /// <summary>The image-info key ranked by.</summary>
    public string Key => key;

    public long ResetSeconds => resetSeconds;

    public StrategyResult? Next(IDatastoreView datastore, JsonObject request)
    {
        var images = datastore.UnlabeledImages(StrategyRequest.LabelTag(request));
        if (images.Count == 0) return null;

        long now = _clock.GetUtcNow().ToUnixTimeSeconds();
        var candidates = images.Select(id =>
        {
            var info = datastore.ImageInfo(id);
            long since = now - StrategyRequest.LastHandedOut(info, Name);
            return (Id: id, Score: Score(info), Recent: resetSeconds > 0 && since < resetSeconds, Since: since);
        }).ToList();

        var ranked = candidates.Where(c => c.Score is not null).OrderByDescending(c => c.Score).ToList();
        var chosen = candidates
            .OrderBy(c => c.Recent)
            .ThenByDescending(c => c.Recent ? c.Since : 0) // among recently handed out: the longest ago first
            .ThenBy(c => c.Score is null)
            .ThenByDescending(c => c.Score ?? 0)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .First();

        var extra = new JsonObject { [key] = chosen.Score, ["epistemic_scored"] = chosen.Score is not null };
        if (chosen.Score is not null)
        {
            extra["epistemic_rank"] = ranked.FindIndex(c => c.Id == chosen.Id) + 1;
            extra["epistemic_ranked"] = ranked.Count;
        }
        else
        {
            extra["epistemic_note"] = ranked.Count == 0
                ? "no unlabeled image has an epistemic score yet: run POST /scoring/epistemic, then ask again"
                : "every scored image was handed out recently; this one has no epistemic score yet";
        }
        return new StrategyResult(chosen.Id, extra);
    }

    private double? Score(JsonObject info) => StrategyRequest.Number(info[key]);
}
