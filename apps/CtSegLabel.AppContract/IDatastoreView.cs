using System.Text.Json.Nodes;

namespace CtSegLabel.AppContract;

/// <summary>What an app may see of, and change in, the datastore. Info objects are copies; changes go
/// through the update methods so they are persisted atomically with everyone else's.</summary>
public interface IDatastoreView
{
    /// <summary>The tag of human-approved labels; an image with it counts as labeled.</summary>
    public const string FinalTag = "final";

    /// <summary>The tag of labels the model produced.</summary>
    public const string OriginalTag = "original";

    /// <summary>All image ids, ordinal order.</summary>
    IReadOnlyList<string> ImageIds();

    /// <summary>Ids of images that have a label with <paramref name="tag"/>, ordinal order.</summary>
    IReadOnlyList<string> LabeledImages(string tag = FinalTag);

    /// <summary>Ids of images without a label with <paramref name="tag"/>, ordinal order.</summary>
    IReadOnlyList<string> UnlabeledImages(string tag = FinalTag);

    /// <summary>Absolute path of the image file; throws <see cref="KeyNotFoundException"/> for an unknown id.</summary>
    string ImagePath(string id);

    /// <summary>Absolute path of the label file, or null when the image has no label with that tag.</summary>
    string? LabelPath(string id, string tag);

    /// <summary>A copy of the image's info object (empty for an unknown id).</summary>
    JsonObject ImageInfo(string id);

    /// <summary>A copy of the label's info object (empty when there is no such label).</summary>
    JsonObject LabelInfo(string id, string tag);

    /// <summary>Merges <paramref name="info"/> into the image's info (top-level keys replaced) and persists it.</summary>
    Task UpdateImageInfoAsync(string id, JsonObject info, CancellationToken cancellation = default);
}
