using CtSegLabel.Imaging.Anatomy;

namespace CtSegLabel.Imaging.Formats;

/// <summary>One segment of a 3D Slicer segmentation (.seg.nrrd): the Segment{i}_* header fields.</summary>
public sealed record SegmentInfo(string Id, string Name, Rgb Color, int LabelValue, int Layer = 0);
