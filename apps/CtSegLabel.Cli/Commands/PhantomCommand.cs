using System.Globalization;
using CtSegLabel.Imaging.Phantoms;
using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Cli.Commands;

/// <summary>
/// `ctseg phantom`: writes synthetic CT phantoms with exact labels as a MONAI Label studies folder —
/// DIR/&lt;id&gt;.nii.gz (int16 HU), DIR/labels/final/&lt;id&gt;.nii.gz (uint8 class values) and
/// DIR/classes.json naming every value. The same arguments always give the same bytes.
/// </summary>
public sealed class PhantomCommand : ICommand
{
    public string Name => "phantom";

    public string Usage => "ctseg phantom --out DIR --count N --seed S [--size N] [--slices Z] [--spacing X,Y,Z] [--orientation LPS|RAS] [--range KIND]"
        + "\n      synthetic CT + exact labels as a studies folder; KIND: " + string.Join(", ", Enum.GetValues<RangeKind>().Select(KindName));

    public int Run(Arguments args, TextWriter output)
    {
        string outDir = args.Required("out");
        int count = args.Int("count", 1, 1, 100_000);
        long seed = Seed(args.Option("seed"));
        int size = args.Int("size", 512, 8, 2048);
        int? slices = args.Has("slices") ? args.Int("slices", 0, 1, 10_000) : null;
        Vec3? spacing = null;
        if (args.Has("spacing"))
        {
            var v = args.Doubles("spacing", 3);
            if (v.Any(x => !(x > 0 && x <= 50))) throw new UsageException("option --spacing: each spacing must be in (0, 50] mm");
            spacing = new Vec3(v[0], v[1], v[2]);
        }
        var orientation = (args.Option("orientation") ?? "LPS").ToUpperInvariant() switch
        {
            "LPS" => PhantomOrientation.Lps,
            "RAS" => PhantomOrientation.Ras,
            var o => throw new UsageException($"option --orientation: '{o}' is not LPS or RAS"),
        };
        RangeKind? range = null;
        if (args.Option("range") is { } r)
            range = Enum.GetValues<RangeKind>().Where(k => KindName(k) == r.ToLowerInvariant()).Select(k => (RangeKind?)k).FirstOrDefault()
                ?? throw new UsageException($"option --range: '{r}' is not one of {string.Join(", ", Enum.GetValues<RangeKind>().Select(KindName))}");
        args.RejectUnknown();
        if (args.Positional.Count > 0) throw new UsageException($"unexpected argument '{args.Positional[0]}'");

        var options = new PhantomOptions { Size = size, Slices = slices, Spacing = spacing, Orientation = orientation, Range = range };
        foreach (var phantom in PhantomStudies.Write(outDir, seed, count, options))
        {
            var p = phantom.Plan;
            var g = phantom.Ct.Geometry;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{phantom.Id}  {KindName(p.Range.Kind),-14} {g.Shape.X}×{g.Shape.Y}×{g.Shape.Z}  {g.Spacing.X:0.###}×{g.Spacing.Y:0.###}×{g.Spacing.Z:0.###} mm  {g.OrientationCode}  "
                + $"{(p.Variation.HasL6 ? "L6" : "L5")}  contrast {p.Variation.Contrast.ToString().ToLowerInvariant()}  noise {p.Variation.NoiseSigma:0.0} HU"));
        }
        return 0;
    }

    /// <summary>Range kinds as the command line spells them: WholeBody → whole-body.</summary>
    public static string KindName(RangeKind kind) =>
        string.Concat(kind.ToString().Select((ch, n) => char.IsUpper(ch) && n > 0 ? "-" + char.ToLowerInvariant(ch) : char.ToLowerInvariant(ch).ToString()));

    private static long Seed(string? text)
    {
        if (text is null) return 0;
        if (!long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out long seed))
            throw new UsageException($"option --seed: '{text}' is not an integer");
        return seed;
    }
}
