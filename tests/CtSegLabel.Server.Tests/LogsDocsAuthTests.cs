using System.Net;
using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Tests;

public class LogsDocsAuthTests
{
    [Fact]
    public async Task Logs_page_text_tail_and_device_facts()
    {
        await using var server = new ServerHarness();
        await server.Http.GetAsync("/info/");
        var page = await server.Http.GetAsync("/logs/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType!.MediaType);
        Assert.Contains("?text=true&lines=300", await page.Content.ReadAsStringAsync());

        var text = await server.Http.GetAsync("/logs/?text=true&lines=2");
        Assert.Equal("text/plain", text.Content.Headers.ContentType!.MediaType);
        string tail = await text.Content.ReadAsStringAsync();
        Assert.Equal(2, tail.TrimEnd('\n').Split('\n').Length);
        string whole = await (await server.Http.GetAsync("/logs/?html=false&lines=0")).Content.ReadAsStringAsync();
        Assert.Contains("Datastore", whole);
        // Background work (the compute workers joining the broker) may append a line between the two reads.
        Assert.Contains(tail, whole);

        await (await server.Http.GetAsync("/logs/?lines=many")).AssertValidationErrorAsync("query", "lines");

        var gpu = await server.Http.GetAsync("/logs/gpu");
        Assert.Equal(HttpStatusCode.OK, gpu.StatusCode);
        Assert.Equal("text/plain", gpu.Content.Headers.ContentType!.MediaType);
        string facts = await gpu.Content.ReadAsStringAsync();
        Assert.True(facts.Contains("CPU-only", StringComparison.Ordinal) || facts.Contains("NVIDIA-SMI", StringComparison.Ordinal), facts);
    }

    [Fact]
    public async Task Auth_is_disabled_the_way_clients_expect()
    {
        await using var server = new ServerHarness();
        Assert.False(await server.Client.AuthEnabledAsync());
        var auth = await (await server.Http.GetAsync("/auth/")).ObjectAsync();
        Assert.False(auth["enabled"]!.GetValue<bool>());
        var valid = await (await server.Http.GetAsync("/auth/token/valid")).ObjectAsync();
        Assert.Equal("admin", valid["username"]!.GetValue<string>());
        Assert.Contains("monailabel-admin", valid["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        using var form = new FormUrlEncodedContent([new("username", "u"), new("password", "p"), new("grant_type", "password")]);
        await (await server.Http.PostAsync("/auth/token", form)).AssertDetailAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task OpenApi_document_at_both_paths_and_docs_page()
    {
        await using var server = new ServerHarness();
        foreach (string path in new[] { "/openapi.json", "/openapi/v1.json" })
        {
            var doc = JsonNode.Parse(await (await server.Http.GetAsync(path)).Content.ReadAsStringAsync())!;
            var paths = doc["paths"]!.AsObject();
            foreach (string route in new[] { "/info/", "/infer/{model}", "/datastore/label", "/datastore/", "/train/", "/train/{model}", "/activelearning/{strategy}", "/session/", "/logs/", "/model/info/{model}", "/batch/infer" })
                Assert.True(paths.ContainsKey(route), $"{path} lacks {route}");
        }
        var docs = await server.Http.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType!.MediaType);
        var landing = await server.Http.GetAsync("/");
        Assert.Contains("/docs", await landing.Content.ReadAsStringAsync());
        Assert.Empty(await (await server.Http.PostAsync("/reload", null)).ObjectAsync());
    }
}
