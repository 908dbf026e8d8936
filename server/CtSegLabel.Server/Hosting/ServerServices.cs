using CtSegLabel.AppContract;
using CtSegLabel.Server.Auth;
using CtSegLabel.Server.Compute;
using CtSegLabel.Server.Datastore;
using CtSegLabel.Server.Inference;
using CtSegLabel.Server.Logs;
using CtSegLabel.Server.Sessions;
using CtSegLabel.Server.Tasks;
using CtSegLabel.Server.Validation;
using CtSegLabel.Server.Validation.Requests;
using FluentValidation;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace CtSegLabel.Server.Hosting;

public static class ServerServices
{
    /// <summary>Registers authentication, the datastore, the app, the task runners, the compute broker and workers, inference, sessions, logs, validators,
    /// JSON settings and the OpenAPI document.</summary>
    public static IServiceCollection AddCtSegLabelServer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ServerOptions>().Bind(configuration.GetSection(ServerOptions.Section));
        services.AddSingleton(TimeProvider.System);
        services.AddServerAuth(configuration); // first: its start-up check runs before the other hosted services start
        services.AddSingleton(sp => new FileNameRules(Options(sp).EffectiveImageExtensions));
        services.AddOptions<DatastoreOptions>().Bind(configuration.GetSection(ServerOptions.Section));
        services.AddSingleton(sp => new LocalDatastore(Options(sp).StudiesPath, sp.GetRequiredService<FileNameRules>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<LocalDatastore>>(),
            sp.GetRequiredService<IOptions<DatastoreOptions>>().Value));
        services.AddSingleton<IDatastoreView>(sp => sp.GetRequiredService<LocalDatastore>());
        services.AddSingleton(sp => AppLoader.Load(Options(sp), sp.GetRequiredService<ILoggerFactory>().CreateLogger("CtSegLabel.Server.App")));
        services.AddSingleton<TaskRunners>();
        services.AddSingleton<ComputeHost>();
        services.AddHostedService(sp => sp.GetRequiredService<ComputeHost>());
        services.AddSingleton<InferenceService>();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<LabelGridCheck>();
        services.AddSingleton<UploadedVolumes>();
        services.AddSingleton(sp => new LogFiles(Options(sp).LogsPath));
        services.AddHostedService<ServerStartup>();
        services.AddHostedService<AutoTrainer>();
        services.AddHostedService<SessionSweeper>();

        services.AddValidatorsFromAssemblyContaining<DatastoreQueryValidator>(ServiceLifetime.Singleton);
        // Through the options (not ConfigureKestrel in Program): the settings then come from the final configuration,
        // whoever builds the host (the command line, a test's WebApplicationFactory).
        services.AddOptions<KestrelServerOptions>().Configure<IOptions<ServerOptions>>((kestrel, server) => KestrelLimits.Apply(kestrel.Limits, server.Value));
        services.AddOptions<FormOptions>().Configure<IOptions<ServerOptions>>((form, server) => FormLimits.Apply(form, server.Value));
        services.ConfigureHttpJsonOptions(json => WireJson.Configure(json.SerializerOptions));
        services.AddCors();
        services.AddOpenApi(openapi => openapi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CtSegLabel server (MONAI Label REST protocol)";
            document.Info.Description = "The routes 3D Slicer's MONAI Label module and the monailabel client use, at MONAI Label's paths.";
            var paths = new Microsoft.OpenApi.OpenApiPaths();
            foreach (var (path, item) in document.Paths)
                paths.Add(Routes.MonaiLabelRoutes.DeclaredWithSlash.Contains(path) ? path + "/" : path, item);
            document.Paths = paths;
            return Task.CompletedTask;
        }));
        return services;
    }

    private static ServerOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<ServerOptions>>().Value;
}
