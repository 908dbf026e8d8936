using Microsoft.AspNetCore.Http.Features;

namespace CtSegLabel.Server.Hosting;

/// <summary>
/// How much of a multipart or urlencoded form the server reads. The protocol's forms are small: at most three parts
/// (<c>params</c>, <c>file</c>, <c>label</c>; a session may carry a few files), short part names and one JSON field.
/// Everything beyond that is refused before it is buffered (413, see <see cref="Errors.UploadLimitMiddleware"/>).
/// </summary>
public static class FormLimits
{
    public static void Apply(FormOptions form, ServerOptions options)
    {
        // Files stream to disk as they arrive; the whole body may be as large as any upload.
        form.MultipartBodyLengthLimit = options.MaxUploadBytes;
        // The only non-file fields are JSON (params, info): the JSON limit is theirs.
        form.ValueLengthLimit = options.MaxJsonBytes;
        // Parts of one form, files and fields together: a 10,000-part body is refused at the limit, not parsed.
        form.ValueCountLimit = options.MaxFormParts;
        // Field names are the protocol's short names; a long one is an attack or a bug.
        form.KeyLengthLimit = 256;
        // A part's headers (Content-Disposition with the file name, Content-Type): a file name of a few hundred
        // characters fits many times over; a megabyte of header does not.
        form.MultipartHeadersLengthLimit = 16 << 10;
        form.MultipartHeadersCountLimit = 16;
        form.MultipartBoundaryLengthLimit = 128;
        // Never buffer a whole body: multipart file parts are spooled to disk by BoundedMultipartForm, and an urlencoded
        // form is read as it streams.
        form.BufferBody = false;
    }
}
