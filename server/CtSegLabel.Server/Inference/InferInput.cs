namespace CtSegLabel.Server.Inference;

/// <summary>The image an infer request runs on: a datastore image (results may be saved as its label),
/// a session's image, or an uploaded file (<paramref name="Upload"/>: the server checked only its header, the worker
/// reads it whole as an upload and its refusal names the form field).</summary>
public sealed record InferInput(string ImagePath, string? DatastoreId, InferUpload? Upload = null);

/// <summary>Where an uploaded infer input came from: the form field and the client's file name, for the answer when
/// the compute worker refuses it.</summary>
public sealed record InferUpload(string Field, string FileName);
