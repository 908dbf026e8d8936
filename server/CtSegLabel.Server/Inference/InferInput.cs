namespace CtSegLabel.Server.Inference;

/// <summary>The image an infer request runs on: a datastore image (results may be saved as its label),
/// a session's image, or an uploaded file.</summary>
public sealed record InferInput(string ImagePath, string? DatastoreId);
