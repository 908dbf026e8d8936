using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Models;

namespace CtSegLabel.CtApp;

/// <summary>
/// One of the CT networks as an infer task: runs the current checkpoint of its models subfolder through the
/// whole-CT pipeline. Without a checkpoint, or with one it cannot use, it refuses with
/// <see cref="ModelUnavailableException"/> saying how to get one — never random output in silence; a checkpoint
/// of random weights (<c>ctseg model init</c>) is served, and its results say <c>untrained</c>.
/// </summary>
public sealed class CtInferTask(ModelStore store, string name, string architecture, string description) : IInferTask
{
    private static readonly IReadOnlyDictionary<string, int> ClassTable = CtClassTable.GroundTruth.ToDictionary(c => c.Name, c => c.Value);

    public string Name => name;

    /// <summary>The checkpoints' architecture (<see cref="NetworkArchitecture.Name"/>).</summary>
    public string Architecture => architecture;

    public InferType Type => InferType.Segmentation;

    /// <summary>The CT class table. A result names its own values (instances are numbered per image), so this is
    /// what Slicer prepares segments for, not the values of every map.</summary>
    public IReadOnlyDictionary<string, int> Labels => ClassTable;

    public int Dimension => 3;

    public string Description => description;

    public JsonObject Config => CtInferOptions.Config();

    public string? ModelPath
    {
        get
        {
            try { return store.Current(name)?.Path; }
            catch (Exception e) when (e is ModelFormatException or IOException) { return null; }
        }
    }

    /// <summary>The request's precision if this device runs it at a usable speed (bf16 on a CPU without bf16 kernels
    /// does not), else a 422 naming the parameter.</summary>
    private Precision Usable(Precision? asked)
    {
        if (asked is not { } precision) return store.Device.Precision;
        try { return store.Device.WithPrecision(precision).Precision; }
        catch (ArgumentException e) { throw new InferParameterException(CtInferOptions.PrecisionKey, e.Message); }
    }

    public async Task<InferResult> InferAsync(InferRequest request, Volume image, CancellationToken cancellation)
    {
        var options = CtInferOptions.FromParams(request.Params);
        ModelLease? lease;
        try
        {
            lease = store.Acquire(name, Usable(options.Precision), architecture);
        }
        catch (ModelFormatException e)
        {
            throw Unusable(e);
        }
        if (lease is null) throw new ModelUnavailableException(name, ModelInstructions.NoCheckpoint(name, architecture, store.FolderOf(name)));

        using (lease)
        {
            var model = lease.Model;
            try
            {
                var result = await Task.Run(() => CtSegmentation.Run(model, image, options, cancellation: cancellation), cancellation);
                return new InferResult(result.Labels.Map, CtResultParams.Build(model.Version, result, options), CtResultParams.Labels(result));
            }
            catch (ModelFormatException e)
            {
                throw Unusable(e);
            }
            finally
            {
                // The run's tensors are all freed by now, but MKL pools its scratch buffers per thread and the C heap
                // keeps freed memory in the arena of whichever pool thread ran it: without this, resident memory climbs
                // run after run (see MklBuffers and NativeHeap).
                NativeHeap.ReleaseAfterRun();
            }
        }
    }

    private ModelUnavailableException Unusable(ModelFormatException e) =>
        new(name, ModelInstructions.Unusable(name, store.FolderOf(name), e.Message), e);
}
