namespace CtSegLabel.Cli;

/// <summary>One `ctseg` sub-command.</summary>
public interface ICommand
{
    string Name { get; }
    string Usage { get; }

    /// <summary>Options that take no value (present = "true").</summary>
    IReadOnlySet<string> Flags => new HashSet<string>();

    int Run(Arguments args, TextWriter output);
}
