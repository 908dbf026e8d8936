using CtSegLabel.Imaging.Anatomy;
using CtSegLabel.Imaging.Operators;
using CtSegLabel.Imaging.Volumes;
using CtSegLabel.Inference.Pipeline;

namespace CtSegLabel.Training;

/// <summary>
/// Turns a CT and its numbered ground truth (values of <see cref="CtClassTable"/>: organs, rib_left_1…12, …, L1…L6)
/// into what the network learns from, on exactly the grid inference will show it: the image goes through
/// <see cref="Preprocessing"/> (the same code inference runs), the labels follow the same crop, resampling (nearest)
/// and flip. Organs map to their channel; every rib and vertebra maps to its instance class's channel and keeps its
/// class value as instance id. Classes the network has no channel for become background.
/// </summary>
public static class TrainingTargets
{
    /// <summary>The sample, or null when the image holds no body (nothing above the body threshold).</summary>
    /// <param name="annotated">Class values the annotation covers (see <see cref="AnnotatedClasses"/>); null = all.</param>
    public static TrainingSample? Build(Volume image, Volume labels, PreprocessingParameters parameters, ChannelMap channels,
        IReadOnlySet<int>? annotated = null)
    {
        if (labels.Shape != image.Shape)
            throw new ArgumentException($"the label map's shape {labels.Shape} differs from the image's {image.Shape}");
        var pre = Preprocessing.Run(image, parameters);
        if (pre is null) return null;

        var values = labels.ConvertTo<ushort>().WithGeometryTyped(image.Geometry);
        var axial = pre.InputReoriented ? Reorientation.To(values, Preprocessing.ModelOrientation) : values;
        var cropped = VolumeCrop.Crop(axial, pre.Box);
        var onNative = Resampler.Nearest(cropped, pre.NativeModelGrid);
        var model = onNative.Geometry.OrientationCode == Preprocessing.ModelOrientation
            ? onNative
            : Reorientation.To(onNative, Preprocessing.ModelOrientation);

        var lookup = ChannelLookup(channels);
        var semantic = new Volume<byte>(pre.Model.Geometry);
        var instances = new Volume<ushort>(pre.Model.Geometry);
        var src = model.Data;
        Parallel.For(0, src.Length / 65536 + 1, c =>
        {
            int end = Math.Min(src.Length, (c + 1) * 65536);
            for (int n = c * 65536; n < end; n++)
            {
                int v = src[n];
                if (v == 0 || v >= lookup.Length) continue;
                var (channel, isInstance) = lookup[v];
                semantic.Data[n] = channel;
                if (isInstance && channel != 0) instances.Data[n] = (ushort)v;
            }
        });
        return new TrainingSample(pre.Model, semantic, instances, AnnotatedChannels(channels, annotated));
    }

    /// <summary>The class values an annotation covers: the classes present in the label map, plus those it names in
    /// <paramref name="labelNames"/> (MONAI Label's label_info / label_names of the submitted label), because an organ
    /// annotated as absent from the view is still annotated. An annotation's own list is the only way to tell "not in
    /// view" from "not annotated"; without one, the classes present are all we know.</summary>
    public static IReadOnlySet<int> AnnotatedClasses(Volume labels, IEnumerable<string>? labelNames = null)
    {
        var present = new HashSet<int>(ValuesPresent(labels));
        present.Remove(0);
        if (labelNames is not null)
            foreach (var name in labelNames)
                if (CtClassTable.GroundTruth.FirstOrDefault(c => c.Name == name) is { } cls) present.Add(cls.Value);
        return present;
    }

    private static IEnumerable<int> ValuesPresent(Volume labels)
    {
        var values = labels.ConvertTo<ushort>().Data;
        var seen = new bool[ushort.MaxValue + 1];
        foreach (var v in values) seen[v] = true;
        for (int v = 0; v < seen.Length; v++) if (seen[v]) yield return v;
    }

    /// <summary>Per channel: annotated or not. Background is always annotated; an instance class is annotated when
    /// any of its ribs or vertebrae is.</summary>
    private static bool[] AnnotatedChannels(ChannelMap channels, IReadOnlySet<int>? annotated)
    {
        var result = new bool[channels.Count];
        foreach (var ch in channels.Channels)
        {
            result[ch.Channel] = ch.IsBackground || annotated is null
                || (ch.Organ is { } organ && annotated.Contains(organ.Value))
                || (ch.Group != InstanceGroup.None && CtClassTable.GroundTruth.Any(c => c.Group == ch.Group && annotated.Contains(c.Value)));
        }
        return result;
    }

    /// <summary>Class value → (channel, is an instance class); channel 0 for classes the network lacks.</summary>
    private static (byte Channel, bool IsInstance)[] ChannelLookup(ChannelMap channels)
    {
        if (channels.Count > byte.MaxValue + 1) throw new ArgumentException($"{channels.Count} channels do not fit a byte map");
        var lookup = new (byte, bool)[CtClassTable.GroundTruth.Count + 1];
        foreach (var cls in CtClassTable.GroundTruth)
        {
            int channel = cls.IsInstance ? channels.ChannelOf(cls.Group) : channels.Channels.FirstOrDefault(c => c.Organ == cls)?.Channel ?? 0;
            lookup[cls.Value] = ((byte)Math.Max(0, channel), cls.IsInstance);
        }
        return lookup;
    }
}
