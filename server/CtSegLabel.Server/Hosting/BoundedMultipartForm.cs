using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace CtSegLabel.Server.Hosting;

/// <summary>
/// Reads a multipart/form-data body into the form the endpoints bind, as ASP.NET's own form reader does (the same
/// limits of <see cref="FormOptions"/>, files spooled to disk), with one difference that matters on an open port:
/// a text field is read only up to its limit. ASP.NET's reader builds a text part's whole string before any length
/// check, so one 300 MB <c>params</c> field took the server from 220 MB to 1.4 GB resident before its refusal; here
/// reading stops one byte past <c>Server:MaxJsonBytes</c>. Urlencoded forms keep ASP.NET's reader (<see cref="ReadFormAsync"/>).
/// </summary>
public static class BoundedMultipartForm
{
    /// <summary>The request's form under the server's limits, left where the endpoint's binding finds it: multipart
    /// by <see cref="ReadAsync"/>, urlencoded by ASP.NET's reader (which bounds each value as it reads).</summary>
    public static async Task<IFormCollection> ReadFormAsync(HttpContext context, FormOptions limits, int maxFieldBytes, CancellationToken ct)
    {
        if (context.Features.Get<IFormFeature>() is { Form: { } alreadyRead }) return alreadyRead;
        if (IsMultipart(context.Request.ContentType))
        {
            var form = await ReadAsync(context, limits, maxFieldBytes, ct);
            context.Features.Set<IFormFeature>(new FormFeature(form));
            return form;
        }
        context.Features.Set<IFormFeature>(new FormFeature(context.Request, limits));
        return await context.Request.ReadFormAsync(ct);
    }

    private static bool IsMultipart(string? contentType) =>
        contentType is not null && contentType.Contains("multipart/", StringComparison.OrdinalIgnoreCase);

    /// <summary>The form; limits passed end in <see cref="InvalidDataException"/> with ASP.NET's messages
    /// ("… limit N exceeded.") or, for a text field, <see cref="FormFieldTooLargeException"/>. Spooled files are
    /// deleted when the response ends; they go to <paramref name="spoolFolder"/> (the system's temporary folder by
    /// default).</summary>
    public static async Task<IFormCollection> ReadAsync(HttpContext context, FormOptions limits, int maxFieldBytes, CancellationToken ct,
        string? spoolFolder = null)
    {
        var reader = new MultipartReader(Boundary(context.Request.ContentType, limits.MultipartBoundaryLengthLimit), context.Request.Body)
        {
            HeadersCountLimit = limits.MultipartHeadersCountLimit,
            HeadersLengthLimit = limits.MultipartHeadersLengthLimit,
            BodyLengthLimit = limits.MultipartBodyLengthLimit,
        };
        var fields = new KeyValueAccumulator();
        var files = new FormFileCollection();
        int parts = 0;
        while (await reader.ReadNextSectionAsync(ct) is { } section)
        {
            if (++parts > limits.ValueCountLimit) throw new InvalidDataException($"Form value count limit {limits.ValueCountLimit} exceeded.");
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                throw new InvalidDataException($"Form section has invalid Content-Disposition value: {section.ContentDisposition}");
            string name = HeaderUtilities.RemoveQuotes(disposition.Name).ToString();
            if (disposition.IsFileDisposition())
                files.Add(await SpoolAsync(context, section, name, FileName(disposition), spoolFolder ?? Path.GetTempPath(), ct));
            else if (disposition.IsFormDisposition())
                fields.Append(name, await ReadFieldAsync(section, name, maxFieldBytes, ct));
            // Any other disposition is not part of a form: skipped, as ASP.NET's reader skips it.
        }
        return new FormCollection(fields.HasValues ? fields.GetResults() : null, files);
    }

    private static string Boundary(string? contentType, int maxLength)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media))
            throw new InvalidDataException($"Invalid multipart Content-Type: {contentType}");
        var boundary = HeaderUtilities.RemoveQuotes(media.Boundary);
        if (StringSegment.IsNullOrEmpty(boundary)) throw new InvalidDataException("Missing content-type boundary.");
        if (boundary.Length > maxLength) throw new InvalidDataException($"Multipart boundary length limit {maxLength} exceeded.");
        return boundary.ToString();
    }

    // Slicer sends `filename=`; .NET's HttpClient sends both forms; a client sending only `filename*=` still names its file.
    private static string FileName(ContentDispositionHeaderValue disposition)
    {
        var plain = HeaderUtilities.RemoveQuotes(disposition.FileName);
        return StringSegment.IsNullOrEmpty(plain) ? disposition.FileNameStar.ToString() : plain.ToString();
    }

    private static async Task<IFormFile> SpoolAsync(HttpContext context, MultipartSection section, string name, string fileName, string folder,
        CancellationToken ct)
    {
        // Deleted by the kernel when closed, and closed when the response ends: nothing is left behind by a request
        // that fails halfway, or by a killed server.
        var spool = new FileStream(Path.Combine(folder, $"ctseg-form-{Guid.NewGuid():N}"), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        context.Response.RegisterForDisposeAsync(spool);
        await section.Body.CopyToAsync(spool, ct);
        return new FormFile(spool, 0, spool.Length, name, fileName) { Headers = new HeaderDictionary(section.Headers) };
    }

    private static async Task<string> ReadFieldAsync(MultipartSection section, string name, int maxBytes, CancellationToken ct)
    {
        var bytes = new MemoryStream();
        var buffer = new byte[16 << 10];
        int read;
        while ((read = await section.Body.ReadAsync(buffer, ct)) > 0)
        {
            if (bytes.Length + read > maxBytes) throw new FormFieldTooLargeException(name, maxBytes);
            bytes.Write(buffer, 0, read);
        }
        bytes.Position = 0;
        // As ASP.NET reads a text part: its declared charset if known, else UTF-8; never UTF-7 (a known smuggling trick).
        var declared = MediaTypeHeaderValue.TryParse(section.ContentType, out var media) ? media.Encoding : null;
        var encoding = declared is null || declared.CodePage == 65000 ? Encoding.UTF8 : declared;
        using var text = new StreamReader(bytes, encoding, detectEncodingFromByteOrderMarks: true);
        return await text.ReadToEndAsync(ct);
    }
}

/// <summary>A multipart text field longer than its limit; reading stopped there.</summary>
public sealed class FormFieldTooLargeException(string field, int limit)
    : Exception($"Form field '{field}' is longer than {limit} bytes")
{
    public string Field { get; } = field;
    public int Limit { get; } = limit;
}
