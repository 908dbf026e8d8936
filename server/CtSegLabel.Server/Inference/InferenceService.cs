using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.PluginAdapter.Labels;
using CtSegLabel.Server.Datastore;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Hosting;
using CtSegLabel.Compute.Handlers;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Server.Compute;

namespace CtSegLabel.Server.Inference;

/// <summary>
/// Runs an app's infer task on an image, as a compute job, and writes the result file the client asked for. Sends the
/// image file (its geometry inside) to a worker, checks the task kept the grid, converts to the requested dtype, names the
/// segments (label_names, .seg.nrrd segments), measures latencies, and, with <c>save_label</c>, stores
/// the result as the image's label (tag <c>label_tag</c>, default original).
/// </summary>
public sealed class InferenceService(LocalDatastore datastore, ISegmentationApp app, ComputeHost compute, ILogger<InferenceService> logger,
    IOptions<ServerOptions>? options = null)
{
    /// <summary>Runs <paramref name="task"/> on a compute worker (the server's own or a remote one) and writes its result.</summary>
    public async Task<InferOutcome> RunAsync(IInferTask task, InferInput input, JsonObject parameters, CancellationToken ct)
    {
        var format = ResultFormat.From(parameters);
        var total = Stopwatch.StartNew();
        // An upload is read whole only by the worker (the server checked its header): under the upload limits, which
        // also refuse data past what the header declares.
        var limits = input.Upload is null
            ? options?.Value.VolumeReadOptions
            : options?.Value.UploadReadOptions ?? ReadOptions.Default with { RefuseTrailingData = true };
        var request = await Task.Run(() => InferJob.Request(task.Name, input.ImagePath, input.DatastoreId, parameters, limits), ct) with
        {
            Version = AppVersions.Of(app, task),
        };
        double pre = total.Elapsed.TotalSeconds;

        var clock = Stopwatch.StartNew();
        Func<string, Exception>? refused = input.Upload is { } upload
            ? message => Validation.UploadedVolumes.WorkerRefusal(upload.Field, upload.FileName, Path.GetFileName(input.ImagePath), message)
            : null;
        var reply = await compute.RunAsync(request, null, ct, refused);
        var (result, imageShape) = await Task.Run(() => InferJob.ResultOf(reply), ct);
        // Reading the image is preprocessing wherever it happens: here its bytes, on the worker the volume.
        double read = InferJob.ReadSecondsOf(reply);
        pre += read;
        double infer = clock.Elapsed.TotalSeconds - read;
        if (result.Labels.Shape != imageShape)
            throw new ApiException(StatusCodes.Status500InternalServerError,
                $"model '{task.Name}' produced a label map of shape {result.Labels.Shape} for an image of shape {imageShape}");

        clock.Restart();
        var table = result.LabelTable is { } own
            ? LabelTable.FromEntries(own.Select(l => new LabelEntry(l.Name, l.Value, l.Color)))
            : LabelTable.FromNames(task.Labels);
        string folder = Path.Combine(Path.GetTempPath(), "ctseg-infer", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string file = Path.Combine(folder, $"tmp{Guid.NewGuid().ToString("N")[..8]}{format.Extension}");
        try
        {
            await Task.Run(() => Write(file, result.Labels, format, table), ct);
            double write = clock.Elapsed.TotalSeconds;

            var output = (JsonObject)result.Params.DeepClone();
            output["label_names"] ??= table.ToLabelNames();
            output["latencies"] = ResultLatencies.Merge(output["latencies"] as JsonObject, pre, infer, write, total.Elapsed.TotalSeconds);
            output["worker"] = reply.Worker;
            if (input.DatastoreId is { } id && IsTrue(parameters["save_label"]))
                await SaveAsLabelAsync(id, task.Name, parameters, output, file, format.Extension);
            logger.LogInformation("Infer {Model} on {Image}: {Shape} in {Seconds:F2}s on worker {Worker}{Retried}", task.Name,
                input.DatastoreId ?? Path.GetFileName(input.ImagePath), imageShape, total.Elapsed.TotalSeconds, reply.Worker,
                reply.Attempts > 1 ? $" (attempt {reply.Attempts}: a worker was lost)" : "");
            return new InferOutcome(output, file, folder);
        }
        catch
        {
            new InferOutcome([], file, folder).Dispose();
            throw;
        }
    }

    private void Write(string path, Volume labels, ResultFormat format, LabelTable table)
    {
        var type = format.DataType;
        int largest = table.Entries.Count == 0 ? 0 : table.Entries[^1].Value;
        if (largest > MaxValue(type))
        {
            // Slicer asks uint8; a map with more labels than that must not wrap values onto other segments.
            logger.LogWarning("Label value {Value} does not fit the requested {Type}: writing uint16", largest, type);
            type = VoxelType.UInt16;
        }
        var typed = labels.VoxelType == type ? labels : labels.ConvertTo(type);
        var options = format.CompressionLevel is int level ? new WriteOptions { CompressionLevel = level } : WriteOptions.Default;
        if (format.Extension == ".seg.nrrd")
            NrrdFile.WriteSegmentation(path, new Segmentation(typed, table.ToSegments()), options);
        else
            VolumeFile.Write(path, typed, options);
    }

    private static double MaxValue(VoxelType type) => type switch
    {
        VoxelType.UInt8 => byte.MaxValue,
        VoxelType.Int8 => sbyte.MaxValue,
        VoxelType.Int16 => short.MaxValue,
        VoxelType.UInt16 => ushort.MaxValue,
        VoxelType.Int32 => int.MaxValue,
        VoxelType.UInt32 => uint.MaxValue,
        _ => double.MaxValue,
    };

    private async Task SaveAsLabelAsync(string id, string model, JsonObject parameters, JsonObject output, string file, string ext)
    {
        string tag = parameters["label_tag"] is JsonValue v && v.TryGetValue(out string? t) && !string.IsNullOrWhiteSpace(t)
            ? t
            : IDatastoreView.OriginalTag;
        string temp = LocalDatastore.TempFileIn(datastore.LabelFolder(tag), ext);
        File.Copy(file, temp);
        try
        {
            await datastore.SaveLabelAsync(id, tag, ext, temp, new JsonObject { ["model"] = model, ["params"] = output.DeepClone() });
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    private static bool IsTrue(JsonNode? node) => node?.GetValueKind() == JsonValueKind.True;
}
