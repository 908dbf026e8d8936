using System.Text.Json;
using CtSegLabel.Server.Auth.Keys;

namespace CtSegLabel.Server.Auth.Jwt;

/// <summary>
/// Checks a bearer token and says who it is: size, form, algorithm (asymmetric only), signature with the key its kid
/// names, then the claims — <c>exp</c> (required), <c>nbf</c>, <c>iat</c> within the clock skew, <c>iss</c> equal to the
/// configured issuer, <c>aud</c> only when an audience is configured. Any failure is a <see cref="TokenRejectedException"/>.
/// </summary>
public sealed class TokenValidator(AuthOptions options, ISigningKeySource keys, TimeProvider clock)
{
    public async Task<AuthUser> ValidateAsync(string token, CancellationToken ct)
    {
        if (token.Length > options.MaxTokenBytes) throw new TokenRejectedException($"token of {token.Length} bytes; at most {options.MaxTokenBytes} are read");
        var jws = CompactJws.Parse(token);
        var algorithm = JwsAlgorithm.Find(jws.Alg) ?? throw new TokenRejectedException($"algorithm '{jws.Alg}' is not accepted");
        var candidates = (await keys.KeysAsync(jws.Kid, ct)).Where(k => k.Matches(jws.Kid, algorithm)).ToList();
        if (candidates.Count == 0) throw new TokenRejectedException($"no {algorithm.Name} signing key" + (jws.Kid is null ? "" : $" with kid '{jws.Kid}'"));
        if (!candidates.Any(k => k.Verify(algorithm, jws.SigningInput, jws.Signature))) throw new TokenRejectedException("signature does not verify");

        // Only a verified payload is read.
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(jws.Payload);
        }
        catch (JsonException e)
        {
            throw new TokenRejectedException($"payload is not JSON: {e.Message}");
        }
        using (doc)
        {
            var claims = doc.RootElement;
            if (claims.ValueKind != JsonValueKind.Object) throw new TokenRejectedException("payload is not a JSON object");
            CheckTimes(claims);
            string? iss = Text(claims, "iss");
            if (iss?.TrimEnd('/') != options.IssuerTrimmed) throw new TokenRejectedException($"issuer '{iss}' is not {options.IssuerTrimmed}");
            if (!string.IsNullOrEmpty(options.Audience) && !Audiences(claims).Contains(options.Audience))
                throw new TokenRejectedException($"audience does not include {options.Audience}");
            string username = Text(claims, options.UsernameClaim) ?? Text(claims, "sub") ?? throw new TokenRejectedException($"no {options.UsernameClaim} and no sub");
            return new AuthUser(username, Text(claims, "email"), Text(claims, "name"), ClaimPath.Strings(claims, options.RolesClaim));
        }
    }

    private void CheckTimes(JsonElement claims)
    {
        double now = clock.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0, skew = Math.Max(0, options.ClockSkewSeconds);
        double exp = Time(claims, "exp") ?? throw new TokenRejectedException("no exp");
        if (now > exp + skew) throw new TokenRejectedException($"expired {now - exp:0} s ago");
        if (Time(claims, "nbf") is { } nbf && now + skew < nbf) throw new TokenRejectedException($"not valid for another {nbf - now:0} s");
        if (Time(claims, "iat") is { } iat && now + skew < iat) throw new TokenRejectedException($"issued {iat - now:0} s in the future");
    }

    private static double? Time(JsonElement claims, string name)
    {
        if (!claims.TryGetProperty(name, out var v)) return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out double t) && double.IsFinite(t)
            ? t
            : throw new TokenRejectedException($"{name} is not a number");
    }

    private static IEnumerable<string> Audiences(JsonElement claims) =>
        claims.TryGetProperty("aud", out var aud) ? ClaimPath.AsStrings(aud) : [];

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
