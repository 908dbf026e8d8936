using System.Net;
using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Tests;

public class ScoringAndBatchApiTests
{
    [Fact]
    public async Task Dice_scoring_compares_original_with_final_and_records_it()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("a");
        await server.UploadCtAsync("b");
        await server.SubmitLabelsAsync("a");
        // The model's output for "a" equals the submitted label: Dice 1.
        var p = new JsonObject { ["save_label"] = true, ["result_extension"] = ".nii.gz" };
        await server.Client.InferAsync("threshold_bones", "a", p);

        var task = await (await server.Http.PostAsync("/scoring/dice", Http.JsonBody("{}"))).ObjectAsync();
        Assert.Equal("dice", task["request"]!["method"]!.GetValue<string>());
        var done = await TrainApiTests.WaitForEndAsync(server, "/scoring/");
        Assert.Equal("DONE", done["status"]!.GetValue<string>());
        Assert.Equal(1.0, done["result"]!["a"]!.GetValue<double>(), 6);
        Assert.False(done["result"]!.AsObject().ContainsKey("b"));

        var dice = (await server.Client.DatastoreAsync())["objects"]!["a"]!["image"]!["info"]!["dice"]!;
        Assert.Equal(1.0, dice["mean"]!.GetValue<double>(), 6);
        Assert.Equal(1.0, dice["labels"]!["2"]!.GetValue<double>(), 6);
    }

    [Fact]
    public async Task Scoring_errors_and_idle_answers()
    {
        await using var server = new ServerHarness();
        await (await server.Http.GetAsync("/scoring/")).AssertDetailAsync(HttpStatusCode.NotFound);
        await (await server.Http.GetAsync("/scoring/?check_if_running=true")).AssertDetailAsync(HttpStatusCode.NotFound);
        Assert.Null(await (await server.Http.DeleteAsync("/scoring/")).JsonAsync());
        Assert.Contains("nope", await (await server.Http.PostAsync("/scoring/nope", Http.JsonBody("{}"))).AssertDetailAsync(HttpStatusCode.NotFound));
        var sync = await (await server.Http.PostAsync("/scoring/dice?run_sync=true", Http.JsonBody("{}"))).ObjectAsync();
        Assert.Empty(sync); // nothing has both labels
    }

    [Fact]
    public async Task Batch_infer_labels_the_unlabeled_images_as_original()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("a");
        await server.UploadCtAsync("b");
        await server.SubmitLabelsAsync("a");
        var task = await (await server.Http.PostAsync("/batch/infer/threshold_bones?images=unlabeled", Http.JsonBody("{}"))).ObjectAsync();
        Assert.Equal("unlabeled", task["request"]!["images"]!.GetValue<string>());
        var done = await TrainApiTests.WaitForEndAsync(server, "/batch/infer");
        Assert.Equal("DONE", done["status"]!.GetValue<string>());
        Assert.Equal(1, done["result"]!["done"]!.GetValue<int>());

        var objects = (await server.Client.DatastoreAsync())["objects"]!;
        Assert.True(objects["b"]!["labels"]!.AsObject().ContainsKey("original"));
        Assert.False(objects["a"]!["labels"]!.AsObject().ContainsKey("original"));
        Assert.True(File.Exists(Path.Combine(server.Studies, "labels", "original", "b.nii.gz")));
    }

    [Fact]
    public async Task Batch_infer_errors_and_idle_answers()
    {
        await using var server = new ServerHarness();
        await (await server.Http.GetAsync("/batch/infer")).AssertDetailAsync(HttpStatusCode.NotFound);
        Assert.Null(await (await server.Http.DeleteAsync("/batch/infer")).JsonAsync());
        Assert.Contains("nope", await (await server.Http.PostAsync("/batch/infer/nope", Http.JsonBody("{}"))).AssertDetailAsync(HttpStatusCode.NotFound));
        await (await server.Http.PostAsync("/batch/infer/threshold_bones?images=some", Http.JsonBody("{}"))).AssertValidationErrorAsync("query", "images");
    }
}
