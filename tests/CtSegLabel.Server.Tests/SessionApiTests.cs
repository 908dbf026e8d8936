using System.Net;
using CtSegLabel.PluginAdapter.Client;
using CtSegLabel.Server.Sessions;
using Microsoft.Extensions.DependencyInjection;

namespace CtSegLabel.Server.Tests;

public class SessionApiTests
{
    [Fact]
    public async Task Create_get_image_delete()
    {
        await using var server = new ServerHarness();
        string ct = TestVolumes.WriteCt(server.Scratch, "local.nii.gz");
        var created = await server.Client.CreateSessionAsync(ct);
        Assert.Equal(created.SessionId, created.SessionInfo.Name);
        Assert.Equal(3600, created.SessionInfo.Expiry);
        Assert.Equal(await File.ReadAllBytesAsync(ct), await File.ReadAllBytesAsync(created.SessionInfo.Image));

        var info = await server.Client.GetSessionAsync(created.SessionId);
        Assert.Equal(created.SessionInfo.Image, info.Image);
        var image = await server.Http.GetAsync($"/session/{created.SessionId}?image=true");
        Assert.Equal(await File.ReadAllBytesAsync(ct), await image.Content.ReadAsByteArrayAsync());

        Assert.NotNull(await server.Client.RemoveSessionAsync(created.SessionId));
        Assert.False(Directory.Exists(created.SessionInfo.Path));
        var gone = await Assert.ThrowsAsync<MonaiLabelClientException>(() => server.Client.GetSessionAsync(created.SessionId));
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Contains($"Session ({created.SessionId}) Not Found", gone.Body);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.DeleteAsync($"/session/{created.SessionId}")).StatusCode);
    }

    [Fact]
    public async Task Expired_sessions_are_gone_and_swept()
    {
        var clock = new ManualClock();
        await using var server = new ServerHarness(clock: clock);
        string ct = TestVolumes.WriteCt(server.Scratch, "local.nii.gz");
        using var form = new MultipartFormDataContent { { new ByteArrayContent(await File.ReadAllBytesAsync(ct)), "files", "local.nii.gz" } };
        var created = await (await server.Http.PutAsync("/session/?expiry=1", form)).ObjectAsync();
        string id = created["session_id"]!.GetValue<string>();
        Assert.Equal(1, created["session_info"]!["expiry"]!.GetValue<int>());
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync($"/session/{id}")).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.NotFound, (await server.Http.GetAsync($"/session/{id}")).StatusCode);
        Assert.Equal(0, server.Services.GetRequiredService<SessionStore>().Sweep());
        Assert.Empty(Directory.EnumerateDirectories(server.Sessions));
    }

    [Fact]
    public async Task Session_request_errors()
    {
        await using var server = new ServerHarness();
        using var wrongField = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "a.nii.gz" } };
        await (await server.Http.PutAsync("/session/", wrongField)).AssertValidationErrorAsync("body", "files");
        using var form = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "files", "a.nii.gz" } };
        await (await server.Http.PutAsync("/session/?expiry=-5", form)).AssertValidationErrorAsync("query", "expiry");
    }

    [Fact]
    public async Task Disabled_sessions_answer_406()
    {
        await using var server = new ServerHarness(settings: new Dictionary<string, string?> { ["Server:SessionsEnabled"] = "false" });
        using var form = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "files", "a.nii.gz" } };
        Assert.Equal("Session Feature is Not Enabled", await (await server.Http.PutAsync("/session/", form)).AssertDetailAsync(HttpStatusCode.NotAcceptable));
    }
}
