using CtSegLabel.AppContract;

namespace CtSegLabel.Cli.Commands;

/// <summary>`ctseg model rollback`: makes another version the current one (rewrites the model folder's <c>current</c>
/// file); a running server serves it from its next request on.</summary>
public sealed class ModelRollbackCommand : ICommand
{
    public string Name => "rollback";
    public string Usage => "ctseg model rollback --models DIR --model NAME --version vN   (serve MODELS/NAME/vN.ctseg from now on)";

    public int Run(Arguments args, TextWriter output)
    {
        using var store = ModelVersionsCommand.Store(args, out string model);
        string version = args.Required("version");
        args.RejectUnknown();
        if (args.Positional.Count != 1) throw new UsageException("model rollback takes no positional arguments");
        try
        {
            var chosen = store.Rollback(model, version);
            output.WriteLine($"{model}: now serving {chosen.FileName} ({chosen.Metadata.ModelVersion})");
            return 0;
        }
        catch (ModelVersionNotFoundException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
