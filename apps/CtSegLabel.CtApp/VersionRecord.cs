using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Models;

namespace CtSegLabel.CtApp;

/// <summary>
/// What a published version's sidecar (<c>&lt;name&gt;.json</c> beside <c>&lt;name&gt;.ctseg</c>) says about it:
/// when it was published, where its weights came from, the version it was trained from, its validation metrics,
/// the labels it saw and the training parameters — what is needed to tell versions apart and to roll back
/// knowingly. The checkpoint itself stays the authority on the network; a checkpoint without a sidecar is still
/// a version.
/// </summary>
public sealed record VersionRecord
{
    public const string Training = "training";
    public const string FineTune = "fine-tune";
    public const string Import = "import";
    public const string Upload = "upload";

    public static IReadOnlyList<string> Sources { get; } = [Training, FineTune, Import, Upload];

    /// <summary>When it was published (set by <see cref="ModelStore.Publish"/>).</summary>
    public DateTimeOffset CreatedUtc { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>One of <see cref="Sources"/>.</summary>
    public required string Source { get; init; }

    /// <summary>File name of the version it was trained from (e.g. <c>v2.ctseg</c>); null for training from scratch,
    /// imports and uploads.</summary>
    public string? Parent { get; init; }

    /// <summary>Validation metrics, e.g. <c>best_dice</c>, <c>epochs</c>, <c>steps</c>, <c>stopped</c>.</summary>
    public JsonObject Metrics { get; init; } = [];

    /// <summary>The labels training saw, each as the datastore had it then.</summary>
    public IReadOnlyList<SeenLabel> Labels { get; init; } = [];

    /// <summary>The training parameters (the trainer's config overlaid with the request's).</summary>
    public JsonObject Params { get; init; } = [];

    /// <summary>The <c>model_version</c> string the published checkpoint carries (set by <see cref="ModelStore.Publish"/>).</summary>
    public string? ModelVersion { get; init; }

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The sidecar of a checkpoint: the same name with <c>.json</c> instead of <c>.ctseg</c>.</summary>
    public static string SidecarOf(string checkpointPath) => Path.ChangeExtension(checkpointPath, ".json");

    public void Write(string path) => AtomicFile.Write(path, stream => JsonSerializer.Serialize(stream, this, Json));

    /// <summary>Reads a sidecar; one that is not a record (broken JSON, no source) raises
    /// <see cref="ModelFormatException"/> naming the file and field.</summary>
    public static VersionRecord Read(string path)
    {
        VersionRecord? record;
        try
        {
            using var stream = File.OpenRead(path);
            record = JsonSerializer.Deserialize<VersionRecord>(stream, Json);
        }
        catch (JsonException e)
        {
            throw new ModelFormatException(path, "version record" + (e.Path is { } p ? " " + p : ""), e.Message);
        }
        return record ?? throw new ModelFormatException(path, "version record", "is empty (null)");
    }
}

/// <summary>One label a training saw: the image, the label's tag, and what identified the label's content then —
/// its checksum when the datastore had one, else its timestamp (<c>ts</c> of the label info).</summary>
public sealed record SeenLabel(string Image, string Tag, string? Checksum = null, long? Timestamp = null);
