using System.Text;

namespace CtSegLabel.Server.Validation;

/// <summary>
/// Image ids, label tags, session ids and versions become file and folder names, so they must not be able to
/// leave their folder: no path separators, no "..", no leading dot (hidden/temporary files), no control characters,
/// bounded length. The studies folder is also shared with and copied to Windows machines, so the characters Windows
/// refuses in names (<c>&lt; &gt; : " | ? *</c>) are refused too. Letters of any script are fine (patient names),
/// but an id that Unicode compatibility normalisation (NFKC) turns into a separator or ".." (fullwidth "／", "．．",
/// the division and fraction slashes) is refused: a tool downstream may normalise it and escape after all; so is a
/// percent-escape (<c>%2e%2e%2f</c>), which a tool decoding twice would turn into a path.
/// </summary>
public static class IdRules
{
    public const int MaxLength = 200;

    private const string WindowsReserved = "<>:\"|?*";

    /// <summary>Characters that look like a slash but no normalisation maps to one.</summary>
    private const string SlashLookalikes = "\u2044\u2215\u29F8\u29F9\uFF0F\uFF3C";

    /// <summary>Why <paramref name="id"/> is not usable, or null when it is.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrEmpty(id)) return "must not be empty";
        if (id.Length > MaxLength) return $"must be at most {MaxLength} characters (got {id.Length})";
        if (id.Any(char.IsControl)) return "must not contain control characters";
        if (id.IndexOfAny(['/', '\\']) >= 0) return "must not contain a path separator";
        if (id.Contains("..", StringComparison.Ordinal)) return "must not contain '..'";
        if (id[0] == '.') return "must not start with '.'";
        if (id.IndexOfAny(WindowsReserved.ToCharArray()) is int r and >= 0) return $"must not contain '{id[r]}' (not allowed in file names)";
        if (id.IndexOfAny(SlashLookalikes.ToCharArray()) >= 0) return "must not contain a character that looks like a path separator";
        if (System.Text.RegularExpressions.Regex.IsMatch(id, "%[0-9A-Fa-f]{2}"))
            return "must not contain a percent-escape (%xx): a proxy or tool that decodes it twice would see another name";
        if (id.Trim().Length == 0) return "must not be blank";
        if (HasLoneSurrogate(id)) return "must be valid Unicode text (it holds a lone surrogate)";
        string folded = Folded(id);
        if (!string.Equals(folded, id, StringComparison.Ordinal) && Problem(folded) is { } hidden)
            return $"must not contain characters that normalise to a path element (normalised, it {hidden})";
        return null;
    }

    public static bool IsValid(string? id) => Problem(id) is null;

    /// <summary>The compatibility forms NFKC turns into ASCII punctuation: the fullwidth block (U+FF01–U+FF5E) and the
    /// dot leaders. Done by hand because the server runs with invariant globalization, where string.Normalize does not
    /// apply compatibility mappings.</summary>
    private static string Folded(string id)
    {
        var folded = new StringBuilder(id.Length);
        foreach (char c in id)
        {
            switch (c)
            {
                case >= '\uFF01' and <= '\uFF5E': folded.Append((char)(c - 0xFEE0)); break;
                case '\u2024' or '\uFE52': folded.Append('.'); break;
                case '\u2025': folded.Append(".."); break;
                case '\u2026': folded.Append("..."); break;
                default: folded.Append(c); break;
            }
        }
        return folded.ToString();
    }

    private static bool HasLoneSurrogate(string id)
    {
        for (int n = 0; n < id.Length; n++)
        {
            if (char.IsHighSurrogate(id[n]) && n + 1 < id.Length && char.IsLowSurrogate(id[n + 1])) n++;
            else if (char.IsSurrogate(id[n])) return true;
        }
        return false;
    }
}
