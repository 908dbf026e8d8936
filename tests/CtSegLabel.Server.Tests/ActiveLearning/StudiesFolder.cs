using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Server.Datastore;
using Microsoft.Extensions.Logging.Abstractions;

namespace CtSegLabel.Server.Tests.ActiveLearning;

/// <summary>A real local datastore in a scratch folder: small NIfTI images and labels written as files, then
/// picked up by the datastore's reconcile, exactly as images copied into a studies folder are.</summary>
internal sealed class StudiesFolder : IDisposable
{
    public static readonly Shape3 Shape = new(4, 3, 5);

    private readonly TestDir _dir = new();
    private LocalDatastore? _datastore;

    public StudiesFolder(TimeProvider? clock = null) => Clock = clock ?? TimeProvider.System;

    public TimeProvider Clock { get; }

    public string Root => _dir.Sub("studies");

    public LocalDatastore Datastore => _datastore ??= new LocalDatastore(Root, new FileNameRules([".nii.gz"]), Clock, NullLogger<LocalDatastore>.Instance);

    public static Volume<byte> Empty() =>
        new(new ImageGeometry(Shape, new Vec3(1, 1, 2), new Vec3(0, 0, 0), Mat3.Identity));

    /// <summary>Images (all air) written before the datastore opens.</summary>
    public StudiesFolder WithImages(params string[] ids)
    {
        foreach (string id in ids) NiftiFile.Write(Path.Combine(Root, id + ".nii.gz"), new Volume<short>(Empty().Geometry));
        return this;
    }

    public StudiesFolder WithLabel(string id, string tag, Volume<byte> label)
    {
        string folder = Directory.CreateDirectory(Path.Combine(Root, "labels", tag)).FullName;
        NiftiFile.Write(Path.Combine(folder, id + ".nii.gz"), label);
        return this;
    }

    public Task SetInfoAsync(string id, JsonObject info) => Datastore.UpdateImageInfoAsync(id, info);

    public void Dispose()
    {
        _datastore?.Dispose();
        _dir.Dispose();
    }
}
