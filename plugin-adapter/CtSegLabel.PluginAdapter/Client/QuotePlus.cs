using System.Text;

namespace CtSegLabel.PluginAdapter.Client;

/// <summary>Python's <c>urllib.parse.quote_plus</c>, which the Slicer client applies to every query
/// value: letters, digits and <c>_.-~</c> stay, a space becomes '+', everything else is %XX of its UTF-8.</summary>
public static class QuotePlus
{
    public static string Encode(string value)
    {
        var sb = new StringBuilder(value.Length + 8);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '~') sb.Append(c);
            else if (c == ' ') sb.Append('+');
            else sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }
}
