using CtSegLabel.Imaging.Volumes;

namespace CtSegLabel.Imaging.Formats;

/// <summary>A NRRD volume with the header's "key:=value" pairs, so that reading a file and writing it
/// again keeps metadata we do not interpret (DICOM tags, Slicer attributes, …).</summary>
public sealed record NrrdImage(Volume Volume, IReadOnlyList<KeyValuePair<string, string>> KeyValues);
