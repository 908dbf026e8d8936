using System.Net;
using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Tests;

public class InfoApiTests
{
    [Fact]
    public async Task Info_has_every_key_Slicer_reads_and_no_top_level_config()
    {
        await using var server = new ServerHarness();
        var info = await (await server.Http.GetAsync("/info/")).ObjectAsync();

        foreach (string key in new[] { "name", "description", "version", "labels", "models", "trainers", "strategies", "scoring", "train_stats", "datastore" })
            Assert.True(info.ContainsKey(key), $"missing {key}");
        Assert.False(info.ContainsKey("config"));
        Assert.Equal(["bone", "lung"], info["labels"]!.AsArray().Select(n => n!.GetValue<string>()));

        var model = info["models"]!["threshold_bones"]!.AsObject();
        Assert.Equal("segmentation", model["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(model["description"]!.GetValue<string>()));
        Assert.Equal(1, model["labels"]!["bone"]!.GetValue<int>());
        Assert.Equal(2, model["labels"]!["lung"]!.GetValue<int>());
        Assert.Equal(3, model["dimension"]!.GetValue<int>());
        Assert.Equal("cpu", model["config"]!["device"]![0]!.GetValue<string>());

        Assert.Equal(40, info["trainers"]!["threshold_bones"]!["config"]!["max_epochs"]!.GetValue<int>());
        Assert.Equal(["random", "first"], info["strategies"]!.AsObject().Select(p => p.Key));
        Assert.True(info["scoring"]!.AsObject().ContainsKey("dice"));
        Assert.Empty(info["train_stats"]!["threshold_bones"]!.AsObject()); // before the first training
        Assert.Equal(0, info["datastore"]!["total"]!.GetValue<int>());
    }

    [Fact]
    public async Task Info_answers_both_spellings_without_redirect()
    {
        await using var server = new ServerHarness();
        var withSlash = await server.Http.GetAsync("/info/");
        var without = await server.Http.GetAsync("/info");
        Assert.Equal(HttpStatusCode.OK, withSlash.StatusCode);
        Assert.Equal(HttpStatusCode.OK, without.StatusCode);
        Assert.Equal(await withSlash.Content.ReadAsStringAsync(), await without.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Default_app_is_the_ct_app_with_both_networks_their_trainers_strategies_and_scoring()
    {
        await using var server = new ServerHarness(testApp: false);
        var info = await (await server.Http.GetAsync("/info/")).ObjectAsync();
        Assert.Equal(["swinunetr_v2", "slice_transformer"], info["models"]!.AsObject().Select(m => m.Key));
        foreach (var (_, model) in info["models"]!.AsObject())
        {
            Assert.Equal("segmentation", model!["type"]!.GetValue<string>());
            Assert.Equal(3, model["dimension"]!.GetValue<int>());
            var labels = model["labels"]!.AsObject();
            Assert.Equal(Enumerable.Range(1, labels.Count), labels.Select(l => l.Value!.GetValue<int>()));
            Assert.Equal(20, labels["liver"]!.GetValue<int>());
            Assert.True(labels.ContainsKey("vertebra_L1"));
            var config = model["config"]!.AsObject();
            Assert.Equal(["connected_components", "clustering"], config["ribs"]!.AsArray().Select(c => c!.GetValue<string>()));
            Assert.Equal(["fp32", "mixed", "bf16"], config["precision"]!.AsArray().Select(c => c!.GetValue<string>()));
            Assert.Equal("", config["roi_subset"]!.GetValue<string>());
            Assert.True(config["statistics"]!.GetValue<bool>());
        }
        Assert.Contains("liver", info["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        // Each model is its own trainer, with the fine-tuning recipe as the options Slicer shows.
        var trainers = info["trainers"]!.AsObject();
        Assert.Equal(["swinunetr_v2", "slice_transformer"], trainers.Select(t => t.Key));
        var train = trainers["swinunetr_v2"]!["config"]!.AsObject();
        Assert.Equal(2e-4, train["learning_rate"]!.GetValue<double>());
        Assert.Equal(72, train["gradient_accumulation"]!.GetValue<int>());
        Assert.Equal(-1, train["early_stop_patience"]!.GetValue<int>());
        Assert.True(info["strategies"]!.AsObject().ContainsKey("random"));
        Assert.True(info["strategies"]!.AsObject().ContainsKey("first"));
        Assert.True(info["scoring"]!.AsObject().ContainsKey("dice"));
        Assert.Null(info["config"]);

        var infer = await server.Http.PostAsync("/infer/threshold_bones?image=x", new MultipartFormDataContent { { new StringContent("{}"), "params" } });
        Assert.Contains("threshold_bones", await infer.AssertDetailAsync(HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task Info_counts_images_and_final_labels()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("a");
        await server.UploadCtAsync("b");
        await server.SubmitLabelsAsync("a");
        var info = await server.Client.InfoAsync();
        Assert.Equal(2, info.Datastore.Total);
        Assert.Equal(1, info.Datastore.Completed);
        Assert.Equal(1, info.Datastore.LabelTags["final"]);
    }
}
