using CtSegLabel.AppContract;
using CtSegLabel.PluginAdapter.Client;
using CtSegLabel.TestApp;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace CtSegLabel.Server.Tests;

/// <summary>
/// One in-memory server per test, on its own temporary studies/models/logs/sessions folders, running the
/// test app (HU thresholds) unless told to run the server's default, the CT app (on the CPU). Gives a raw HttpClient
/// (redirects NOT followed, like Slicer's http.client) and a <see cref="MonaiLabelClient"/>.
/// </summary>
public sealed class ServerHarness : IAsyncDisposable
{
    private readonly TestDir _root = new();
    private readonly WebApplicationFactory<Program> _factory;

    public ServerHarness(bool testApp = true, IDictionary<string, string?>? settings = null, Action<string>? beforeStart = null, TimeProvider? clock = null,
        Action<IServiceCollection>? services = null)
    {
        Studies = _root.Sub("studies");
        Models = _root.Sub("models");
        Logs = _root.Sub("logs");
        Sessions = _root.Sub("sessions");
        Scratch = _root.Sub("scratch");
        beforeStart?.Invoke(Studies);
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Server:Studies", Studies);
            b.UseSetting("Server:Models", Models);
            b.UseSetting("Server:Logs", Logs);
            b.UseSetting("Server:Sessions", Sessions);
            b.UseSetting("Server:LogToConsole", "false");
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) b.UseSetting(key, value);
            b.ConfigureTestServices(s =>
            {
                if (testApp) s.AddSingleton<ISegmentationApp>(new ThresholdApp(new AppEnvironment(Studies, Models)));
                if (clock is not null) s.AddSingleton(clock);
                services?.Invoke(s);
            });
        });
        Http = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        Client = new MonaiLabelClient(Http);
    }

    public string Studies { get; }
    public string Models { get; }
    public string Logs { get; }
    public string Sessions { get; }

    /// <summary>A folder for files the test writes before uploading (the "client machine").</summary>
    public string Scratch { get; }

    public HttpClient Http { get; }

    public MonaiLabelClient Client { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>Writes the test CT to the scratch folder and uploads it under <paramref name="id"/> as Slicer does.</summary>
    public async Task<string> UploadCtAsync(string id, Imaging.Volumes.Shape3? shape = null)
    {
        string file = TestVolumes.WriteCt(Scratch, $"tmp{Guid.NewGuid():N}.nii.gz", shape);
        await Client.UploadImageAsync(file, id);
        return file;
    }

    /// <summary>Submits the test CT's exact label map as the final label of <paramref name="id"/>.</summary>
    public async Task<string> SubmitLabelsAsync(string id, string? tag = null, Imaging.Volumes.Shape3? shape = null)
    {
        string file = TestVolumes.WriteLabels(Scratch, $"tmp{Guid.NewGuid():N}.nii.gz", shape);
        await Client.SaveLabelAsync(id, file, tag, new System.Text.Json.Nodes.JsonObject
        {
            ["label_info"] = new System.Text.Json.Nodes.JsonArray(
                new System.Text.Json.Nodes.JsonObject { ["name"] = "bone", ["idx"] = 1 },
                new System.Text.Json.Nodes.JsonObject { ["name"] = "lung", ["idx"] = 2 }),
        });
        return file;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _factory.DisposeAsync();
        _root.Dispose();
    }
}
