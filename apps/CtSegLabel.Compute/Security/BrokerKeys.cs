using System.Security.Cryptography;
using System.Text.Json.Nodes;
using NetMQ;

namespace CtSegLabel.Compute.Security;

/// <summary>
/// The secrets of a broker that accepts remote workers: its CurveZMQ key pair (encrypts the socket and proves the
/// server to its workers) and an access token. NetMQ has no ZAP handler, so CurveZMQ alone would let any client that
/// knows the server's public key in; the token, sent inside the encrypted channel with READY, is what admits a worker.
/// Kept as JSON in a file readable by its owner only; <see cref="LoadOrCreate"/> also writes the worker's half
/// (<see cref="WorkerCredentials"/>) beside it, as <c>FILE.worker</c>, to copy to GPU machines.
/// </summary>
public sealed record BrokerKeys(NetMQCertificate Certificate, string Token)
{
    public static BrokerKeys LoadOrCreate(string path)
    {
        if (File.Exists(path)) return Load(path);
        var keys = new BrokerKeys(new NetMQCertificate(), Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null) Directory.CreateDirectory(folder);
        WritePrivate(path, new JsonObject
        {
            ["server_public"] = keys.Certificate.PublicKeyZ85,
            ["server_secret"] = keys.Certificate.SecretKeyZ85,
            ["token"] = keys.Token,
        });
        WritePrivate(WorkerFileOf(path), keys.WorkerCredentials.ToJson());
        return keys;
    }

    public WorkerCredentials WorkerCredentials => new(Certificate.PublicKeyZ85, Token);

    public static string WorkerFileOf(string path) => path + ".worker";

    private static BrokerKeys Load(string path)
    {
        var json = KeyFileJson.Read(path);
        string pub = KeyFileJson.Field(json, path, "server_public");
        string secret = KeyFileJson.Field(json, path, "server_secret");
        string token = KeyFileJson.Field(json, path, "token");
        try
        {
            return new BrokerKeys(new NetMQCertificate(secret, pub), token);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IndexOutOfRangeException)
        {
            throw new InvalidDataException($"{path}: server_public/server_secret are not a Z85 CurveZMQ key pair ({e.Message})");
        }
    }

    private static void WritePrivate(string path, JsonObject json)
    {
        string temp = path + ".tmp";
        File.WriteAllText(temp, json.ToJsonString());
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temp, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.Move(temp, path, overwrite: true);
    }
}
