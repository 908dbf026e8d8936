using CtSegLabel.Models;
using CtSegLabel.Models.Checkpoints;
using CtSegLabel.Models.Import;
using static TorchSharp.torch;

namespace CtSegLabel.Cli.Commands;

/// <summary>`ctseg model import`: PyTorch weights (a MONAI SwinUNETR state_dict, .pt/.pth or .safetensors)
/// into a ctseg checkpoint. Shape mismatches are refused; missing and unexpected keys are listed and
/// recorded in the checkpoint's provenance (missing ones keep their random initial values).</summary>
public sealed class ModelImportCommand : ICommand
{
    private const string SemanticOutputKey = "out.conv.conv.weight";

    public string Name => "import";
    public string Usage => "ctseg model import PYTORCH_FILE --arch swinunetr-v2|slice [--config full|tiny] [--classes N] [--embedding-dim N] [--version V] " +
                           "[--in-plane N] [--block-slices N] --out FILE   (FILE may be MODELS/<model>/<version>.ctseg: the server serves it)";

    public int Run(Arguments args, TextWriter output)
    {
        if (args.Positional.Count != 2) throw new UsageException("give exactly one PYTORCH_FILE");
        string source = args.Positional[1];
        var weights = StateDictFile.Read(source);
        try
        {
            var arch = ModelCommand.Architecture(args, ClassesIn(weights));
            var preprocessing = ModelCommand.Preprocessing(args, arch);
            string path = args.Required("out");
            string version = args.Option("version") ?? "0.0.0-imported";
            args.RejectUnknown();

            manual_seed(0);
            using var network = arch.Build();
            ModelCommand.CheckWindows(network, preprocessing);
            var report = WeightImport.Apply(network, weights, source, strict: false);
            ModelCheckpoint.Save(path, network, new CheckpointMetadata
            {
                ModelVersion = version,
                Architecture = arch,
                Preprocessing = preprocessing,
                Labels = ModelInitCommand.PlaceholderLabels(arch.Classes),
                Provenance = new TrainingProvenance
                {
                    Trained = report.Loaded.Count > 0,
                    Source = "import",
                    Seed = 0,
                    ImportedFrom = Path.GetFileName(source),
                    ImportMissingKeys = report.Missing,
                    ImportUnexpectedKeys = report.Unexpected,
                },
            });
            output.WriteLine($"loaded {report.Loaded.Count} tensors from {source}" + (report.StrippedPrefix is { } p ? $" (prefix '{p}' stripped)" : ""));
            output.WriteLine($"missing from the file ({report.Missing.Count}, left randomly initialised):");
            foreach (var k in report.Missing) output.WriteLine($"  {k}");
            output.WriteLine($"unexpected in the file ({report.Unexpected.Count}, ignored):");
            foreach (var k in report.Unexpected) output.WriteLine($"  {k}");
            output.WriteLine($"wrote {path}");
            return 0;
        }
        finally
        {
            foreach (var t in weights.Values) t.Dispose();
        }
    }

    /// <summary>A MONAI SwinUNETR file tells its class count by its output conv; used unless --classes says otherwise.</summary>
    private static int? ClassesIn(Dictionary<string, Tensor> weights)
    {
        var key = weights.Keys.FirstOrDefault(k => k == SemanticOutputKey || k == WeightImport.DataParallelPrefix + SemanticOutputKey);
        return key is null ? null : (int)weights[key].shape[0];
    }
}
