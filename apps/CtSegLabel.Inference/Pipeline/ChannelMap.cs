using CtSegLabel.Imaging.Anatomy;

namespace CtSegLabel.Inference.Pipeline;

/// <summary>What one semantic output channel stands for: background, an organ of the class table (which fixes
/// its label value), or one of the four instance classes whose voxels are split into ribs and vertebrae.</summary>
public sealed record ChannelMeaning(int Channel, string Name, CtClass? Organ, InstanceGroup Group)
{
    public bool IsBackground => Organ is null && Group == InstanceGroup.None;
}

/// <summary>
/// The meaning of every semantic channel of a network, built from the channel names a checkpoint records.
/// Organs are named as in <see cref="CtClassTable"/>; the instance classes have the names in
/// <see cref="GroupNames"/>; channel 0 is background. The thesis's network (<see cref="Thesis"/>) has 37
/// channels: background, the 32 organs in table order, left ribs, right ribs, thoracic and lumbar vertebrae.
/// </summary>
public sealed class ChannelMap
{
    public const string Background = "background";

    /// <summary>The channel name of each instance class.</summary>
    public static IReadOnlyDictionary<InstanceGroup, string> GroupNames { get; } = new Dictionary<InstanceGroup, string>
    {
        [InstanceGroup.RibLeft] = "rib_left",
        [InstanceGroup.RibRight] = "rib_right",
        [InstanceGroup.ThoracicVertebra] = "vertebrae_thoracic",
        [InstanceGroup.LumbarVertebra] = "vertebrae_lumbar",
    };

    private ChannelMap(IReadOnlyList<ChannelMeaning> channels) => Channels = channels;

    public IReadOnlyList<ChannelMeaning> Channels { get; }

    public int Count => Channels.Count;

    /// <summary>The channel names of the thesis's network, in channel order.</summary>
    public static IReadOnlyList<string> ThesisNames { get; } =
    [
        Background,
        .. CtClassTable.GroundTruth.Where(c => !c.IsInstance).Select(c => c.Name),
        GroupNames[InstanceGroup.RibLeft], GroupNames[InstanceGroup.RibRight],
        GroupNames[InstanceGroup.ThoracicVertebra], GroupNames[InstanceGroup.LumbarVertebra],
    ];

    public static ChannelMap Thesis { get; } = FromNames(ThesisNames);

    /// <summary>Reads channel names (channel order). Refuses names that are neither background, an organ of
    /// the class table nor an instance class, and repeated names, naming the offending channel.</summary>
    public static ChannelMap FromNames(IReadOnlyList<string> names)
    {
        if (names.Count < 2) throw new ArgumentException($"a segmentation network needs background and at least one class, got {names.Count} channel(s)");
        if (names[0] != Background) throw new ArgumentException($"channel 0 must be '{Background}', not '{names[0]}'");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var channels = new List<ChannelMeaning>(names.Count);
        for (int c = 0; c < names.Count; c++)
        {
            string name = names[c];
            if (!seen.Add(name)) throw new ArgumentException($"channel {c}: '{name}' names an earlier channel too");
            if (c == 0) { channels.Add(new ChannelMeaning(0, name, null, InstanceGroup.None)); continue; }
            var group = GroupNames.FirstOrDefault(g => g.Value == name).Key;
            if (group != InstanceGroup.None) { channels.Add(new ChannelMeaning(c, name, null, group)); continue; }
            var organ = CtClassTable.GroundTruth.FirstOrDefault(k => k.Name == name && !k.IsInstance)
                ?? throw new ArgumentException($"channel {c}: '{name}' is neither an organ of the CT class table nor one of " +
                                               string.Join(", ", GroupNames.Values));
            channels.Add(new ChannelMeaning(c, name, organ, InstanceGroup.None));
        }
        return new ChannelMap(channels);
    }

    /// <summary>The channel of an instance class, or −1 when the network has none.</summary>
    public int ChannelOf(InstanceGroup group) => Channels.FirstOrDefault(c => c.Group == group)?.Channel ?? -1;
}
