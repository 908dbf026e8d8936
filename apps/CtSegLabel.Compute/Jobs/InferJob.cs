using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Compute.Jobs;

/// <summary>
/// An infer job on the wire. Request: header <c>{file_name, image_id, params}</c> and the image file's bytes as stored
/// (its extension tells the worker how to read it; geometry travels inside the file). Reply: header
/// <c>{params, label_table, shape, read_seconds}</c> and the label map as a gzip-level-1 NIfTI (label maps compress ~100× and level 1
/// costs little CPU), so the volume keeps its grid across the boundary.
/// </summary>
public static class InferJob
{
    /// <param name="limits">The sender's volume limits; the worker reads the image under them (a worker serves whichever
    /// server sent the job, so the limits travel with it). Null: the imaging defaults.</param>
    public static JobRequest Request(string model, string imagePath, string? imageId, JsonObject parameters, ReadOptions? limits = null) =>
        new(JobKinds.Infer, model, new JsonObject
        {
            ["file_name"] = Path.GetFileName(imagePath),
            ["image_id"] = imageId,
            ["params"] = parameters.DeepClone(),
            ["read_limits"] = limits is null ? null : new JsonObject
            {
                ["max_voxels"] = limits.MaxVoxels,
                ["max_decompressed_bytes"] = limits.MaxDecompressedBytes,
                ["refuse_trailing_data"] = limits.RefuseTrailingData,
            },
        }, File.ReadAllBytes(imagePath));

    /// <summary>The limits to read the job's image under: the sender's, else the imaging defaults. An uploaded image
    /// (which the server checked by its header only) also refuses data past what its header declares.</summary>
    public static ReadOptions ReadOptionsOf(JobRequest request) =>
        request.Header["read_limits"] is JsonObject l
        && l["max_voxels"] is JsonValue v && v.TryGetValue(out long voxels) && voxels > 0
        && l["max_decompressed_bytes"] is JsonValue b && b.TryGetValue(out long bytes) && bytes > 0
            ? new ReadOptions
            {
                MaxVoxels = voxels,
                MaxDecompressedBytes = bytes,
                RefuseTrailingData = l["refuse_trailing_data"] is JsonValue t && t.TryGetValue(out bool refuse) && refuse,
            }
            : ReadOptions.Default;

    public static string FileNameOf(JobRequest request) =>
        request.Header["file_name"]?.GetValue<string>() is { Length: > 0 } name && name == Path.GetFileName(name)
            ? name
            : throw new InvalidDataException("infer job: file_name is missing or not a bare file name");

    public static string? ImageIdOf(JobRequest request) => request.Header["image_id"]?.GetValue<string>();

    public static JsonObject ParamsOf(JobRequest request) => request.Header["params"] as JsonObject ?? [];

    /// <summary>The worker's answer for <paramref name="result"/> of an image of shape <paramref name="imageShape"/>.</summary>
    /// <param name="readSeconds">How long the worker took to read the image, which the host reports as part of <c>pre</c>.</param>
    public static (JsonObject Header, byte[] Payload) Reply(InferResult result, Shape3 imageShape, double readSeconds = 0)
    {
        string temp = Path.Combine(Path.GetTempPath(), $"ctseg-job-{Guid.NewGuid():N}.nii.gz");
        try
        {
            VolumeFile.Write(temp, result.Labels, new WriteOptions { CompressionLevel = 1 });
            var header = new JsonObject
            {
                ["params"] = result.Params.DeepClone(),
                ["shape"] = new JsonArray(imageShape.X, imageShape.Y, imageShape.Z),
                ["read_seconds"] = readSeconds,
                ["label_table"] = result.LabelTable is { } table
                    ? new JsonArray([.. table.Select(l => (JsonNode?)new JsonObject
                    {
                        ["value"] = l.Value, ["name"] = l.Name, ["color"] = new JsonArray(l.Color.R, l.Color.G, l.Color.B),
                    })])
                    : null,
            };
            return (header, File.ReadAllBytes(temp));
        }
        finally
        {
            File.Delete(temp);
        }
    }

    /// <summary>How long the worker took to read the image (0 when it did not say).</summary>
    public static double ReadSecondsOf(JobReply reply) =>
        reply.Header["read_seconds"] is JsonValue v && v.TryGetValue(out double seconds) && double.IsFinite(seconds) && seconds >= 0 ? seconds : 0;

    /// <summary>The server's side: the result and the shape of the image the worker read.</summary>
    public static (InferResult Result, Shape3 ImageShape) ResultOf(JobReply reply)
    {
        string temp = Path.Combine(Path.GetTempPath(), $"ctseg-job-{Guid.NewGuid():N}.nii.gz");
        try
        {
            File.WriteAllBytes(temp, reply.Payload);
            var labels = VolumeFile.Read(temp);
            var shape = reply.Header["shape"] is JsonArray s && s.Count == 3
                ? new Shape3(s[0]!.GetValue<int>(), s[1]!.GetValue<int>(), s[2]!.GetValue<int>())
                : throw new InvalidDataException("infer reply: shape is missing");
            IReadOnlyList<ResultLabel>? table = reply.Header["label_table"] is JsonArray entries
                ? [.. entries.Select(e => new ResultLabel(e!["value"]!.GetValue<int>(), e["name"]!.GetValue<string>(),
                    new Rgb(e["color"]![0]!.GetValue<byte>(), e["color"]![1]!.GetValue<byte>(), e["color"]![2]!.GetValue<byte>())))]
                : null;
            return (new InferResult(labels, reply.Header["params"] as JsonObject ?? [], table), shape);
        }
        finally
        {
            File.Delete(temp);
        }
    }
}
