using CtSegLabel.Cli;

namespace CtSegLabel.TestSupport;

/// <summary>Runs `ctseg` in process exactly as its Main does (same command table, same error mapping), capturing
/// what it prints.</summary>
public static class CtsegCli
{
    public static (int Code, string Out, string Err) Ctseg(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = CommandRunner.Run(CtsegCommands.All, args, output, error);
        return (code, output.ToString(), error.ToString());
    }
}
