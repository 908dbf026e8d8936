namespace CtSegLabel.PluginAdapter.Multipart;

/// <summary>One part of a multipart/form-data body.</summary>
/// <param name="Name">The form field name.</param>
/// <param name="FileName">The filename parameter, or null for a plain field.</param>
/// <param name="ContentType">The part's Content-Type header, or null.</param>
/// <param name="Data">The part's bytes.</param>
public sealed record MultipartPart(string? Name, string? FileName, string? ContentType, byte[] Data);
