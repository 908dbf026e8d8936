using System.Net.Http.Headers;
using CtSegLabel.Fuzz.Mutation;
using CtSegLabel.Fuzz.Running;
using CtSegLabel.Fuzz.Seeds;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CtSegLabel.Fuzz.Targets;

/// <summary>
/// The server's reading of upload forms: the server reads multipart forms with its own
/// <see cref="BoundedMultipartForm"/> (over WebUtilities' MultipartReader) under its default form limits, so this
/// target drives that reader with those limits, then does what the upload routes do with the parts: copy every
/// file's bytes out and judge its file name, and finally end the response (which deletes the spooled files). A body
/// the reader refuses with InvalidDataException, an IOException or a field past its limit is the typed answer (the
/// server answers 400/413); a Content-Type that is not a form is refused before reading (415). One framework flaw is
/// mapped the way the server's error middleware maps it (an ArgumentException from the header parsers → 400).
/// </summary>
public sealed class MultipartFormTarget : IFuzzTarget
{
    private static readonly ServerOptions Defaults = new();

    /// <summary>The server's form limits with its default settings.</summary>
    public static readonly FormOptions ServerFormOptions = Limits();

    private static FormOptions Limits()
    {
        var form = new FormOptions();
        FormLimits.Apply(form, Defaults);
        return form;
    }

    public string Name => "multipart-form";

    public MutationHints Hints { get; } = new([], MultipartInput.Keys);

    public IReadOnlyList<Seed> Seeds()
    {
        byte[] image = SeedVolumes.Bytes("i.nii.gz", p => NiftiFile.Write(p, SeedVolumes.Labels()));
        var seeds = new List<Seed>
        {
            MultipartInput.FromFields("slicer-upload-image", SlicerMultipartEncoder(), MultipartInferTarget.SlicerBody(image)),
            MultipartInput.FromFields("slicer-save-label", SlicerMultipartEncoder(), MultipartInferTarget.SlicerBody(image, "label")),
            MultipartInput.FromFields("slicer-session", SlicerMultipartEncoder(), MultipartInferTarget.SlicerBody(image, "files", 2)),
        };
        // What .NET's HttpClient sends (quoted boundary, filename*=): the project's own client.
        using var content = new MultipartFormDataContent("dotnet-boundary-7c1f");
        content.Add(new StringContent("{\"label_info\":[]}"), "params");
        var file = new ByteArrayContent(image);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(file, "label", "labels é.nii.gz");
        seeds.Add(MultipartInput.FromFields("httpclient-label", content.Headers.ContentType!.ToString(), content.ReadAsByteArrayAsync().GetAwaiter().GetResult()));
        return seeds;
    }

    private static string SlicerMultipartEncoder() => PluginAdapter.Multipart.SlicerMultipartEncoder.ContentType;

    public string Run(byte[] input, string scratch)
    {
        var (contentType, body) = MultipartInput.Split(input);
        var context = new DefaultHttpContext();
        context.Request.Method = "PUT";
        context.Request.ContentType = contentType;
        context.Request.ContentLength = body.Length;
        context.Request.Body = new MemoryStream(body, writable: false);
        if (!context.Request.HasFormContentType) throw new NotAFormException();
        var response = new CompletingResponse();
        context.Features.Set<IHttpResponseFeature>(response);
        try
        {
            return Consume(BoundedMultipartForm.ReadFormAsync(context, ServerFormOptions, Defaults.MaxJsonBytes, CancellationToken.None).GetAwaiter().GetResult());
        }
        finally
        {
            response.CompleteAsync().GetAwaiter().GetResult();
        }
    }

    private static string Consume(IFormCollection form)
    {
        int volumes = 0;
        foreach (var file in form.Files)
        {
            using (var stream = file.OpenReadStream()) stream.CopyTo(Stream.Null);
            // The routes pick the datastore id and extension from the bare file name.
            if (VolumeFile.IsVolumePath(file.FileName) && VolumeFile.Stem(Path.GetFileName(file.FileName)).Length > 0) volumes++;
        }
        return $"{Signatures.Bucket(form.Count)}fields:{Signatures.Bucket(form.Files.Count)}files:{Signatures.Bucket(volumes)}volumes";
    }

    public string? RejectionOf(Exception e) => e switch
    {
        NotAFormException => "415:not a form content type",
        FormFieldTooLargeException => "413:form field past Server:MaxJsonBytes",
        InvalidDataException or IOException => $"{e.GetType().Name}:{Signatures.OfMessage(e.Message)}",
        // The reader lets the header parser's ArgumentNullException escape for "filename*" without a
        // value (fuzz finding); the server's error middleware answers it 400 (ThrownByHeaderParser).
        ArgumentException when ThrownByHeaderParser(e) => $"400:{e.GetType().Name}:{Signatures.OfMessage(e.Message)}",
        _ => null,
    };

    public long AllocationAllowance(byte[] input) => 64L * input.Length + (4 << 20);

    private static bool ThrownByHeaderParser(Exception e) =>
        new System.Diagnostics.StackTrace(e, false).GetFrames().Any(f => f.GetMethod()?.DeclaringType?.Namespace == "Microsoft.Net.Http.Headers");

    private sealed class NotAFormException : Exception;
}
