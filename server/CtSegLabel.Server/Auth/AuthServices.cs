using CtSegLabel.Server.Auth.Jwt;
using CtSegLabel.Server.Auth.Keys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace CtSegLabel.Server.Auth;

public static class AuthServices
{
    /// <summary>Authentication (bearer tokens, or the built-in admin when off), one policy per <see cref="AccessLevel"/>
    /// and the start-up check; the routes get their policies from <see cref="RouteRoles"/>.</summary>
    public static IServiceCollection AddServerAuth(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section));
        services.AddHostedService<AuthStartupCheck>();
        services.AddSingleton(sp => new IssuerClient(Options(sp)));
        services.AddSingleton<ISigningKeySource>(sp => string.IsNullOrWhiteSpace(Options(sp).KeysFile)
            ? new OidcKeySource(sp.GetRequiredService<IssuerClient>(), Options(sp), sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<OidcKeySource>>())
            : new FileKeySource(Options(sp).KeysFile!, sp.GetRequiredService<ILoggerFactory>().CreateLogger<FileKeySource>()));
        services.AddSingleton(sp => new TokenValidator(Options(sp), sp.GetRequiredService<ISigningKeySource>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<SampleDownloadGrants>();

        services.AddAuthentication(AuthUser.Scheme).AddScheme<AuthenticationSchemeOptions, BearerTokenHandler>(AuthUser.Scheme, null);
        services.AddSingleton<IAuthorizationHandler, RoleRequirementHandler>();
        services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AuthFailureWriter>();
        services.AddAuthorization();
        services.AddOptions<AuthorizationOptions>().Configure<IOptions<AuthOptions>>((authorization, auth) =>
        {
            foreach (var level in Enum.GetValues<AccessLevel>().Where(l => l != AccessLevel.Open))
                authorization.AddPolicy(RouteRoles.PolicyName(level), policy => policy
                    .AddRequirements(new RoleRequirement(auth.Value.RoleName(level), level == AccessLevel.UserOrSampleGrant)));
        });
        return services;
    }

    private static AuthOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<AuthOptions>>().Value;
}
