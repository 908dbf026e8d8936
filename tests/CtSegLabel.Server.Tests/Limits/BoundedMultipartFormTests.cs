using System.Net.Http.Headers;
using System.Text;
using CtSegLabel.Fuzz.Targets;
using CtSegLabel.PluginAdapter.Multipart;
using CtSegLabel.Server.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CtSegLabel.Server.Tests.Limits;

/// <summary>The server's multipart form reader: what the endpoints bind is what ASP.NET's reader gives for the
/// clients' real encodings, and an oversize text field is refused after reading little more than the limit.</summary>
public class BoundedMultipartFormTests
{
    private static readonly FormOptions Limits = ServerFormOptions();

    [Fact]
    public async Task A_64_MB_params_field_is_refused_after_reading_about_the_limit_not_the_whole_field()
    {
        const int limit = 1 << 20;
        var field = new MemoryStream();
        field.Write(Encoding.ASCII.GetBytes("--b\r\nContent-Disposition: form-data; name=\"params\"\r\n\r\n{\"a\":\""));
        field.Write(new byte[64 << 20].AsSpan());
        field.Write(Encoding.ASCII.GetBytes("\"}\r\n--b--\r\n"));
        field.Position = 0;
        var body = new CountingStream(field);
        var context = Request("multipart/form-data; boundary=b", body);

        var refused = await Assert.ThrowsAsync<FormFieldTooLargeException>(() => BoundedMultipartForm.ReadAsync(context, Limits, limit, CancellationToken.None));

        Assert.Equal("params", refused.Field);
        // ASP.NET's own reader takes all 64 MB into one string before any length check.
        Assert.True(body.BytesRead < limit + (1 << 20), $"read {body.BytesRead} bytes of a 64 MB field to refuse it at {limit}");
    }

    [Fact]
    public async Task Slicer_and_HttpClient_forms_bind_as_with_ASP_NETs_reader()
    {
        byte[] volume = Enumerable.Range(0, 200_000).Select(i => (byte)(i * 7)).ToArray();
        using var dir = new TestDir();
        string path = Path.Combine(dir.Path, "scan 1.nii.gz");
        await File.WriteAllBytesAsync(path, volume);
        byte[] slicer = SlicerMultipartEncoder.Encode([new("params", "{\"label_info\":[{\"name\":\"liver é\"}]}")], [new("label", path)]);

        using var httpClient = new MultipartFormDataContent("dotnet-b")
        {
            { new StringContent("{\"x\":1}"), "params" },
            { new ByteArrayContent(volume), "file", "naïve name.nrrd" },
        };
        var forms = new (string ContentType, byte[] Body)[]
        {
            (SlicerMultipartEncoder.ContentType, slicer),
            (httpClient.Headers.ContentType!.ToString(), await httpClient.ReadAsByteArrayAsync()),
        };

        foreach (var (contentType, bytes) in forms)
        {
            var ours = await BoundedMultipartForm.ReadAsync(Request(contentType, new MemoryStream(bytes)), Limits, 1 << 20, CancellationToken.None);
            var theirs = await new FormFeature(Request(contentType, new MemoryStream(bytes)).Request, Limits).ReadFormAsync(CancellationToken.None);

            Assert.Equal(theirs.Keys.Order(), ours.Keys.Order());
            foreach (string key in theirs.Keys) Assert.Equal(theirs[key].ToString(), ours[key].ToString());
            Assert.Equal(theirs.Files.Select(f => (f.Name, f.FileName, f.ContentType, f.Length)), ours.Files.Select(f => (f.Name, f.FileName, f.ContentType, f.Length)));
            foreach (var file in ours.Files)
            {
                using var copy = new MemoryStream();
                await file.CopyToAsync(copy);
                Assert.Equal(volume, copy.ToArray());
            }
        }
    }

    [Fact]
    public async Task A_file_named_only_by_filename_star_keeps_its_name_and_a_form_past_the_part_limit_is_refused()
    {
        string body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename*=UTF-8''sc%C3%A4n.nii.gz\r\n\r\nabc\r\n--b--\r\n";
        var form = await BoundedMultipartForm.ReadAsync(Request("multipart/form-data; boundary=b", new MemoryStream(Encoding.ASCII.GetBytes(body))),
            Limits, 1 << 20, CancellationToken.None);
        Assert.Equal("scän.nii.gz", Assert.Single(form.Files).FileName);

        var many = new StringBuilder();
        for (int n = 0; n <= Limits.ValueCountLimit; n++) many.Append($"--b\r\nContent-Disposition: form-data; name=\"f{n}\"\r\n\r\nx\r\n");
        many.Append("--b--\r\n");
        var refused = await Assert.ThrowsAsync<InvalidDataException>(() => BoundedMultipartForm.ReadAsync(
            Request("multipart/form-data; boundary=b", new MemoryStream(Encoding.ASCII.GetBytes(many.ToString()))), Limits, 1 << 20, CancellationToken.None));
        Assert.Contains("count limit", refused.Message);
    }

    [Fact]
    public async Task Spooled_files_are_gone_when_the_response_ends()
    {
        using var spool = new TestDir();
        string body = "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.nii.gz\"\r\n\r\n" + new string('z', 100_000) + "\r\n--b--\r\n";
        var response = new CompletingResponse();
        var context = Request("multipart/form-data; boundary=b", new MemoryStream(Encoding.ASCII.GetBytes(body)));
        context.Features.Set<IHttpResponseFeature>(response);

        var form = await BoundedMultipartForm.ReadAsync(context, Limits, 1 << 20, CancellationToken.None, spool.Path);
        Assert.Equal(100_000, Assert.Single(form.Files).Length);
        Assert.Single(Directory.GetFiles(spool.Path, "ctseg-form-*"));

        await response.CompleteAsync();
        Assert.Empty(Directory.GetFiles(spool.Path));
    }

    private static FormOptions ServerFormOptions()
    {
        var form = new FormOptions();
        FormLimits.Apply(form, new ServerOptions());
        return form;
    }

    private static DefaultHttpContext Request(string contentType, Stream body)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "PUT";
        context.Request.ContentType = contentType;
        context.Request.Body = body;
        return context;
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesRead { get; private set; }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = inner.Read(buffer, offset, count);
            BytesRead += n;
            return n;
        }
        // A read-only view: the reader under test only reads (it may not seek back over what it has consumed).
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => inner.Position = value; }
        public override void Flush() => inner.Flush();
        public override long Seek(long offset, SeekOrigin origin) => inner.Seek(offset, origin);
        public override void SetLength(long value) => inner.SetLength(value);
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
    }
}
