namespace CtSegLabel.Server.Validation;

/// <summary>
/// Image ids, label tags and session ids become file and folder names, so they must not be able to
/// leave their folder: no path separators, no "..", no leading dot (hidden/temporary files), no
/// control characters, bounded length.
/// </summary>
public static class IdRules
{
    public const int MaxLength = 200;

    /// <summary>Why <paramref name="id"/> is not usable, or null when it is.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrEmpty(id)) return "must not be empty";
        if (id.Length > MaxLength) return $"must be at most {MaxLength} characters (got {id.Length})";
        if (id.IndexOfAny(['/', '\\']) >= 0) return "must not contain a path separator";
        if (id.Contains("..", StringComparison.Ordinal)) return "must not contain '..'";
        if (id[0] == '.') return "must not start with '.'";
        if (id.Any(char.IsControl)) return "must not contain control characters";
        if (id.Trim().Length == 0) return "must not be blank";
        return null;
    }

    public static bool IsValid(string? id) => Problem(id) is null;
}
