using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Compute.Handlers;
using CtSegLabel.Compute.Jobs;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.TestApp;

namespace CtSegLabel.CtApp.Tests.Workers;

public class JobHandlerTests
{
    [Fact]
    public async Task An_infer_job_answers_the_in_process_label_map_voxel_for_voxel_on_the_image_grid()
    {
        using var dir = new TestDir();
        var app = new ThresholdApp(new AppEnvironment(dir.Sub("studies"), dir.Sub("models")));
        // A name no other job uses, so a leftover of this job in the temporary folder can be found.
        string image = dir.File($"ct-{Guid.NewGuid():N}.nii.gz");
        File.Copy(TestPaths.ExampleCt, image);
        var parameters = new JsonObject { ["sleep_seconds"] = 0 };

        var (header, payload) = await new InferJobHandler(app).RunAsync(
            InferJob.Request(ThresholdBonesTask.TaskName, image, "ct_1", parameters), new JobProgressLog(), CancellationToken.None);
        var reply = new JobReply(header, payload, "w", 1);
        var (result, shape) = InferJob.ResultOf(reply);
        Assert.True(InferJob.ReadSecondsOf(reply) > 0, "the worker says how long reading the image took (the host's 'pre')");

        var ct = VolumeFile.Read(TestPaths.ExampleCt);
        var expected = await app.InferTasks.Single().InferAsync(new InferRequest(ThresholdBonesTask.TaskName, "ct_1", parameters), ct, CancellationToken.None);
        Assert.Equal(ct.Shape, shape);
        Assert.True(ct.Geometry.SameGrid(result.Labels.Geometry), $"{result.Labels.Geometry} vs {ct.Geometry}");
        Assert.Equal(VoxelType.UInt8, result.Labels.VoxelType);
        var voxels = ((Volume<byte>)result.Labels).Data;
        Assert.Equal(((Volume<byte>)expected.Labels).Data, voxels);
        Assert.Contains(voxels, v => v == ThresholdSegmenter.Bone);
        Assert.Contains(voxels, v => v == ThresholdSegmenter.Lung);
        Assert.Equal(expected.Params.ToJsonString(), result.Params.ToJsonString());
        Assert.Empty(Leftovers(Path.GetFileName(image)));
    }

    [Fact]
    public async Task Bad_image_bytes_raise_VolumeFormatException_naming_the_file_and_leave_nothing_behind()
    {
        using var dir = new TestDir();
        var app = new ThresholdApp(new AppEnvironment(dir.Sub("studies"), dir.Sub("models")));
        var handler = new InferJobHandler(app);
        string name = $"broken-{Guid.NewGuid():N}.nii.gz";
        // The real CT cut short: a valid gzip start whose NIfTI header ends early.
        byte[] truncated = File.ReadAllBytes(TestPaths.ExampleCt)[..200];
        var job = new JobRequest(JobKinds.Infer, ThresholdBonesTask.TaskName,
            new JsonObject { ["file_name"] = name, ["image_id"] = null, ["params"] = new JsonObject() }, truncated);

        var e = await Assert.ThrowsAsync<VolumeFormatException>(() => handler.RunAsync(job, new JobProgressLog(), CancellationToken.None));
        Assert.Contains(name, e.Message);
        Assert.Empty(Leftovers(name));

        var notAnImage = job with { Header = new JsonObject { ["file_name"] = name.Replace(".nii.gz", ".nrrd"), ["params"] = new JsonObject() }, Payload = "hello"u8.ToArray() };
        await Assert.ThrowsAsync<VolumeFormatException>(() => handler.RunAsync(notAnImage, new JobProgressLog(), CancellationToken.None));
    }

    [Fact]
    public async Task A_slow_infer_job_stops_when_cancelled_and_a_bad_sleep_is_a_parameter_error()
    {
        using var dir = new TestDir();
        var handler = new InferJobHandler(new ThresholdApp(new AppEnvironment(dir.Sub("studies"), dir.Sub("models"))));
        string image = dir.File($"slow-{Guid.NewGuid():N}.nii.gz");
        File.Copy(TestPaths.ExampleCt, image);
        var slow = InferJob.Request(ThresholdBonesTask.TaskName, image, null, new JsonObject { [ThresholdBonesTask.SleepSecondsKey] = 600 });

        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var running = handler.RunAsync(slow, new JobProgressLog(), cancel.Token);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Empty(Leftovers(Path.GetFileName(image)));

        var bad = InferJob.Request(ThresholdBonesTask.TaskName, image, null, new JsonObject { [ThresholdBonesTask.SleepSecondsKey] = "long" });
        var e = await Assert.ThrowsAsync<InferParameterException>(() => handler.RunAsync(bad, new JobProgressLog(), CancellationToken.None));
        Assert.Equal(ThresholdBonesTask.SleepSecondsKey, e.Key);
    }

    [Fact]
    public async Task A_train_job_relays_the_trainers_progress_lines_in_order_and_answers_its_result()
    {
        using var dir = new TestDir();
        var app = new ThresholdApp(new AppEnvironment(dir.Sub("studies"), dir.Sub("models")));
        var datastore = WorkerFixtures.LabeledCt(dir);
        var progress = new JobProgressLog();
        var job = TaskJob.Request(JobKinds.Train, ThresholdBonesTask.TaskName, new JsonObject
        {
            ["max_epochs"] = 3, ["iterations_per_epoch"] = 5, ["batch_size"] = 512, ["max_voxels"] = 50_000,
        });

        var (header, payload) = await new TrainJobHandler(app, datastore).RunAsync(job, progress, CancellationToken.None);

        Assert.Empty(payload);
        Assert.Equal(3, header["epoch"]!.GetValue<int>());
        Assert.Equal(3, header["total_epochs"]!.GetValue<int>());
        Assert.All(progress.Reports, r => Assert.Equal(["line"], r.Select(p => p.Key)));
        var lines = progress.Reports.Select(r => r["line"]!.GetValue<string>()).ToList();
        Assert.StartsWith("Loading 1 labeled image(s)", lines[0]);
        Assert.StartsWith("ct: ", lines[1]);
        Assert.Equal(["Epoch 1/3", "Epoch 2/3", "Epoch 3/3"], lines.Skip(2).Select(l => l[..l.IndexOf(':')]));
        // The trainer moved the bone threshold from its default 300 HU towards the label's 200.
        Assert.True(ThresholdParameters.Load(app.InferTasks.Single().ModelPath!).BoneMinHu < 300);
    }

    [Fact]
    public async Task A_score_job_runs_the_scoring_method_on_the_datastore_and_relays_its_lines()
    {
        using var dir = new TestDir();
        var app = new ThresholdApp(new AppEnvironment(dir.Sub("studies"), dir.Sub("models")));
        var datastore = WorkerFixtures.LabeledCt(dir);
        var progress = new JobProgressLog();

        var (header, payload) = await new ScoreJobHandler(app, datastore)
            .RunAsync(TaskJob.Request(JobKinds.Score, "dice", []), progress, CancellationToken.None);

        Assert.Empty(payload);
        double dice = header["ct"]!.GetValue<double>();
        Assert.InRange(dice, 0.5, 0.999); // the same lungs, bone from 300 vs 200 HU
        Assert.Equal(dice, datastore.ImageInfo("ct")["dice"]!["mean"]!.GetValue<double>());
        var lines = progress.Reports.Select(r => r["line"]!.GetValue<string>()).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Equal("Dice original vs final: 1 image(s) have both labels", lines[0]);
        Assert.Matches(@"^ct: mean Dice 0\.\d{4} over 2 label\(s\)$", lines[1]);
    }

    [Fact]
    public void A_worker_without_a_datastore_serves_infer_only_and_announces_each_models_version()
    {
        using var dir = new TestDir();
        var testApp = new ThresholdApp(new AppEnvironment(dir.Sub("studies"), dir.Sub("models")));
        Assert.Equal([JobKinds.Infer], AppJobHandlers.For(testApp, null).Select(h => h.Kind));
        var all = AppJobHandlers.For(testApp, new MemoryDatastore());
        Assert.Equal(JobKinds.All, all.Select(h => h.Kind));
        Assert.Equal([[ThresholdBonesTask.TaskName], [ThresholdBonesTask.TaskName], ["dice"]], all.Select(h => h.Targets));
        // Without versions, the weights file names the version.
        Assert.Equal(new Dictionary<string, string> { [ThresholdBonesTask.TaskName] = ThresholdParameters.FileName }, AppVersions.Of(testApp));

        // The CT app keeps versions: the current one is announced, and a model without any is left out.
        string models = dir.Sub("ct-models");
        Checkpoints.InitTiny(Path.Combine(models, CtSegmentationApp.SwinUnetrV2Model, "v1.ctseg"), seed: 1);
        Checkpoints.InitTiny(Path.Combine(models, CtSegmentationApp.SwinUnetrV2Model, "v2.ctseg"), seed: 2);
        using var ct = new CtSegmentationApp(new AppEnvironment(dir.Sub("ct-studies"), models));
        Assert.Equal(new Dictionary<string, string> { [CtSegmentationApp.SwinUnetrV2Model] = "v2.ctseg" }, AppVersions.Of(ct));
        ct.SetCurrent(CtSegmentationApp.SwinUnetrV2Model, "v1.ctseg");
        Assert.Equal("v1.ctseg", AppVersions.Of(ct)[CtSegmentationApp.SwinUnetrV2Model]);
    }

    /// <summary>Files named <paramref name="name"/> in any infer job's temporary folder.</summary>
    private static IEnumerable<string> Leftovers(string name) =>
        Directory.EnumerateDirectories(Path.GetTempPath(), "ctseg-infer-*").Where(d => File.Exists(Path.Combine(d, name)));
}
