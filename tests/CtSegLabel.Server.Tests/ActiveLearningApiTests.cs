using System.Net;
using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Tests;

public class ActiveLearningApiTests
{
    [Fact]
    public async Task Next_sample_has_id_name_with_extension_and_path_and_is_recorded()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("b_case");
        await server.UploadCtAsync("a_case");
        var sample = await server.Client.NextSampleAsync("first");
        Assert.Equal("a_case", sample["id"]!.GetValue<string>());
        Assert.Equal("a_case.nii.gz", sample["name"]!.GetValue<string>());
        Assert.Equal(Path.Combine(server.Studies, "a_case.nii.gz"), sample["path"]!.GetValue<string>());
        Assert.False(sample.ContainsKey("checksum"));

        var record = (await server.Client.DatastoreAsync())["objects"]!["a_case"]!["image"]!["info"]!["strategy"]!["first"]!;
        Assert.Equal("user-xyz", record["client_id"]!.GetValue<string>());
        Assert.True(record["ts"]!.GetValue<long>() > 1_700_000_000);
    }

    [Fact]
    public async Task Random_offers_only_unlabeled_images_then_nothing()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("a");
        await server.UploadCtAsync("b");
        await server.SubmitLabelsAsync("a");
        for (int n = 0; n < 5; n++)
        {
            var sample = await server.Client.NextSampleAsync("random");
            Assert.Equal("b", sample["id"]!.GetValue<string>());
            Assert.True(sample["weight"]!.GetValue<long>() >= 1);
        }
        await server.SubmitLabelsAsync("b");
        Assert.Empty(await server.Client.NextSampleAsync("random"));
    }

    [Fact]
    public async Task Label_tag_in_the_request_changes_what_counts_as_labeled()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("a");
        await server.SubmitLabelsAsync("a", tag: "original");
        Assert.Empty(await server.Client.NextSampleAsync("first", new JsonObject { ["label_tag"] = "original" }));
        Assert.Equal("a", (await server.Client.NextSampleAsync("first"))["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Unknown_strategy_is_404_naming_it_and_bad_bodies_are_422()
    {
        await using var server = new ServerHarness();
        Assert.Contains("nope", await (await server.Http.PostAsync("/activelearning/nope", Http.JsonBody("{}"))).AssertDetailAsync(HttpStatusCode.NotFound));
        await (await server.Http.PostAsync("/activelearning/random", Http.JsonBody("{not json"))).AssertValidationErrorAsync("body", "body");
        await (await server.Http.PostAsync("/activelearning/random", Http.JsonBody("[1]"))).AssertValidationErrorAsync("body", "body");
        await (await server.Http.PostAsync("/activelearning/random", Http.JsonBody("{\"label_tag\": \"../x\"}"))).AssertValidationErrorAsync("body", "label_tag");
        // No body at all is fine: {} — nothing to offer in an empty datastore.
        Assert.Empty(await (await server.Http.PostAsync("/activelearning/random", null)).ObjectAsync());
    }
}
