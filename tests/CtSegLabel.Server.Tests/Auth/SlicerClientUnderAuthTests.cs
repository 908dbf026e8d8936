using System.Net;
using System.Text.Json.Nodes;
using CtSegLabel.PluginAdapter.Client;

namespace CtSegLabel.Server.Tests.Auth;

/// <summary>One annotate cycle as the Slicer extension makes it with authentication on: log in through the server,
/// a token on every call, the next-sample image downloaded without one.</summary>
public sealed class SlicerClientUnderAuthTests
{
    [Fact]
    public async Task An_annotator_completes_next_sample_infer_submit_with_the_slicer_client()
    {
        await using var issuer = await FakeIssuer.StartAsync();
        issuer.Users["ann"] = ("s3cret", ["monailabel-user", "monailabel-annotator"]);
        issuer.Users["admin"] = ("root", ["monailabel-user", "monailabel-annotator", "monailabel-admin"]);
        await using var server = issuer.Server();

        var admin = new MonaiLabelClient(server.Http);
        Assert.True(await admin.AuthenticateAsync("admin", "root"));
        string ctFile = TestVolumes.WriteCt(server.Scratch, "upload.nii.gz");
        await admin.UploadImageAsync(ctFile, "ct_cycle");

        var client = new MonaiLabelClient(server.Http);
        // Without logging in the extension's calls fail as 401.
        var refused = await Assert.ThrowsAsync<MonaiLabelClientException>(() => client.InfoAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);

        Assert.True(await client.AuthenticateAsync("ann", "s3cret"));
        string token = client.AccessToken!;
        var info = await client.InfoAsync();
        Assert.Contains("threshold_bones", info.Models.Keys);
        Assert.True(await client.AuthenticateAsync("ann", "s3cret")); // next operation: the token is still valid
        Assert.Equal(token, client.AccessToken);
        Assert.Single(issuer.TokenRequests, f => f["username"] == "ann");

        var sample = await client.NextSampleAsync("random");
        Assert.Equal("ct_cycle", sample["id"]!.GetValue<string>());
        var image = await client.DownloadImageAsync("ct_cycle"); // no Authorization header, as SampleData
        Assert.Equal(File.ReadAllBytes(Path.Combine(server.Studies, "ct_cycle.nii.gz")), image.Content);

        var result = await client.InferAsync("threshold_bones", "ct_cycle");
        Assert.NotEmpty(result.File);
        string label = Path.Combine(server.Scratch, "label.nii.gz");
        await File.WriteAllBytesAsync(label, result.File);
        var saved = await client.SaveLabelAsync("ct_cycle", label, parameters: new JsonObject { ["label_info"] = new JsonArray() });
        Assert.Equal("ct_cycle", saved["image"]!.GetValue<string>());
        Assert.False(await client.TrainIsRunningAsync());

        var datastore = await client.DatastoreAsync();
        Assert.Equal("ann", datastore["objects"]!["ct_cycle"]!["labels"]!["final"]!["info"]!["user"]!.GetValue<string>());

        // An annotator may not start training (admin), as the server says in MONAI Label's words.
        var train = await Assert.ThrowsAsync<MonaiLabelClientException>(() => client.TrainStartAsync("threshold_bones"));
        Assert.Equal(HttpStatusCode.Forbidden, train.Status);
        Assert.Equal("Role \"monailabel-admin\" is required to perform this action", JsonNode.Parse(train.Body)!["detail"]!.GetValue<string>());
    }
}
