using System.Text.Json;
using CtSegLabel.Server.Auth.Jwt;
using CtSegLabel.Server.Errors;

namespace CtSegLabel.Server.Auth.Keys;

/// <summary>
/// The issuer's keys from its JWKS (found through OIDC discovery), cached. A token naming a key id the cache lacks
/// (the issuer rotated its keys) refetches the set — at most once per <see cref="AuthOptions.KeyRefreshSeconds"/>,
/// so tokens with invented key ids cannot make this server hammer the issuer.
/// </summary>
public sealed class OidcKeySource(IssuerClient issuer, AuthOptions options, TimeProvider clock, ILogger<OidcKeySource> logger)
    : ISigningKeySource, IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IReadOnlyList<SigningKey>? _keys;
    private DateTimeOffset _fetchedAt = DateTimeOffset.MinValue;
    private ApiException? _failure;

    public async ValueTask<IReadOnlyList<SigningKey>> KeysAsync(string? kid, CancellationToken ct)
    {
        if (_keys is { } cached && Knows(cached, kid)) return cached;
        await _gate.WaitAsync(ct);
        try
        {
            if (_keys is { } again && Knows(again, kid)) return again;
            bool recentlyTried = clock.GetUtcNow() - _fetchedAt < TimeSpan.FromSeconds(options.KeyRefreshSeconds);
            if (_keys is { } recent && recentlyTried) return recent;
            // An issuer that just failed is not asked again for every request meanwhile: they get the same 502 at once.
            if (_failure is { } failure && recentlyTried) throw new ApiException(failure.Status, failure.Detail);
            _fetchedAt = clock.GetUtcNow();
            List<SigningKey> keys;
            List<string> skipped;
            try
            {
                (keys, skipped) = JsonWebKeys.Parse(await issuer.JwksAsync(ct));
                _failure = null;
            }
            catch (JsonException e)
            {
                _failure = new ApiException(StatusCodes.Status502BadGateway, $"The token issuer {issuer.Issuer} is not usable: its JWK set is not JSON: {e.Message}");
                throw _failure;
            }
            catch (ApiException e)
            {
                _failure = e;
                throw;
            }
            foreach (string s in skipped) logger.LogWarning("Auth: issuer key skipped: {Key}", s);
            logger.LogInformation("Auth: {Count} signing key(s) from the issuer ({Kids})", keys.Count,
                string.Join(", ", keys.Select(k => k.Kid ?? "no kid")));
            // The previous keys are not disposed: a request may be verifying with one right now; the GC frees them.
            _keys = keys;
            return keys;
        }
        finally
        {
            _gate.Release();
        }
    }

    private static bool Knows(IReadOnlyList<SigningKey> keys, string? kid) => kid is null || keys.Any(k => k.Kid == kid);

    public void Dispose()
    {
        _gate.Dispose();
        foreach (var key in _keys ?? []) key.Dispose();
    }
}
