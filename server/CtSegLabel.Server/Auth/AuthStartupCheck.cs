using System.Net;
using CtSegLabel.Server.Auth.Keys;
using CtSegLabel.Server.Hosting;
using Microsoft.Extensions.Options;

namespace CtSegLabel.Server.Auth;

/// <summary>
/// Refuses to start a server others can reach while anyone could act as admin: a non-loopback <c>--host</c> needs
/// authentication, or an explicit <c>--Server:AllowRemoteWithoutAuth=true</c> (logged as a warning). Also checks the
/// auth settings (issuer, keys file) before the first request does. Failures end the process with status 2.
/// </summary>
public sealed class AuthStartupCheck(IOptions<ServerOptions> server, IOptions<AuthOptions> auth, IServiceProvider services,
    ILogger<AuthStartupCheck> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var s = server.Value;
        var a = auth.Value;
        if (a.Enabled)
        {
            if (string.IsNullOrWhiteSpace(a.Issuer) || !Uri.TryCreate(a.Issuer, UriKind.Absolute, out var issuer) || issuer.Scheme is not ("http" or "https"))
                throw new StartupException($"--auth-issuer '{a.Issuer}': authentication needs the token issuer's URL (a Keycloak realm: https://HOST/realms/NAME)");
            services.GetRequiredService<ISigningKeySource>(); // a bad --auth-keys-file stops the start here
            logger.LogInformation("Authentication on: issuer {Issuer}, keys from {Keys}, client {Client}", a.IssuerTrimmed,
                string.IsNullOrWhiteSpace(a.KeysFile) ? "its JWKS" : a.KeysFile, a.ClientId);
        }
        else if (!IsLoopback(s.Host))
        {
            if (!s.AllowRemoteWithoutAuth)
                throw new StartupException($"--host {s.Host} lets other machines in, and authentication is off, so anyone reaching it could act as admin. " +
                    "Enable authentication (--auth-enabled true --auth-issuer URL, see docs/security.md), " +
                    "or accept it explicitly with --Server:AllowRemoteWithoutAuth=true");
            logger.LogWarning("Listening on {Host} WITHOUT authentication (AllowRemoteWithoutAuth): anyone who reaches this port acts as admin", s.Host);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public static bool IsLoopback(string host)
    {
        string h = host.Trim().Trim('[', ']');
        return h.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(h, out var ip) && IPAddress.IsLoopback(ip));
    }
}
