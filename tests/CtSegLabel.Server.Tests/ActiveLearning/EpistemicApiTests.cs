using System.Text.Json.Nodes;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Server.Tests.ActiveLearning;

/// <summary>Epistemic active learning through the real server running the CT app, as a client drives it: a tiny
/// checkpoint, phantom CTs uploaded, the scoring started and polled, the scores read from the datastore listing, the
/// next sample asked for.</summary>
public class EpistemicApiTests
{
    private static async Task UploadPhantomAsync(ServerHarness server, string id, int seed, RangeKind range)
    {
        var phantom = PhantomGenerator.Generate(seed, 0, new PhantomOptions
        {
            Size = 48, Slices = 20, Range = range, Orientation = PhantomOrientation.Lps, Spacing = new Vec3(10, 10, 3.0),
        });
        string file = Path.Combine(server.Scratch, $"{id}.nii.gz");
        NiftiFile.Write(file, phantom.Ct);
        await server.Client.UploadImageAsync(file, id);
    }

    private static async Task<JsonObject> WaitForScoringAsync(ServerHarness server)
    {
        // Generous: the CI machine runs the suites side by side on two cores.
        for (int n = 0; n < 1200; n++)
        {
            var task = await (await server.Http.GetAsync("/scoring/")).ObjectAsync();
            if (task["status"]!.GetValue<string>() is "DONE" or "ERROR" or "STOPPED") return task;
            await Task.Delay(100);
        }
        throw new TimeoutException("/scoring/ did not end in 2 minutes");
    }

    [Fact]
    public async Task Scoring_stores_uncertainties_in_the_datastore_and_the_strategy_hands_out_the_most_uncertain_image()
    {
        await using var server = new ServerHarness(testApp: false);
        await UploadPhantomAsync(server, "chest", 1, RangeKind.Thorax);
        await UploadPhantomAsync(server, "pelvis", 2, RangeKind.AbdomenPelvis);
        await server.UploadCtAsync("done");
        await server.SubmitLabelsAsync("done");
        CtAppInferTests.ModelInit(Path.Combine(server.Models, "swinunetr_v2", "v1.ctseg"));

        var info = await server.Client.InfoAsync();
        Assert.Equal(["dice", "sum", "epistemic"], info.Scoring.Keys);
        Assert.Equal(["random", "first", "epistemic"], info.Strategies.Keys);

        var started = await (await server.Http.PostAsync("/scoring/epistemic", Http.JsonBody("""{"simulation_size": 2, "max_windows": 1}"""))).ObjectAsync();
        Assert.Equal("epistemic", started["request"]!["method"]!.GetValue<string>());
        Assert.Equal("swinunetr_v2", started["request"]!["model"]!.GetValue<string>()); // the config's first choice
        var done = await WaitForScoringAsync(server);
        Assert.True(done["status"]!.GetValue<string>() == "DONE", done.ToJsonString());
        Assert.Equal(2, done["result"]!["executed"]!.GetValue<int>());

        var objects = (await server.Client.DatastoreAsync())["objects"]!;
        double chest = objects["chest"]!["image"]!["info"]!["epistemic_entropy"]!.GetValue<double>();
        double pelvis = objects["pelvis"]!["image"]!["info"]!["epistemic_entropy"]!.GetValue<double>();
        Assert.NotEqual(chest, pelvis);
        Assert.Equal("v1.ctseg", objects["chest"]!["image"]!["info"]!["epistemic"]!["checkpoint"]!.GetValue<string>());
        Assert.False(objects["done"]!["image"]!["info"]!.AsObject().ContainsKey("epistemic_entropy"));

        string most = chest > pelvis ? "chest" : "pelvis", least = chest > pelvis ? "pelvis" : "chest";
        var sample = await server.Client.NextSampleAsync("epistemic");
        Assert.Equal(most, sample["id"]!.GetValue<string>());
        Assert.Equal(Math.Max(chest, pelvis), sample["epistemic_entropy"]!.GetValue<double>());
        Assert.Equal(1, sample["epistemic_rank"]!.GetValue<int>());
        // Handed out now, so the next annotator gets the other one.
        Assert.Equal(least, (await server.Client.NextSampleAsync("epistemic"))["id"]!.GetValue<string>());
    }
}
