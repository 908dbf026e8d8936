namespace CtSegLabel.Server.Hosting;

/// <summary>The server's command-line switches, mapped onto <see cref="ServerOptions"/> keys.</summary>
public static class CommandLine
{
    public static readonly IReadOnlyDictionary<string, string> SwitchMappings = new Dictionary<string, string>
    {
        ["--studies"] = "Server:Studies",
        ["--host"] = "Server:Host",
        ["--port"] = "Server:Port",
        ["--app"] = "Server:App",
        ["--models"] = "Server:Models",
        ["--logs"] = "Server:Logs",
        ["--max-upload-bytes"] = "Server:MaxUploadBytes",
        ["--seed-phantoms"] = "Server:SeedPhantoms",
        ["--seed-phantom-size"] = "Server:SeedPhantomSize",
    };

    public const string Usage =
        "dotnet run --project server/CtSegLabel.Server -- --studies DIR [--host 127.0.0.1] [--port 8000] " +
        "[--app APP.dll] [--models DIR] [--logs DIR] [--max-upload-bytes N] [--seed-phantoms N] [--seed-phantom-size 512]";
}
