using CtSegLabel.Imaging.Anatomy;

namespace CtSegLabel.PluginAdapter.Labels;

/// <summary>
/// Display colours for label names: the ground-truth class table's colour when the name is one of its
/// classes (so a CT class looks the same everywhere), else a fixed palette picked by value, so the same
/// label keeps its colour between runs.
/// </summary>
public static class LabelColors
{
    // Distinct, mid-saturation colours readable on a grey CT background.
    private static readonly Rgb[] Palette =
    [
        new(241, 214, 145), new(216, 101, 79), new(128, 174, 128), new(111, 184, 210),
        new(220, 180, 240), new(250, 250, 110), new(183, 156, 220), new(144, 238, 144),
        new(255, 160, 122), new(70, 130, 180), new(205, 92, 92), new(60, 179, 113),
    ];

    private static readonly Dictionary<string, Rgb> ByName = BuildNameMap();

    /// <summary>Extra names the CT class table spells differently but whose colour is conventional.</summary>
    private static readonly Dictionary<string, Rgb> Conventional = new(StringComparer.OrdinalIgnoreCase)
    {
        ["bone"] = new(241, 214, 145),
        ["lung"] = new(197, 165, 145),
    };

    public static Rgb For(string name, int value)
    {
        if (ByName.TryGetValue(name, out var c)) return c;
        if (Conventional.TryGetValue(name, out c)) return c;
        return Palette[(Math.Abs(value) - 1 + Palette.Length) % Palette.Length];
    }

    private static Dictionary<string, Rgb> BuildNameMap()
    {
        var map = new Dictionary<string, Rgb>(StringComparer.OrdinalIgnoreCase);
        foreach (var cls in CtClassTable.GroundTruth) map.TryAdd(cls.Name, cls.Color);
        return map;
    }
}
