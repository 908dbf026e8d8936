using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Server.Compute;
using CtSegLabel.Server.Datastore;
using CtSegLabel.Server.Hosting;
using CtSegLabel.Server.Inference;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CtSegLabel.Server.Tests;

/// <summary>How the host writes a result whose labels are the result's own (instances numbered per image).</summary>
public class InferenceServiceTests
{
    /// <summary>A task that labels each slice k with value k + 1 and names those values itself, timing its own stages.</summary>
    private sealed class PerSliceTask(int slices) : IInferTask
    {
        public string Name => "per_slice";
        public InferType Type => InferType.Segmentation;
        public IReadOnlyDictionary<string, int> Labels { get; } = new Dictionary<string, int> { ["fixed"] = 1 };
        public int Dimension => 3;
        public string Description => "test";
        public JsonObject Config => [];
        public string? ModelPath => null;

        public Task<InferResult> InferAsync(InferRequest request, Volume image, CancellationToken cancellation)
        {
            var map = new Volume<ushort>(image.Geometry);
            for (int k = 0; k < image.Shape.Z; k++) map.Slice(k).Fill((ushort)(k + 1));
            var table = Enumerable.Range(1, slices).Select(v => new ResultLabel(v, $"slice_{v}", new Rgb((byte)v, 7, 9))).ToList();
            var latencies = new JsonObject { ["pre"] = 1.5, ["infer"] = 2.25, ["post"] = 0.5 };
            return Task.FromResult(new InferResult(map, new JsonObject { ["latencies"] = latencies }, table));
        }
    }

    private sealed class OneTaskApp(IInferTask task) : ISegmentationApp
    {
        public string Name => "one task";
        public string Description => "test";
        public string Version => "1";
        public IReadOnlyList<string>? Labels => null;
        public IReadOnlyList<IInferTask> InferTasks => [task];
        public IReadOnlyList<ITrainTask> TrainTasks => [];
        public IReadOnlyList<IStrategy> Strategies => [];
        public IReadOnlyList<IScoringMethod> ScoringMethods => [];
    }

    private static async Task<(JsonObject Params, string File, InferOutcome Outcome)> RunAsync(TestDir dir, int slices, string extension)
    {
        var ct = new Volume<short>(new ImageGeometry(new Shape3(3, 2, slices), new Vec3(1, 1, 2), new Vec3(0, 0, 0), Mat3.Identity));
        string image = Path.Combine(dir.Path, "ct.nii.gz");
        NiftiFile.Write(image, ct);
        using var datastore = new LocalDatastore(dir.Sub("studies"), new FileNameRules([".nii.gz"]), TimeProvider.System, NullLogger<LocalDatastore>.Instance);
        var task = new PerSliceTask(slices);
        // The task runs where the server runs every task: on its in-process compute worker, through the broker.
        var app = new OneTaskApp(task);
        using var compute = new ComputeHost(Options.Create(new ServerOptions()), app, datastore, NullLogger<ComputeHost>.Instance);
        await compute.StartAsync(CancellationToken.None);
        var service = new InferenceService(datastore, app, compute, NullLogger<InferenceService>.Instance);
        var outcome = await service.RunAsync(task, new InferInput(image, null),
            new JsonObject { ["result_extension"] = extension, ["result_dtype"] = "uint8" }, CancellationToken.None);
        return (outcome.Params, outcome.FilePath, outcome);
    }

    [Fact]
    public async Task The_results_own_table_names_label_names_and_segments_and_the_tasks_stage_times_are_kept()
    {
        using var dir = new TestDir();
        var (p, file, outcome) = await RunAsync(dir, 4, ".seg.nrrd");
        using (outcome)
        {
            Assert.Equal(["slice_1", "slice_2", "slice_3", "slice_4"], p["label_names"]!.AsObject().Select(n => n.Key));
            var seg = NrrdFile.ReadSegmentation(file);
            Assert.Equal(["slice_1", "slice_2", "slice_3", "slice_4"], seg.Segments.OrderBy(s => s.LabelValue).Select(s => s.Name));
            Assert.Equal(new Rgb(3, 7, 9), seg.Segments.Single(s => s.LabelValue == 3).Color);

            var latencies = p["latencies"]!.AsObject();
            Assert.True(latencies["pre"]!.GetValue<double>() >= 1.5); // the task's preprocessing plus reading the image
            Assert.Equal(2.25, latencies["infer"]!.GetValue<double>(), 2);
            Assert.Equal(0.5, latencies["post"]!.GetValue<double>());
            Assert.Equal(0.0, latencies["invert"]!.GetValue<double>());
            Assert.True(latencies["write"]!.GetValue<double>() >= 0);
            Assert.True(latencies.ContainsKey("transform"));
        }
    }

    [Fact]
    public async Task Values_beyond_the_requested_type_widen_the_file_instead_of_wrapping()
    {
        using var dir = new TestDir();
        var (p, file, outcome) = await RunAsync(dir, 300, ".nii.gz");
        using (outcome)
        {
            Assert.Equal(300, p["label_names"]!.AsObject().Count);
            var labels = NiftiFile.Read(file);
            Assert.Equal(VoxelType.UInt16, labels.VoxelType);
            var map = (Volume<ushort>)labels;
            Assert.Equal(300, map[0, 0, 299]);
            Assert.Equal(256, map[2, 1, 255]);
        }
    }
}
