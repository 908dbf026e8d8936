using System.Text.Json.Nodes;

namespace CtSegLabel.Compute.Security;

/// <summary>What a remote worker needs to join a secured broker: the server's CurveZMQ public key (Z85) and the
/// access token. Read from the <c>FILE.worker</c> the server wrote (<c>ctseg worker --key FILE.worker</c>).</summary>
public sealed record WorkerCredentials(string ServerPublicKey, string Token)
{
    public JsonObject ToJson() => new() { ["server_public"] = ServerPublicKey, ["token"] = Token };

    public static WorkerCredentials Load(string path)
    {
        var json = KeyFileJson.Read(path);
        return new WorkerCredentials(KeyFileJson.Field(json, path, "server_public"), KeyFileJson.Field(json, path, "token"));
    }
}
