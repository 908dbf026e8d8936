using System.Text.Json.Nodes;
using CtSegLabel.AppContract;

namespace CtSegLabel.CtApp.Tests;

/// <summary>An <see cref="IDatastoreView"/> over image files on disk with its info objects in memory: what an app's
/// scoring sees of the server's datastore, without the server.</summary>
internal sealed class MemoryDatastore : IDatastoreView
{
    private readonly SortedDictionary<string, (string Image, Dictionary<string, string> Labels, JsonObject Info)> _images = new(StringComparer.Ordinal);

    public MemoryDatastore Add(string id, string imagePath, params (string Tag, string Path)[] labels)
    {
        _images[id] = (imagePath, labels.ToDictionary(l => l.Tag, l => l.Path), []);
        return this;
    }

    public IReadOnlyList<string> ImageIds() => _images.Keys.ToList();

    public IReadOnlyList<string> LabeledImages(string tag = IDatastoreView.FinalTag) =>
        _images.Where(p => p.Value.Labels.ContainsKey(tag)).Select(p => p.Key).ToList();

    public IReadOnlyList<string> UnlabeledImages(string tag = IDatastoreView.FinalTag) =>
        _images.Where(p => !p.Value.Labels.ContainsKey(tag)).Select(p => p.Key).ToList();

    public string ImagePath(string id) => _images.TryGetValue(id, out var e) ? e.Image : throw new KeyNotFoundException(id);

    public string? LabelPath(string id, string tag) => _images.TryGetValue(id, out var e) ? e.Labels.GetValueOrDefault(tag) : null;

    public JsonObject ImageInfo(string id) => _images.TryGetValue(id, out var e) ? (JsonObject)e.Info.DeepClone() : [];

    public JsonObject LabelInfo(string id, string tag) => [];

    public Task UpdateImageInfoAsync(string id, JsonObject info, CancellationToken cancellation = default)
    {
        if (!_images.TryGetValue(id, out var e)) throw new KeyNotFoundException(id);
        foreach (var (key, value) in info) e.Info[key] = value?.DeepClone();
        return Task.CompletedTask;
    }
}
