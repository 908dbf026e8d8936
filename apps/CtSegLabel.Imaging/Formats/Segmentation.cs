using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats;

/// <summary>A label map with the names and colours of its values, as a .seg.nrrd carries them.</summary>
public sealed record Segmentation(Volume Labels, IReadOnlyList<SegmentInfo> Segments);
