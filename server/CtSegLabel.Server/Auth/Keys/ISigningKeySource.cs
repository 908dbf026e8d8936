using CtSegLabel.Server.Auth.Jwt;

namespace CtSegLabel.Server.Auth.Keys;

/// <summary>Where token signing keys come from: the issuer's JWKS (<see cref="OidcKeySource"/>) or a file (<see cref="FileKeySource"/>).</summary>
public interface ISigningKeySource
{
    /// <summary>The keys to try for a token naming <paramref name="kid"/> (null: none named). A source that can refresh
    /// does so when no key has that id.</summary>
    ValueTask<IReadOnlyList<SigningKey>> KeysAsync(string? kid, CancellationToken ct);
}
