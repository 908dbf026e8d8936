using CtSegLabel.AppContract;
using CtSegLabel.Server.Datastore;
using Microsoft.Extensions.Options;

namespace CtSegLabel.Server.Hosting;

/// <summary>Builds the datastore and loads the app while the server starts, so a broken studies folder or
/// app fails the start with a clear message instead of the first request.</summary>
public sealed class ServerStartup(IServiceProvider services, IOptions<ServerOptions> options, ILogger<ServerStartup> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value;
        logger.LogInformation("Studies {Studies}, models {Models}, logs {Logs}", o.StudiesPath, o.ModelsPath, o.LogsPath);
        PhantomSeeder.SeedIfEmpty(o, services.GetRequiredService<FileNameRules>(), logger);
        services.GetRequiredService<LocalDatastore>();
        services.GetRequiredService<ISegmentationApp>();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
