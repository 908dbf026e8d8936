using System.Globalization;
using CtSegLabel.CtApp;
using CtSegLabel.Models;

namespace CtSegLabel.Cli.Commands;

/// <summary>`ctseg model versions`: the versions of a model in a models folder, newest first, the current one marked —
/// what the server's <c>GET /model/{model}/versions</c> lists.</summary>
public sealed class ModelVersionsCommand : ICommand
{
    public string Name => "versions";
    public string Usage => "ctseg model versions --models DIR --model NAME   (the versions of MODELS/NAME: created, source, best dice; * = current)";

    public int Run(Arguments args, TextWriter output)
    {
        using var store = Store(args, out string model);
        args.RejectUnknown();
        if (args.Positional.Count != 1) throw new UsageException("model versions takes no positional arguments");
        var versions = store.Versions(model);
        if (versions.Count == 0)
        {
            output.WriteLine($"no versions in {store.FolderOf(model)}");
            return 0;
        }
        string? current = store.Current(model)?.Path;
        int width = Math.Max(4, versions.Max(v => v.FileName.Length));
        output.WriteLine($"  {"name".PadRight(width)}  {"created (UTC)",-19}  {"source",-9}  {"best dice",9}  model version");
        foreach (var v in versions)
        {
            string dice = v.Record?.Metrics["best_dice"] is { } d && d.GetValueKind() == System.Text.Json.JsonValueKind.Number
                ? d.GetValue<double>().ToString("0.0000", CultureInfo.InvariantCulture) : "-";
            output.WriteLine($"{(v.Path == current ? "*" : " ")} {v.FileName.PadRight(width)}  {v.CreatedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}  " +
                             $"{v.Source,-9}  {dice,9}  {v.Metadata.ModelVersion}");
        }
        return 0;
    }

    /// <summary>The store over <c>--models</c> (default ./models) and the bare model name <c>--model</c>.</summary>
    internal static ModelStore Store(Arguments args, out string model)
    {
        string root = args.Option("models") ?? "models";
        model = args.Required("model");
        if (!VersionNames.IsBare(model)) throw new UsageException($"--model {model}: give the model's folder name (e.g. swinunetr_v2), not a path");
        // Listing and switching read metadata only: no network is loaded, so the device is irrelevant.
        return new ModelStore(root, ComputeDevice.Choose("cpu", "fp32"));
    }
}
