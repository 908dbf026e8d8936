using System.Net;
using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Tests.Auth;

/// <summary>The tokenless next-sample download Slicer makes (protocol §7.1), allowed by a short grant only.</summary>
public sealed class SampleDownloadGrantTests
{
    private static async Task<string> NextSampleAsync(ServerHarness server, string token)
    {
        var answer = await (await server.SendAsync(HttpMethod.Post, "/activelearning/random", token, Http.JsonBody("{\"client_id\": \"user-xyz\"}"))).ObjectAsync();
        return answer["id"]!.GetValue<string>();
    }

    private static Task<HttpResponseMessage> DownloadAsync(ServerHarness server, string image, string client = "127.0.0.1")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/datastore/image?image={image}");
        request.Headers.Add(TestClientAddress.Header, client);
        return server.Http.SendAsync(request);
    }

    private static async Task<ServerHarness> ServerWithImagesAsync(TokenMinter minter, ManualClock clock)
    {
        var server = AuthServers.WithKeysFile(minter, clock);
        server.Client.AccessToken = minter.Token("adam", AuthServers.AllRoles);
        await server.UploadCtAsync("ct_a");
        await server.UploadCtAsync("ct_b");
        server.Client.AccessToken = null;
        return server;
    }

    [Fact]
    public async Task Right_after_next_sample_the_chosen_image_downloads_without_a_token_from_the_same_address_only()
    {
        var clock = new ManualClock();
        using var minter = new TokenMinter { Clock = clock };
        await using var server = await ServerWithImagesAsync(minter, clock);
        string chosen = await NextSampleAsync(server, minter.Token("ulla", "monailabel-user"));
        string other = chosen == "ct_a" ? "ct_b" : "ct_a";

        var download = await DownloadAsync(server, chosen);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(File.ReadAllBytes(Path.Combine(server.Studies, chosen + ".nii.gz")), await download.Content.ReadAsByteArrayAsync());

        await (await DownloadAsync(server, other)).AssertUnauthorizedAsync("Not authenticated");
        await (await DownloadAsync(server, chosen, client: "10.1.2.3")).AssertUnauthorizedAsync("Not authenticated");
        // The grant covers GET only: the HEAD check, the info and the label still need the token.
        using var head = new HttpRequestMessage(HttpMethod.Head, $"/datastore/image?image={chosen}");
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Http.SendAsync(head)).StatusCode);
        await (await server.Http.GetAsync($"/datastore/image/info?image={chosen}")).AssertUnauthorizedAsync("Not authenticated");
    }

    [Fact]
    public async Task A_grant_allows_three_downloads_and_expires_after_the_configured_seconds()
    {
        var clock = new ManualClock();
        using var minter = new TokenMinter { Clock = clock };
        await using var server = await ServerWithImagesAsync(minter, clock);
        string chosen = await NextSampleAsync(server, minter.Token("ulla", "monailabel-user"));
        for (int i = 0; i < 3; i++) Assert.Equal(HttpStatusCode.OK, (await DownloadAsync(server, chosen)).StatusCode);
        await (await DownloadAsync(server, chosen)).AssertUnauthorizedAsync("Not authenticated");

        chosen = await NextSampleAsync(server, minter.Token("ulla", "monailabel-user"));
        clock.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(HttpStatusCode.OK, (await DownloadAsync(server, chosen)).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(2));
        await (await DownloadAsync(server, chosen)).AssertUnauthorizedAsync("Not authenticated");
    }

    [Fact]
    public async Task With_the_grant_disabled_every_tokenless_download_is_401()
    {
        var clock = new ManualClock();
        using var minter = new TokenMinter { Clock = clock };
        var server = AuthServers.WithKeysFile(minter, clock, new Dictionary<string, string?> { ["Server:Auth:SampleDownloadSeconds"] = "0" });
        await using var _ = server;
        server.Client.AccessToken = minter.Token("adam", AuthServers.AllRoles);
        await server.UploadCtAsync("ct_a");
        string chosen = await NextSampleAsync(server, minter.Token("ulla", "monailabel-user"));
        await (await DownloadAsync(server, chosen)).AssertUnauthorizedAsync("Not authenticated");
        Assert.Equal(HttpStatusCode.OK, (await server.SendAsync(HttpMethod.Get, $"/datastore/image?image={chosen}", minter.Token("ulla", "monailabel-user"))).StatusCode);
    }
}
