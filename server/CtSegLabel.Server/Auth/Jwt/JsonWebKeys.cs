using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;

namespace CtSegLabel.Server.Auth.Jwt;

/// <summary>Reads the signature keys of a JWK set (RFC 7517): RSA and EC public keys; symmetric ("oct") keys, keys for
/// encryption and keys that cannot be read are skipped and reported.</summary>
public static class JsonWebKeys
{
    /// <summary>A JWK set <c>{"keys": [...]}</c> or a single JWK object.</summary>
    public static (List<SigningKey> Keys, List<string> Skipped) Parse(ReadOnlySpan<byte> json)
    {
        var keys = new List<SigningKey>();
        var skipped = new List<string>();
        using var doc = JsonDocument.Parse(json.ToArray());
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException("a JWK set is a JSON object");
        var items = root.TryGetProperty("keys", out var array) && array.ValueKind == JsonValueKind.Array
            ? array.EnumerateArray().ToList()
            : [root];
        foreach (var jwk in items)
        {
            string? kid = Text(jwk, "kid");
            try
            {
                if (Read(jwk, kid) is { } key) keys.Add(key);
                else skipped.Add($"{kid ?? "(no kid)"}: not a signature key ({Text(jwk, "kty")}, use {Text(jwk, "use") ?? "unset"})");
            }
            catch (Exception e) when (e is CryptographicException or FormatException or JsonException or InvalidOperationException)
            {
                skipped.Add($"{kid ?? "(no kid)"}: {e.Message}");
            }
        }
        return (keys, skipped);
    }

    private static SigningKey? Read(JsonElement jwk, string? kid)
    {
        if (jwk.ValueKind != JsonValueKind.Object) return null;
        if (Text(jwk, "use") is { } use && use != "sig") return null;
        string? alg = Text(jwk, "alg");
        switch (Text(jwk, "kty"))
        {
            case "RSA":
                var rsa = RSA.Create();
                rsa.ImportParameters(new RSAParameters { Modulus = Bytes(jwk, "n"), Exponent = Bytes(jwk, "e") });
                return SigningKey.FromRsa(rsa, kid, alg);
            case "EC":
                var curve = Text(jwk, "crv") switch
                {
                    "P-256" => ECCurve.NamedCurves.nistP256,
                    "P-384" => ECCurve.NamedCurves.nistP384,
                    "P-521" => ECCurve.NamedCurves.nistP521,
                    var other => throw new CryptographicException($"unsupported curve {other}"),
                };
                var ec = ECDsa.Create();
                ec.ImportParameters(new ECParameters { Curve = curve, Q = new ECPoint { X = Bytes(jwk, "x"), Y = Bytes(jwk, "y") } });
                return SigningKey.FromEc(ec, kid, alg);
            default:
                return null;
        }
    }

    private static string? Text(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static byte[] Bytes(JsonElement e, string name) =>
        Text(e, name) is { Length: > 0 } s ? Base64Url.DecodeFromChars(s) : throw new FormatException($"member {name} missing");
}
