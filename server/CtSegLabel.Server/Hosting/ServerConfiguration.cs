namespace CtSegLabel.Server.Hosting;

public static class ServerConfiguration
{
    /// <summary>Adds the command-line switches (over appsettings.json and environment variables) and
    /// listens on the configured host and port.</summary>
    public static WebApplicationBuilder AddServerConfiguration(this WebApplicationBuilder builder, string[] args)
    {
        builder.Configuration.AddCommandLine(args, new Dictionary<string, string>(CommandLine.SwitchMappings));
        var options = builder.Configuration.GetSection(ServerOptions.Section).Get<ServerOptions>() ?? new ServerOptions();
        builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
        });
        return builder;
    }
}
