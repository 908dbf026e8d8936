using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Tests;

public class PhantomSeedingTests
{
    private static readonly Dictionary<string, string?> SeedTwoSmall = new()
    {
        ["Server:SeedPhantoms"] = "2",
        ["Server:SeedPhantomSize"] = "40",
    };

    [Fact]
    public async Task Empty_studies_folder_is_seeded_with_unlabeled_phantoms_that_Slicer_can_fetch()
    {
        await using var server = new ServerHarness(settings: SeedTwoSmall);
        var stats = await (await server.Http.GetAsync("/datastore/")).ObjectAsync();
        Assert.Equal(2, stats["total"]!.GetValue<int>());
        Assert.Equal(0, stats["completed"]!.GetValue<int>());

        var sample = await (await server.Http.PostAsync("/activelearning/first", JsonContent("{}"))).ObjectAsync();
        Assert.Equal("phantom_0000", sample["id"]!.GetValue<string>());
        Assert.Equal("phantom_0000.nii.gz", sample["name"]!.GetValue<string>());
        var download = await server.Http.GetAsync("/datastore/image?image=phantom_0000");
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(new byte[] { 0x1f, 0x8b }, bytes[..2]); // a gzipped NIfTI
        Assert.True(File.Exists(Path.Combine(server.Studies, "classes.json")));
    }

    [Fact]
    public async Task A_folder_that_already_has_images_is_left_alone()
    {
        await using var server = new ServerHarness(settings: SeedTwoSmall,
            beforeStart: studies => TestVolumes.WriteCt(studies, "mine.nii.gz"));
        var all = await (await server.Http.GetAsync("/datastore/?output=all")).ObjectAsync();
        Assert.Equal(["mine"], all["objects"]!.AsObject().Select(p => p.Key));
        Assert.False(File.Exists(Path.Combine(server.Studies, "phantom_0000.nii.gz")));
    }

    private static StringContent JsonContent(string json) => new(json, System.Text.Encoding.UTF8, "application/json");
}
