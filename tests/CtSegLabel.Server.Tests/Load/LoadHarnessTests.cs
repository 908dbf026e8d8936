using System.Text.Json.Nodes;
using CtSegLabel.LoadTesting;

namespace CtSegLabel.Server.Tests.Load;

/// <summary>
/// Issue #8's load harness run briefly against the real server process with the test app: /info/ users, two infer
/// users whose requests wait in the compute queue (the test app's infer sleeps so that they do), and two annotators
/// submitting labels — no answer other than the documented ones, and every acknowledged label stored as sent. The
/// figures are the benchmark's business (CtSegLabel.Bench load); nothing here depends on timing.
/// </summary>
[Collection(LoadCollection.Name)]
public class LoadHarnessTests
{
    [Fact]
    public async Task Five_seconds_of_info_infer_and_label_users_get_only_documented_answers_and_every_acknowledged_label_is_stored()
    {
        using var work = new TestDir();
        var options = new LoadOptions
        {
            ServerDll = BuiltFiles.ServerDll,
            AppDll = BuiltFiles.TestAppDll,
            ModelsFolder = work.Sub("models"),
            InferModel = "threshold_bones",
            WorkFolder = work.Path,
            Duration = TimeSpan.FromSeconds(5),
            InfoClients = 20,
            InferClients = 2,
            LabelClients = 2,
            WorkerQueue = 1,
            Images = 4,
            ImageSize = 32,
            ImageSlices = 8,
        };
        var inferParams = new JsonObject { ["result_extension"] = ".nii.gz", ["result_dtype"] = "uint8", ["sleep_seconds"] = 0.3 };

        var report = await LoadRun.RunAsync(options, inferParams, TextWriter.Null);

        Assert.True(report.Passed, string.Join("\n", report.Failures));
        var routes = report.Routes.ToDictionary(r => r.Route);
        Assert.True(routes[LoadClients.InfoRoute].Statuses["200"] > 0);
        Assert.True(routes[LoadClients.InferRoute("threshold_bones")].Statuses["200"] > 0);
        Assert.Equal(routes[LoadClients.LabelRoute].Statuses["200"], report.LabelsAcknowledged);
        Assert.Equal(options.Images, report.LabelImages);
        // The server's memory was sampled while the load ran (the peak is the larger of the samples and VmHWM).
        Assert.True(report.RssSamples > 0 && report.MaxSampledRssBytes > 0);
    }
}

/// <summary>The load test saturates the CPU on purpose: it runs alone, so that it cannot stall another test's server or
/// worker past a heartbeat.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoadCollection
{
    public const string Name = "load (runs alone)";
}
