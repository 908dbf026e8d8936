using CtSegLabel.Models;
using CtSegLabel.Models.Checkpoints;

namespace CtSegLabel.CtApp;

/// <summary>
/// A checkpoint's network loaded onto a device, shared by every request that runs it. Reference-counted: the
/// model store holds one reference while the network is its current one, each request one more through a
/// <see cref="ModelLease"/>; the network is disposed when the last reference goes, so a request in flight
/// keeps the network it started with even after a new version replaced it in the store.
/// </summary>
public sealed class LoadedModel
{
    private int _references = 1;

    private LoadedModel(ModelVersion version, SegmentationNetwork network, ComputeDevice device)
    {
        Version = version;
        Network = network;
        Device = device;
    }

    public ModelVersion Version { get; }

    public SegmentationNetwork Network { get; }

    public ComputeDevice Device { get; }

    /// <summary>Loads the weights (CPU), moves them to the device and precision, eval mode. The one reference
    /// it starts with belongs to the caller.</summary>
    public static LoadedModel Load(ModelVersion version, ComputeDevice device)
    {
        // The file may have been replaced since its metadata was read: keep the metadata of the weights loaded.
        var (network, metadata) = ModelCheckpoint.Load(version.Path, version.Metadata.Architecture);
        try
        {
            device.Place(network);
            network.eval();
            return new LoadedModel(version with { Metadata = metadata }, network, device);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>A lease on a model loaded for one caller only (the CLI): disposing it frees the network.</summary>
    public static ModelLease LoadExclusive(ModelVersion version, ComputeDevice device) => new(Load(version, device));

    /// <summary>Adds a reference. Only call while holding one already (so the count cannot have reached 0).</summary>
    internal ModelLease Lease()
    {
        Interlocked.Increment(ref _references);
        return new ModelLease(this);
    }

    internal void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0) Network.Dispose();
    }
}

/// <summary>One holder's reference to a <see cref="LoadedModel"/>; Dispose releases it (once).</summary>
public sealed class ModelLease : IDisposable
{
    private LoadedModel? _model;

    internal ModelLease(LoadedModel model) => _model = model;

    public LoadedModel Model => _model ?? throw new ObjectDisposedException(nameof(ModelLease));

    public void Dispose() => Interlocked.Exchange(ref _model, null)?.Release();
}
