using System.Text;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Fuzz.Running;

/// <summary>Turns results and error messages into short signatures. Numbers and quoted text are erased
/// so "dim[2] is 7" and "dim[2] is 9" are one signature: the feedback counts kinds of outcome, and a
/// signature per value would make every mutant look new.</summary>
public static class Signatures
{
    public static string OfProblem(string field, string problem) => $"{Erase(field)}:{Erase(problem, 48)}";

    public static string OfVolume(Volume v) => $"{v.VoxelType}:{Bucket(v.Shape.X)}x{Bucket(v.Shape.Y)}x{Bucket(v.Shape.Z)}";

    /// <summary>1, small or large: enough to tell degenerate shapes from ordinary ones.</summary>
    public static string Bucket(long n) => n switch { 1 => "1", <= 16 => "s", _ => "L" };

    /// <summary>The message up to where it starts quoting the input (a quote, or ": "): messages that
    /// echo a header line would otherwise give every mutant its own signature.</summary>
    public static string OfMessage(string message)
    {
        int cut = message.IndexOfAny(['\'', '"']);
        int colon = message.IndexOf(": ", StringComparison.Ordinal);
        if (colon >= 0 && (cut < 0 || colon < cut)) cut = colon;
        return Erase(cut < 0 ? message : message[..cut], 48);
    }

    public static string Erase(string text, int max = 32)
    {
        // From the first quote to the last of the same kind is quoted input, whatever quotes it holds itself.
        int first = text.IndexOfAny(['\'', '"']);
        if (first >= 0)
        {
            int last = text.LastIndexOf(text[first]);
            text = text[..first] + "Q" + (last > first ? text[(last + 1)..] : "");
        }
        var sb = new StringBuilder();
        foreach (char c in text)
        {
            if (char.IsAsciiDigit(c) || c is '-' or '.' or '+')
            {
                if (sb.Length == 0 || sb[^1] != '#') sb.Append('#');
                continue;
            }
            if (c >= 0x20 && c < 0x7f && c is not ('\'' or '"')) sb.Append(c);
            if (sb.Length >= max) break;
        }
        return sb.ToString();
    }
}
