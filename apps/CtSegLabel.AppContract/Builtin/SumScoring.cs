using System.Numerics;
using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.AppContract.Builtin;

/// <summary>
/// MONAI Label's "sum" scoring: for every image and each of the tags (default final and original), the sum of
/// the label map's voxel values and the number of slices holding any labeled voxel — a cheap measure of how
/// much of an image is annotated. Recorded in the image info as <c>sum: {&lt;tag&gt;: {sum, slices, ts}}</c>.
/// <para>Two deliberate differences from MONAI Label: it records the numbers on the label's info, which an app
/// cannot write here (the image info holds them per tag instead, also shown by <c>/datastore/?output=all</c>);
/// and it counts slices along the first array axis of the map as its loader returns it (x for NIfTI), while
/// this counts axial slices (the third voxel axis), which is what "slices" means for a CT.</para>
/// </summary>
public sealed class SumScoring : IScoringMethod
{
    public const string InfoKey = "sum";

    public string Name => "sum";

    public string Description => "Compute the sum of label values and the labeled slices of the final and original labels";

    public JsonObject Config => [];

    /// <summary>The tags scored: the request's <c>tags</c> (a list or a comma-separated string), else final and original.</summary>
    public static IReadOnlyList<string> Tags(JsonObject request)
    {
        var tags = request["tags"] switch
        {
            JsonArray list => list.Select(t => t is JsonValue v && v.TryGetValue(out string? s) ? s : null),
            JsonValue v when v.TryGetValue(out string? s) => s.Split(',', StringSplitOptions.TrimEntries),
            _ => [IDatastoreView.FinalTag, IDatastoreView.OriginalTag],
        };
        return tags.OfType<string>().Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
    }

    public async Task<JsonObject> ScoreAsync(JsonObject request, IDatastoreView datastore, IProgress<string> progress,
        CancellationToken cancellation)
    {
        var tags = Tags(request);
        var result = new JsonObject();
        var images = datastore.ImageIds();
        progress.Report($"Sum of {string.Join(", ", tags)} labels over {images.Count} image(s)");
        foreach (string id in images)
        {
            var perTag = new JsonObject();
            foreach (string tag in tags)
            {
                cancellation.ThrowIfCancellationRequested();
                if (datastore.LabelPath(id, tag) is not { } path) continue;
                var (sum, slices) = VolumeFile.Read(path).Apply(new LabelSum());
                perTag[tag] = new JsonObject { ["sum"] = sum, ["slices"] = slices, ["ts"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds() };
                progress.Report($"{id} ({tag}): sum {sum}, {slices} labeled slice(s)");
            }
            if (perTag.Count == 0) continue;
            // Tags not scored this time keep their earlier numbers.
            var stored = datastore.ImageInfo(id)[InfoKey] as JsonObject ?? [];
            foreach (var (tag, numbers) in perTag) stored[tag] = numbers?.DeepClone();
            try
            {
                await datastore.UpdateImageInfoAsync(id, new JsonObject { [InfoKey] = stored.DeepClone() }, cancellation);
            }
            catch (KeyNotFoundException)
            {
                continue; // removed while scoring
            }
            result[id] = perTag;
        }
        return result;
    }

    /// <summary>Sum of the values (as MONAI Label sums them: the values, not the labeled voxels) and the axial slices
    /// holding a value above 0.</summary>
    public sealed class LabelSum : IVolumeFunc<(long Sum, int Slices)>
    {
        public (long Sum, int Slices) Invoke<T>(Volume<T> label) where T : unmanaged, INumber<T>
        {
            int plane = label.Shape.X * label.Shape.Y;
            long total = 0;
            int slices = 0;
            for (int k = 0; k < label.Shape.Z; k++)
            {
                bool any = false;
                foreach (var v in label.Data.AsSpan(k * plane, plane))
                {
                    total += long.CreateSaturating(v);
                    any |= v > T.Zero;
                }
                if (any) slices++;
            }
            return (total, slices);
        }
    }
}
