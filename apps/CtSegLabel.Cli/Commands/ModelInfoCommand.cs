using System.Text.Json;
using CtSegLabel.Models.Checkpoints;

namespace CtSegLabel.Cli.Commands;

/// <summary>`ctseg model info FILE`: architecture, sizes, parameter count, labels, version, provenance.</summary>
public sealed class ModelInfoCommand : ICommand
{
    public string Name => "info";
    public string Usage => "ctseg model info FILE";

    public int Run(Arguments args, TextWriter output)
    {
        args.RejectUnknown();
        if (args.Positional.Count != 2) throw new UsageException("give exactly one checkpoint FILE");
        string path = args.Positional[1];
        var m = ModelCheckpoint.ReadMetadata(path);
        using var network = m.Architecture.Build();

        output.WriteLine($"file:         {path}");
        output.WriteLine($"architecture: {m.Architecture.Name}");
        output.WriteLine($"sizes:        {JsonSerializer.Serialize(m.Architecture, m.Architecture.GetType(), new JsonSerializerOptions(ModelCheckpoint.Json) { WriteIndented = false })}");
        output.WriteLine($"parameters:   {network.ParameterCount:N0}");
        output.WriteLine($"version:      {m.ModelVersion} (format {m.FormatVersion}, written by ctseg {m.Writer}, {m.CreatedUtc:u})");
        var p = m.Provenance;
        output.WriteLine($"trained:      {(p.Trained ? "yes" : "no")} (source: {p.Source}" +
                         (p.ImportedFrom is { } f ? $", from {f}" : "") + (p.Seed is { } s ? $", seed {s}" : "") + ")");
        if (p.ImportMissingKeys.Count > 0) output.WriteLine($"import:       {p.ImportMissingKeys.Count} keys were missing, {p.ImportUnexpectedKeys.Count} unexpected");
        var pre = m.Preprocessing;
        output.WriteLine($"preprocess:   body > {pre.BodyThresholdHu} HU, {pre.InPlaneSize}×{pre.InPlaneSize} in-plane, {pre.SliceSpacingMm} mm slices, " +
                         $"{pre.IntensityZeroHu}→0 {pre.IntensityOneHu}→1 HU, blocks of {pre.BlockSlices} slices");
        output.WriteLine($"class volumes: {m.ClassVolumes.Count}");
        output.WriteLine($"labels:       {m.Labels.Count}");
        foreach (var l in m.Labels) output.WriteLine($"  {l.Channel,4}  {l.Value,4}  {l.Name}");
        return 0;
    }
}
