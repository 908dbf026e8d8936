using CtSegLabel.Cli;
using CtSegLabel.Cli.Commands;

namespace CtSegLabel.Imaging.Tests.Cli;

/// <summary>Runs `ctseg` in-process exactly as Program.cs does, capturing output and exit code.</summary>
public static class CliRunner
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandRunner.Run(CtsegCommands.All, args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
