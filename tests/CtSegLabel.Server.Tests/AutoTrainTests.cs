using System.Net;
using System.Text.Json.Nodes;
using CtSegLabel.TestApp;

namespace CtSegLabel.Server.Tests;

/// <summary><c>--auto-train-after N</c> over real HTTP with the test app's threshold trainer.</summary>
public class AutoTrainTests
{
    private static Dictionary<string, string?> After(int n) => new() { ["Server:AutoTrainAfter"] = n.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private static int PersistedCount(ServerHarness server) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(server.Models, "auto-train.json")))!["final_labels_since_training"]!.GetValue<int>();

    [Fact]
    public async Task The_Nth_final_label_queues_a_fine_tune_of_every_trainer()
    {
        await using var server = new ServerHarness(settings: After(3));
        foreach (string id in new[] { "a", "b", "c" }) await server.UploadCtAsync(id);

        await server.SubmitLabelsAsync("a");
        await server.SubmitLabelsAsync("b");
        await server.SubmitLabelsAsync("a", tag: "original"); // not a final label: does not count
        await (await server.Http.GetAsync("/train/")).AssertDetailAsync(HttpStatusCode.NotFound);
        Assert.Equal(2, PersistedCount(server));

        await server.SubmitLabelsAsync("c");
        var task = await (await server.Http.GetAsync("/train/")).ObjectAsync();
        Assert.Equal(ThresholdBonesTask.TaskName, task["request"]!["model"]!.GetValue<string>());
        Assert.Equal(4096, task["request"]!["batch_size"]!.GetValue<int>()); // the trainer's config defaults, as POST /train/{name} merges them
        Assert.Equal(0, PersistedCount(server));
        Assert.Equal("DONE", (await TrainApiTests.WaitForEndAsync(server))["status"]!.GetValue<string>());
        string log = await File.ReadAllTextAsync(Directory.GetFiles(server.Logs, "app*.log").Single());
        Assert.Contains("Auto-training: 3 new final labels", log);
    }

    [Fact]
    public async Task A_training_started_by_a_client_resets_the_count()
    {
        await using var server = new ServerHarness(settings: After(2));
        await server.UploadCtAsync("a");
        await server.UploadCtAsync("b");
        await server.SubmitLabelsAsync("a");
        await server.Client.TrainStartAsync(ThresholdBonesTask.TaskName, new JsonObject { ["max_epochs"] = 1 });
        Assert.Equal("DONE", (await TrainApiTests.WaitForEndAsync(server))["status"]!.GetValue<string>());

        await server.SubmitLabelsAsync("b");
        Assert.Single(Assert.IsType<JsonArray>(await (await server.Http.GetAsync("/train/?all=true")).JsonAsync()));
        Assert.Equal(1, PersistedCount(server));
    }

    [Fact]
    public async Task The_count_survives_a_restart_and_off_means_off()
    {
        await using (var off = new ServerHarness())
        {
            await off.UploadCtAsync("a");
            await off.SubmitLabelsAsync("a");
            Assert.False(File.Exists(Path.Combine(off.Models, "auto-train.json")));
            await (await off.Http.GetAsync("/train/")).AssertDetailAsync(HttpStatusCode.NotFound);
        }

        // A count left by an earlier run: one more label is the second.
        await using var server = new ServerHarness(settings: After(2), beforeStart: studies =>
            File.WriteAllText(Path.Combine(Path.GetDirectoryName(studies)!, "models", "auto-train.json"), "{\"final_labels_since_training\": 1}"));
        await server.UploadCtAsync("a");
        await server.SubmitLabelsAsync("a");
        Assert.Equal(ThresholdBonesTask.TaskName, (await (await server.Http.GetAsync("/train/")).ObjectAsync())["request"]!["model"]!.GetValue<string>());
    }
}
