using System.Buffers.Text;
using System.Text;
using System.Text.Json;

namespace CtSegLabel.Server.Auth.Jwt;

/// <summary>A token in JWS compact form (<c>header.payload.signature</c>, base64url, RFC 7515 §7.1), split and decoded
/// but not yet trusted.</summary>
public sealed class CompactJws
{
    private CompactJws(string alg, string? kid, byte[] signingInput, byte[] payload, byte[] signature)
    {
        Alg = alg;
        Kid = kid;
        SigningInput = signingInput;
        Payload = payload;
        Signature = signature;
    }

    public string Alg { get; }

    public string? Kid { get; }

    /// <summary>The ASCII bytes the signature covers: the first two segments and the dot between them.</summary>
    public byte[] SigningInput { get; }

    public byte[] Payload { get; }

    public byte[] Signature { get; }

    public static CompactJws Parse(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) throw new TokenRejectedException($"a JWS has 3 dot-separated parts, this token {parts.Length}");
        byte[] header = Decode(parts[0], "header"), payload = Decode(parts[1], "payload"), signature = Decode(parts[2], "signature");
        if (signature.Length == 0) throw new TokenRejectedException("unsigned token");

        string alg;
        string? kid = null;
        try
        {
            using var doc = JsonDocument.Parse(header);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new TokenRejectedException("header is not a JSON object");
            alg = root.TryGetProperty("alg", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString()! : throw new TokenRejectedException("header has no alg");
            if (root.TryGetProperty("kid", out var k))
                kid = k.ValueKind == JsonValueKind.String ? k.GetString() : throw new TokenRejectedException("header kid is not a string");
            // Extensions the verifier must understand (RFC 7515 §4.1.11): none are, so none are accepted.
            if (root.TryGetProperty("crit", out _)) throw new TokenRejectedException("header has crit extensions");
        }
        catch (JsonException e)
        {
            throw new TokenRejectedException($"header is not JSON: {e.Message}");
        }
        return new CompactJws(alg, kid, Encoding.ASCII.GetBytes(token, 0, parts[0].Length + 1 + parts[1].Length), payload, signature);
    }

    private static byte[] Decode(string segment, string what)
    {
        // Padding is not part of base64url in JWS (RFC 7515 §2); the decoder would accept it.
        if (segment.Contains('=')) throw new TokenRejectedException($"{what} is padded base64");
        try
        {
            return Base64Url.DecodeFromChars(segment);
        }
        catch (FormatException)
        {
            throw new TokenRejectedException($"{what} is not base64url");
        }
    }
}
