using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace CtSegLabel.Server.Tests.Auth;

/// <summary>
/// Locally generated signing keys (RSA 2048 and EC P-256, each with a key id) and a minter of JWTs signed with them,
/// as an issuer would; also forges the tokens an attacker would send (alg none, HS256 keyed with the public key).
/// </summary>
public sealed class TokenMinter : IDisposable
{
    public const string Issuer = "https://issuer.test/realms/monailabel";

    public RSA Rsa { get; } = RSA.Create(2048);

    public ECDsa Ec { get; } = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public string RsaKid { get; init; } = "rsa-" + Guid.NewGuid().ToString("N")[..8];

    public string EcKid { get; init; } = "ec-" + Guid.NewGuid().ToString("N")[..8];

    public string IssuerUrl { get; init; } = Issuer;

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Keycloak-shaped claims: preferred_username, realm_access.roles, exp in 5 minutes.</summary>
    public JsonObject Claims(string user, params string[] roles)
    {
        long now = Clock.GetUtcNow().ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = IssuerUrl,
            ["sub"] = "id-" + user,
            ["preferred_username"] = user,
            ["email"] = user + "@hospital.test",
            ["name"] = user.ToUpperInvariant(),
            ["aud"] = "account",
            ["iat"] = now,
            ["exp"] = now + 300,
            ["realm_access"] = new JsonObject { ["roles"] = new JsonArray(roles.Select(r => (JsonNode?)r).ToArray()) },
        };
    }

    public string Token(string user, params string[] roles) => Sign(Claims(user, roles));

    public string Sign(JsonObject claims, string alg = "RS256", string? kid = null, bool withKid = true)
    {
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT" };
        if (withKid) header["kid"] = kid ?? (alg.StartsWith("ES", StringComparison.Ordinal) ? EcKid : RsaKid);
        string input = B64(header.ToJsonString()) + "." + B64(claims.ToJsonString());
        byte[] data = Encoding.ASCII.GetBytes(input);
        byte[] signature = alg switch
        {
            "RS256" => Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "RS512" => Rsa.SignData(data, HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1),
            "PS256" => Rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            "ES256" => Ec.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation),
            // The algorithm-confusion forgery: an HMAC keyed with the bytes of the server's PUBLIC key.
            "HS256" => HMACSHA256.HashData(Encoding.ASCII.GetBytes(Rsa.ExportSubjectPublicKeyInfoPem()), data),
            "none" => [],
            _ => throw new ArgumentException(alg),
        };
        return input + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The public keys as a JWK set, as an issuer's jwks_uri serves them.</summary>
    public JsonObject Jwks()
    {
        var rsa = Rsa.ExportParameters(false);
        var ec = Ec.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(
                new JsonObject { ["kty"] = "RSA", ["kid"] = RsaKid, ["use"] = "sig", ["n"] = Base64Url.EncodeToString(rsa.Modulus), ["e"] = Base64Url.EncodeToString(rsa.Exponent) },
                new JsonObject { ["kty"] = "EC", ["kid"] = EcKid, ["use"] = "sig", ["crv"] = "P-256", ["x"] = Base64Url.EncodeToString(ec.Q.X), ["y"] = Base64Url.EncodeToString(ec.Q.Y) }),
        };
    }

    public static string B64(string text) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(text));

    public void Dispose()
    {
        Rsa.Dispose();
        Ec.Dispose();
    }
}
