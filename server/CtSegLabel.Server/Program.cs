using CtSegLabel.Server.Hosting;

// The MONAI Label–compatible server. Run:
//   dotnet run --project server/CtSegLabel.Server -- --studies DIR [--host 127.0.0.1] [--port 8000] [--app APP.dll] [--models DIR]
// Settings also come from appsettings.json (section "Server") and environment variables (Server__Studies=...).
if (CommandLine.WantsHelp(args))
{
    Console.WriteLine(CommandLine.Help);
    return 0;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServerConfiguration(args);
builder.AddServerLogging();
builder.Services.AddCtSegLabelServer(builder.Configuration);

var app = builder.Build();
app.UseServerPipeline();
app.MapServerEndpoints();
try
{
    app.Run();
    return 0;
}
catch (StartupException e)
{
    Console.Error.WriteLine($"CtSegLabel server: {e.Message}");
    return 2;
}

/// <summary>The entry point, visible to the functional tests' WebApplicationFactory.</summary>
public partial class Program;
