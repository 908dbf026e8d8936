using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Compute.Worker;
using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.Compute.Handlers;

/// <summary>
/// Runs infer jobs with the app's infer tasks: the image file arrives as bytes, is read exactly as the server would
/// read an upload (by its own file name, so its extension picks the format), and the task's label map goes back as
/// <see cref="InferJob.Reply"/>. Unreadable bytes raise <see cref="VolumeFormatException"/>, which the worker reports
/// as bad input.
/// </summary>
public sealed class InferJobHandler(ISegmentationApp app) : IJobHandler
{
    private readonly Dictionary<string, IInferTask> _tasks = app.InferTasks.ToDictionary(t => t.Name, StringComparer.Ordinal);

    public string Kind => JobKinds.Infer;

    public IReadOnlyList<string> Targets { get; } = [.. app.InferTasks.Select(t => t.Name)];

    public async Task<(JsonObject Header, byte[] Payload)> RunAsync(JobRequest job, IProgress<JsonObject> progress, CancellationToken cancellation)
    {
        var task = _tasks.GetValueOrDefault(job.Target)
            ?? throw new InvalidOperationException($"the app has no infer task '{job.Target}'");
        string name = InferJob.FileNameOf(job);
        // A folder of its own per job: two jobs with the same file name never meet, and the image's name stays intact.
        var folder = Directory.CreateTempSubdirectory("ctseg-infer-");
        try
        {
            string path = Path.Combine(folder.FullName, name);
            await File.WriteAllBytesAsync(path, job.Payload, cancellation);
            var read = System.Diagnostics.Stopwatch.StartNew();
            var image = VolumeFile.Read(path, InferJob.ReadOptionsOf(job));
            double readSeconds = read.Elapsed.TotalSeconds;
            var result = await task.InferAsync(new InferRequest(job.Target, InferJob.ImageIdOf(job), InferJob.ParamsOf(job)), image, cancellation);
            return InferJob.Reply(result, image.Shape, readSeconds);
        }
        finally
        {
            try
            {
                folder.Delete(recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left in the temporary folder; the job's answer matters more than the cleanup.
            }
        }
    }
}
