using System.Text.Encodings.Web;
using CtSegLabel.Server.Auth.Jwt;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace CtSegLabel.Server.Auth;

/// <summary>
/// Authenticates every request. Authentication off: the request is MONAI Label's built-in admin user (all roles).
/// On: the <c>Authorization: Bearer &lt;jwt&gt;</c> header is validated by <see cref="TokenValidator"/>; no header
/// leaves the request anonymous (the route's policy then answers 401 "Not authenticated").
/// </summary>
public sealed class BearerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> schemeOptions, ILoggerFactory loggers, UrlEncoder encoder,
    IOptions<AuthOptions> auth, IServiceProvider services)
    : AuthenticationHandler<AuthenticationSchemeOptions>(schemeOptions, loggers, encoder)
{
    /// <summary>HttpContext.Items key set when the request carried a bearer token (so a 401 says "Could not validate
    /// credentials" rather than "Not authenticated", as FastAPI's OAuth2 scheme does).</summary>
    public const string TokenPresented = "ctseg.auth.token-presented";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var options = auth.Value;
        if (!options.Enabled) return Success(AuthUser.DefaultAdmin(options));
        if (BearerToken(Request) is not { } token) return AuthenticateResult.NoResult();
        Context.Items[TokenPresented] = true;
        try
        {
            var user = await services.GetRequiredService<TokenValidator>().ValidateAsync(token, Context.RequestAborted);
            return Success(user);
        }
        catch (TokenRejectedException e)
        {
            Logger.LogWarning("{Method} {Path}: bearer token refused: {Reason}", Request.Method, Request.Path, e.Message);
            return AuthenticateResult.Fail(e.Message);
        }
    }

    /// <summary>The token of an <c>Authorization: Bearer ...</c> header (scheme case-insensitive, RFC 6750 §2.1), or null.</summary>
    public static string? BearerToken(HttpRequest request)
    {
        string header = request.Headers.Authorization.ToString();
        int space = header.IndexOf(' ');
        if (space <= 0 || !header.AsSpan(0, space).Equals(AuthUser.Scheme, StringComparison.OrdinalIgnoreCase)) return null;
        string token = header[(space + 1)..].Trim();
        return token.Length > 0 ? token : null;
    }

    private AuthenticateResult Success(AuthUser user) =>
        AuthenticateResult.Success(new AuthenticationTicket(user.ToPrincipal(), Scheme.Name));
}
