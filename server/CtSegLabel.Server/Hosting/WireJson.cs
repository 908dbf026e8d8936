using System.Text.Encodings.Web;
using System.Text.Json;

namespace CtSegLabel.Server.Hosting;

/// <summary>JSON as MONAI Label writes it: names exactly as declared (no camelCase), and text left
/// readable (quotes and non-ASCII not escaped) — these bodies are never embedded in HTML.</summary>
public static class WireJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = null;
        options.Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return options;
    }
}
