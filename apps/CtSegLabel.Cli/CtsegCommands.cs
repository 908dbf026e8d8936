using CtSegLabel.Cli.Commands;

namespace CtSegLabel.Cli;

/// <summary>Every `ctseg` sub-command, in the order `ctseg --help` lists them.</summary>
public static class CtsegCommands
{
    public static IReadOnlyList<ICommand> All { get; } =
        [new InfoCommand(), new ConvertCommand(), new PhantomCommand(), new SnapshotCommand(), new ModelCommand(), new InferCommand(), new EvalCommand(), new DatasetCommand(), new TrainCommand(), new WorkerCommand()];
}
