using System.Globalization;

namespace CtSegLabel.Server.Validation;

/// <summary>Query values as FastAPI (pydantic) reads them: booleans accept true/false, 1/0, yes/no,
/// on/off, t/f, y/n in any case; integers are plain decimal.</summary>
public static class QueryValues
{
    private static readonly string[] True = ["true", "1", "yes", "on", "t", "y"];
    private static readonly string[] False = ["false", "0", "no", "off", "f", "n"];

    public static bool IsBool(string? value) => value is null || ParseBool(value) is not null;

    public static bool? ParseBool(string value)
    {
        string v = value.Trim();
        if (True.Any(t => t.Equals(v, StringComparison.OrdinalIgnoreCase))) return true;
        if (False.Any(f => f.Equals(v, StringComparison.OrdinalIgnoreCase))) return false;
        return null;
    }

    public static bool Bool(string? value, bool fallback = false) => value is null ? fallback : ParseBool(value) ?? fallback;

    public static bool IsInt(string? value) => value is null || int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    public static int Int(string? value, int fallback) =>
        value is not null && int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int n) ? n : fallback;
}
