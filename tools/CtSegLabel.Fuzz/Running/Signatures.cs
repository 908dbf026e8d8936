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

    public static string Erase(string text, int max = 32)
    {
        var sb = new StringBuilder();
        char quote = '\0';
        foreach (char c in text)
        {
            if (quote != '\0')
            {
                if (c == quote) { quote = '\0'; sb.Append('Q'); }
                continue;
            }
            if (c is '\'' or '"') { quote = c; continue; }
            if (char.IsAsciiDigit(c) || c is '-' or '.' or '+')
            {
                if (sb.Length == 0 || sb[^1] != '#') sb.Append('#');
                continue;
            }
            if (c >= 0x20 && c < 0x7f) sb.Append(c);
            if (sb.Length >= max) break;
        }
        return sb.ToString();
    }
}
