using System.Globalization;
using CtSegLabel.Models.Checkpoints;

namespace CtSegLabel.CtApp;

/// <summary>How published versions are named: <c>v&lt;N&gt;.ctseg</c>, N one more than any <c>v&lt;N&gt;.*</c> the
/// folder holds — sidecars and retired files (<c>v3.ctseg.1700000000.deleted</c>) included, so a number is never
/// given twice and an old sidecar never describes new weights.</summary>
public static class VersionNames
{
    public static string FileName(int number) => $"v{number.ToString(CultureInfo.InvariantCulture)}{ModelCheckpoint.Extension}";

    /// <summary>N of a name <c>vN.anything</c>, else null.</summary>
    public static int? Number(string fileName)
    {
        if (fileName.Length < 2 || fileName[0] != 'v') return null;
        int dot = fileName.IndexOf('.', StringComparison.Ordinal);
        var digits = (dot < 0 ? fileName.AsSpan(1) : fileName.AsSpan(1, dot - 1));
        if (digits.IsEmpty || digits.ContainsAnyExceptInRange('0', '9')) return null;
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : null;
    }

    /// <summary>The next free number in <paramref name="folder"/> (1 in an empty or missing one).</summary>
    public static int Next(string folder) =>
        !Directory.Exists(folder) ? 1
            : 1 + Directory.EnumerateFiles(folder).Select(f => Number(Path.GetFileName(f)) ?? 0).DefaultIfEmpty(0).Max();

    /// <summary>A version as a user names it — <c>v3</c> or <c>v3.ctseg</c> — as its file name.</summary>
    public static string Normalize(string name)
    {
        string trimmed = name.Trim();
        return trimmed.EndsWith(ModelCheckpoint.Extension, StringComparison.Ordinal) ? trimmed : trimmed + ModelCheckpoint.Extension;
    }

    /// <summary>A name that cannot leave its folder: no separators, not "." or "..", no leading dot (temporaries).</summary>
    public static bool IsBare(string name) =>
        name.Length > 0 && name == Path.GetFileName(name) && name.IndexOfAny(['/', '\\']) < 0 && name[0] != '.' && !name.Any(char.IsControl);
}
