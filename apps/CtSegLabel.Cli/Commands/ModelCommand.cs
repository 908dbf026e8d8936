using CtSegLabel.Imaging.Formats;
using CtSegLabel.Inference.Pipeline;
using CtSegLabel.Models;

namespace CtSegLabel.Cli.Commands;

/// <summary>`ctseg model init|import|info|versions|rollback`: create, import and describe network checkpoints; list a
/// model's versions and choose the one served.</summary>
public sealed class ModelCommand : ICommand
{
    private static readonly ICommand[] Subcommands = [new ModelInitCommand(), new ModelImportCommand(), new ModelInfoCommand(), new ModelVersionsCommand(), new ModelRollbackCommand()];

    public string Name => "model";
    public string Usage => "ctseg model init|import|info|versions|rollback ...   network checkpoints and versions (ctseg model help: the options)";

    public int Run(Arguments args, TextWriter output)
    {
        string? sub = args.Positional.Count > 0 ? args.Positional[0] : null;
        if (sub is null or "help")
        {
            foreach (var c in Subcommands) output.WriteLine(c.Usage);
            return sub is null ? 2 : 0;
        }
        var command = Subcommands.FirstOrDefault(c => c.Name == sub)
                      ?? throw new UsageException($"unknown model command '{sub}' ({string.Join(", ", Subcommands.Select(c => c.Name))})");
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

    /// <summary>The preprocessing a new checkpoint records: the thesis's (128×128 in-plane, 64-slice windows) unless
    /// --in-plane / --block-slices say otherwise; a slice transformer's in-plane size is its slice size, and its
    /// windows no longer than its position encoding, so the checkpoint can always run.</summary>
    internal static PreprocessingParameters Preprocessing(Arguments args, NetworkArchitecture arch)
    {
        var thesis = new PreprocessingParameters();
        int inPlane = thesis.InPlaneSize, slices = thesis.BlockSlices;
        if (arch is SliceTransformerArchitecture slice)
        {
            inPlane = slice.SliceSize;
            slices = Math.Min(slices, slice.MaxSlices);
        }
        return thesis with { InPlaneSize = args.Int("in-plane", inPlane, 1, 4096), BlockSlices = args.Int("block-slices", slices, 1, 4096) };
    }

    /// <summary>Refuses preprocessing whose windows the network cannot take (the CT app would refuse the checkpoint).</summary>
    internal static void CheckWindows(SegmentationNetwork network, PreprocessingParameters pre)
    {
        if (network.CheckInput([1, network.Architecture.InChannels, pre.BlockSlices, pre.InPlaneSize, pre.InPlaneSize]) is { } problem)
            throw new UsageException($"windows of {pre.BlockSlices} slices × {pre.InPlaneSize}×{pre.InPlaneSize} do not fit the network: {problem}");
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
