using System.Globalization;

namespace CtSegLabel.Cli;

/// <summary>The words after a command name: positional values, --name value options (and -x value short ones),
/// and the flags a command declares. Small on purpose: every command validates its own options and a mistake
/// ends in exit code 2.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string> _options = new(StringComparer.Ordinal);
    private readonly HashSet<string> _used = new(StringComparer.Ordinal);

    public Arguments(IEnumerable<string> args, IReadOnlySet<string>? flags = null)
    {
        var list = args.ToList();
        for (int n = 0; n < list.Count; n++)
        {
            string a = list[n];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                string name = a[2..];
                string? inline = null;
                int eq = name.IndexOf('=');
                if (eq >= 0) { inline = name[(eq + 1)..]; name = name[..eq]; }
                if (inline is null && flags?.Contains(name) == true) { _options[name] = "true"; continue; }
                if (inline is null && (n + 1 >= list.Count))
                    throw new UsageException($"option --{name} needs a value");
                _options[name] = inline ?? list[++n];
            }
            else if (a.Length == 2 && a[0] == '-' && char.IsAsciiLetter(a[1]))
            {
                // Short spellings (-i, -o) as TotalSegmentator users type them; the command maps them to long names.
                if (flags?.Contains(a[1..]) == true) { _options[a[1..]] = "true"; continue; }
                if (n + 1 >= list.Count) throw new UsageException($"option {a} needs a value");
                _options[a[1..]] = list[++n];
            }
            else Positional.Add(a);
        }
    }

    public List<string> Positional { get; } = [];

    public string? Option(string name)
    {
        _used.Add(name);
        return _options.GetValueOrDefault(name);
    }

    public string Required(string name) => Option(name) ?? throw new UsageException($"option --{name} is required");

    public int Int(string name, int fallback, int min = int.MinValue, int max = int.MaxValue)
    {
        string? s = Option(name);
        if (s is null) return fallback;
        if (!int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            throw new UsageException($"option --{name}: '{s}' is not an integer in [{min}, {max}]");
        return v;
    }

    public double[] Doubles(string name, int count)
    {
        string s = Required(name);
        var parts = s.Split(',');
        var values = new double[parts.Length];
        for (int n = 0; n < parts.Length; n++)
            if (!double.TryParse(parts[n], NumberStyles.Float, CultureInfo.InvariantCulture, out values[n]))
                throw new UsageException($"option --{name}: '{parts[n]}' is not a number");
        if (values.Length != count) throw new UsageException($"option --{name} needs {count} comma-separated numbers, got {values.Length}");
        return values;
    }

    public bool Has(string name) { _used.Add(name); return _options.ContainsKey(name); }

    /// <summary>Call after reading every option: an option nobody asked for is a typo, not a default.</summary>
    public void RejectUnknown()
    {
        var unknown = _options.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new UsageException($"unknown option --{unknown[0]}");
    }
}

/// <summary>A wrong command line: the CLI prints it with the usage and exits 2.</summary>
public sealed class UsageException(string message) : Exception(message);
