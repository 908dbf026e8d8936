using CtSegLabel.Imaging.Formats;
using CtSegLabel.Models;

namespace CtSegLabel.Cli.Commands;

/// <summary>`ctseg model init|import|info`: create, import and describe network checkpoints.</summary>
public sealed class ModelCommand : ICommand
{
    private static readonly ICommand[] Subcommands = [new ModelInitCommand(), new ModelImportCommand(), new ModelInfoCommand()];

    public string Name => "model";
    public string Usage => "ctseg model init|import|info ...   network checkpoints (ctseg model help: the options)";

    public int Run(Arguments args, TextWriter output)
    {
        string? sub = args.Positional.Count > 0 ? args.Positional[0] : null;
        if (sub is null or "help")
        {
            foreach (var c in Subcommands) output.WriteLine(c.Usage);
            return sub is null ? 2 : 0;
        }
        var command = Subcommands.FirstOrDefault(c => c.Name == sub)
                      ?? throw new UsageException($"unknown model command '{sub}' (init, import, info)");
        try
        {
            return command.Run(args, output);
        }
        catch (ModelFormatException e)
        {
            // The CLI's one "bad input file" error: exit code 2 and a message naming file and field.
            throw new VolumeFormatException(e.Path, e.Field, e.Problem, e);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(e.Message);
        }
    }

    internal static NetworkArchitecture Architecture(Arguments args, int? classes = null)
    {
        string arch = args.Required("arch");
        string config = args.Option("config") ?? "full";
        int? c = args.Has("classes") ? args.Int("classes", 0, 1, 10_000) : classes;
        int? e = args.Has("embedding-dim") ? args.Int("embedding-dim", 0, 0, 1024) : null;
        return NetworkArchitecture.Create(arch, config, c, e);
    }
}
