using System.Globalization;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats;

/// <summary>The NRRD spelling of numbers and vectors: "(x,y,z)" and "none" in "space directions" and
/// "space origin", whitespace-separated numbers in "spacings". Numbers are written in .NET's shortest
/// round-trip form so a written geometry reads back bit-exactly.</summary>
internal static class NrrdVectors
{
    /// <summary>Parses a list like "none (1,0,0) (0,1,0) (0,0,2)": a vector or null per entry.</summary>
    public static List<Vec3?> ParseList(string text, string path, string field)
    {
        var list = new List<Vec3?>();
        int n = 0;
        while (true)
        {
            while (n < text.Length && char.IsWhiteSpace(text[n])) n++;
            if (n == text.Length) return list;
            if (text[n] == '(')
            {
                int close = text.IndexOf(')', n);
                if (close < 0) throw new VolumeFormatException(path, field, $"vector {list.Count + 1} has no closing ')'");
                list.Add(ParseComponents(text[(n + 1)..close], path, field, list.Count + 1));
                n = close + 1;
                continue;
            }
            int end = n;
            while (end < text.Length && !char.IsWhiteSpace(text[end])) end++;
            string word = text[n..end];
            if (!word.Equals("none", StringComparison.OrdinalIgnoreCase))
                throw new VolumeFormatException(path, field, $"entry {list.Count + 1} '{word}' is neither a vector '(x,y,z)' nor 'none'");
            list.Add(null);
            n = end;
        }
    }

    /// <summary>Parses a single "(x,y,z)".</summary>
    public static Vec3 ParseOne(string text, string path, string field)
    {
        var list = ParseList(text, path, field);
        if (list.Count != 1 || list[0] is not Vec3 v)
            throw new VolumeFormatException(path, field, $"expected one vector '(x,y,z)', found '{text}'");
        return v;
    }

    /// <summary>Whitespace-separated numbers, one per axis ("nan" allowed for non-spatial axes).</summary>
    public static double[] ParseNumbers(string text, string path, string field)
    {
        var parts = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        var values = new double[parts.Length];
        for (int n = 0; n < parts.Length; n++)
            if (!TryParseNumber(parts[n], out values[n]))
                throw new VolumeFormatException(path, field, $"'{parts[n]}' is not a number");
        return values;
    }

    public static string Format(Vec3 v) => $"({Number(v.X)},{Number(v.Y)},{Number(v.Z)})";

    /// <summary>Shortest text that parses back to the same double.</summary>
    public static string Number(double value) => (value == 0 ? 0.0 : value).ToString("R", CultureInfo.InvariantCulture);

    private static Vec3 ParseComponents(string inner, string path, string field, int index)
    {
        var parts = inner.Split(',');
        if (parts.Length != 3)
            throw new VolumeFormatException(path, field, $"vector {index} '({inner})' has {parts.Length} components; a 3-D space needs 3");
        var c = new double[3];
        for (int n = 0; n < 3; n++)
            if (!TryParseNumber(parts[n].Trim(), out c[n]) || !double.IsFinite(c[n]))
                throw new VolumeFormatException(path, field, $"vector {index} '({inner})' has a component that is not a finite number");
        return new Vec3(c[0], c[1], c[2]);
    }

    private static bool TryParseNumber(string s, out double value)
    {
        // teem prints non-finite values the C way ("nan", "inf"); .NET spells them differently.
        switch (s.ToLowerInvariant())
        {
            case "nan" or "+nan" or "-nan": value = double.NaN; return true;
            case "inf" or "+inf" or "infinity": value = double.PositiveInfinity; return true;
            case "-inf" or "-infinity": value = double.NegativeInfinity; return true;
        }
        return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }
}
