using System.Net;
using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Tests.Auth;

/// <summary>The datastore records who did what: the token's user with auth on, "admin" with it off.</summary>
public sealed class RecordedUserTests
{
    private static JsonNode Objects(ServerHarness server) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(server.Studies, "datastore_v2.json")))!["objects"]!;

    [Fact]
    public async Task Labels_and_images_record_the_token_user_in_datastore_v2_json()
    {
        using var minter = new TokenMinter();
        await using var server = AuthServers.WithKeysFile(minter);
        server.Client.AccessToken = minter.Token("radiologist.ann", "monailabel-user", "monailabel-annotator");
        await server.UploadCtAsync("ct_1");
        await server.SubmitLabelsAsync("ct_1");

        var ct = Objects(server)["ct_1"]!;
        Assert.Equal("radiologist.ann", ct["image"]!["info"]!["user"]!.GetValue<string>());
        Assert.Equal("radiologist.ann", ct["labels"]!["final"]!["info"]!["user"]!.GetValue<string>());

        using var form = new MultipartFormDataContent { { new StringContent("{\"status\": \"reviewed\"}"), "info" } };
        var update = await server.SendAsync(HttpMethod.Put, "/datastore/label/info?label=ct_1&tag=final", minter.Token("dr.bob", "monailabel-annotator"), form);
        Assert.Equal(HttpStatusCode.OK, update.StatusCode);
        Assert.Equal("dr.bob", Objects(server)["ct_1"]!["labels"]!["final"]!["info"]!["user"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_auth_off_the_user_is_admin_and_tokens_are_ignored()
    {
        await using var server = new ServerHarness();
        server.Client.AccessToken = "not-even-a-jwt";
        await server.UploadCtAsync("ct_1");
        await server.SubmitLabelsAsync("ct_1");
        Assert.Equal("admin", Objects(server)["ct_1"]!["labels"]!["final"]!["info"]!["user"]!.GetValue<string>());
    }
}
