using CtSegLabel.Imaging.Formats;

namespace CtSegLabel.Cli;

/// <summary>Dispatches to a command and maps failures to exit codes (2 for anything the user can fix).</summary>
public static class CommandRunner
{
    public static int Run(IReadOnlyList<ICommand> commands, string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            PrintUsage(commands, args.Length == 0 ? error : output);
            return args.Length == 0 ? 2 : 0;
        }
        var command = commands.FirstOrDefault(c => c.Name == args[0]);
        if (command is null)
        {
            error.WriteLine($"ctseg: unknown command '{args[0]}'");
            PrintUsage(commands, error);
            return 2;
        }
        try
        {
            return command.Run(new Arguments(args.Skip(1), command.Flags), output);
        }
        catch (UsageException e)
        {
            error.WriteLine($"ctseg {command.Name}: {e.Message}");
            error.WriteLine($"usage: {command.Usage}");
            return 2;
        }
        catch (VolumeFormatException e)
        {
            error.WriteLine($"ctseg {command.Name}: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            error.WriteLine($"ctseg {command.Name}: {e.Message}");
            return 2;
        }
    }

    private static void PrintUsage(IReadOnlyList<ICommand> commands, TextWriter w)
    {
        w.WriteLine("usage: ctseg COMMAND [options]");
        foreach (var c in commands) w.WriteLine($"  {c.Usage}");
    }
}
