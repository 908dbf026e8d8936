namespace CtSegLabel.Cli;

/// <summary>One `ctseg` sub-command.</summary>
public interface ICommand
{
    string Name { get; }
    string Usage { get; }
    int Run(Arguments args, TextWriter output);
}
