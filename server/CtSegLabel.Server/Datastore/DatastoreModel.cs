using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Datastore;

/// <summary>
/// The content of <c>datastore_v2.json</c> in MONAI Label's layout: name, description, images_dir,
/// labels_dir and objects keyed by image id, each with its image {ext, info} and labels by tag.
/// Keys this server does not know are kept (<see cref="Extra"/>) so a file written by another
/// MONAI Label version survives a round trip here.
/// </summary>
public sealed class DatastoreModel
{
    public string Name { get; set; } = "new-dataset";
    public string Description { get; set; } = "New Dataset";
    public string ImagesDir { get; set; } = ".";
    public string LabelsDir { get; set; } = "labels";
    public SortedDictionary<string, DatastoreObject> Objects { get; } = new(StringComparer.Ordinal);
    public JsonObject Extra { get; init; } = [];
}

/// <summary>One image and its labels.</summary>
public sealed class DatastoreObject(FileEntry image)
{
    public FileEntry Image { get; set; } = image;
    public SortedDictionary<string, FileEntry> Labels { get; } = new(StringComparer.Ordinal);
    public JsonObject Extra { get; init; } = [];
}

/// <summary>An image or label file: its extension and a free-form info object (client params plus
/// <c>ts</c>, <c>name</c>, <c>user</c>).</summary>
public sealed class FileEntry(string ext, JsonObject info)
{
    public string Ext { get; set; } = ext;
    public JsonObject Info { get; set; } = info;
    public JsonObject Extra { get; init; } = [];
}
