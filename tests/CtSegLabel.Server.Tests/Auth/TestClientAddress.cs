using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CtSegLabel.Server.Tests.Auth;

/// <summary>The in-memory test server has no sockets: this sets the client address from the test header
/// <c>X-Test-Client</c> (default 127.0.0.1), so tests can speak as different machines.</summary>
public sealed class TestClientAddress : IStartupFilter
{
    public const string Header = "X-Test-Client";

    public static void Add(IServiceCollection services) => services.AddSingleton<IStartupFilter, TestClientAddress>();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            context.Connection.RemoteIpAddress = IPAddress.Parse(context.Request.Headers[Header].FirstOrDefault() ?? "127.0.0.1");
            return nextMiddleware(context);
        });
        next(app);
    };
}
