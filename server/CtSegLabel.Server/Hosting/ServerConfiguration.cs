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
            k.Limits.MaxRequestBodySize = options.MaxUploadBytes;
            // The Python client can announce a body it never sends (section 9 of the protocol notes):
            // do not wait for it forever.
            k.Limits.MinRequestBodyDataRate = new(bytesPerSecond: 240, gracePeriod: TimeSpan.FromSeconds(10));
            k.AddServerHeader = false;
        });
        return builder;
    }
}
