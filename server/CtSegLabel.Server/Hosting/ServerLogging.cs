using CtSegLabel.Server.Logs;
using Microsoft.Extensions.Options;
using Serilog;
using Serilog.Events;

namespace CtSegLabel.Server.Hosting;

public static class ServerLogging
{
    private const string Template = "[{Timestamp:yyyy-MM-dd HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>Serilog to the console and to a size-rolled <c>app.log</c> in the logs folder (what
    /// <c>GET /logs/</c> shows). A "Serilog" configuration section can override levels and sinks.</summary>
    public static WebApplicationBuilder AddServerLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog((services, log) =>
        {
            var options = services.GetRequiredService<IOptions<ServerOptions>>().Value;
            log.MinimumLevel.Information()
                .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                .ReadFrom.Configuration(builder.Configuration)
                .Enrich.FromLogContext()
                .WriteTo.File(Path.Combine(options.LogsPath, LogFiles.BaseName), outputTemplate: Template,
                    rollOnFileSizeLimit: true, fileSizeLimitBytes: 20L << 20, retainedFileCountLimit: 10);
            if (options.LogToConsole) log.WriteTo.Console(outputTemplate: Template);
        }, preserveStaticLogger: true); // each host its own logger: no process-wide Log.Logger to trample
        return builder;
    }

    /// <summary>One line per request, at Debug for successes (a 5 s training monitor would flood the
    /// log otherwise), Warning for client errors, Error for server errors.</summary>
    public static IApplicationBuilder UseServerRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(o => o.GetLevel = (context, _, error) =>
            error is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
            : context.Response.StatusCode >= 400 ? LogEventLevel.Warning
            : LogEventLevel.Debug);
}
