using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using CtSegLabel.AppContract;
using CtSegLabel.TestApp;

namespace CtSegLabel.Server.Tests.Limits;

/// <summary>The server on a real Kestrel socket (loopback, a free port): the in-memory test server has no connection
/// limits, and slow clients can only be tested on a socket.</summary>
public sealed class KestrelServerHarness : IAsyncDisposable
{
    private readonly TestDir _root = new();
    private readonly WebApplicationFactory<Program> _factory;

    public KestrelServerHarness(IDictionary<string, string?> settings)
    {
        string studies = _root.Sub("studies"), models = _root.Sub("models");
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseSetting("Server:Studies", studies);
            b.UseSetting("Server:Models", models);
            b.UseSetting("Server:Logs", _root.Sub("logs"));
            b.UseSetting("Server:Sessions", _root.Sub("sessions"));
            b.UseSetting("Server:LogToConsole", "false");
            foreach (var (key, value) in settings) b.UseSetting(key, value);
            b.ConfigureTestServices(s => s.AddSingleton<ISegmentationApp>(new ThresholdApp(new AppEnvironment(studies, models))));
        });
        _factory.UseKestrel(0);
        _factory.StartServer();
        string address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address);
    }

    public Uri BaseAddress { get; }

    public HttpClient NewClient() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async ValueTask DisposeAsync()
    {
        await _factory.DisposeAsync();
        _root.Dispose();
    }
}
