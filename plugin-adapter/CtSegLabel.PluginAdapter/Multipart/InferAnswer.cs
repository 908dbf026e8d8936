using System.Text;
using System.Text.Json.Nodes;

namespace CtSegLabel.PluginAdapter.Multipart;

/// <summary>
/// The multipart/form-data answer of <c>POST /infer/{model}</c> in the layout MONAI Label sends and the
/// Slicer client parses with <c>cgi</c> over the raw socket: part <c>params</c> (no filename, JSON), then
/// part <c>image</c> (a bare file name with the volume extension, then the file bytes), a 32-hex
/// boundary, and an exact length so the server can send a Content-Length instead of chunking.
/// The file is streamed, never buffered whole.
/// </summary>
public sealed class InferAnswer
{
    private readonly byte[] _head;
    private readonly byte[] _tail;
    private readonly long _fileLength;

    public InferAnswer(JsonObject resultParams, string fileName, long fileLength, string? boundary = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fileLength);
        string json = resultParams.ToJsonString();
        Boundary = boundary ?? NewBoundary(json);
        FileName = BareFileName(fileName);
        _fileLength = fileLength;
        _head = Encoding.UTF8.GetBytes(
            $"--{Boundary}\r\n" +
            "Content-Disposition: form-data; name=\"params\"\r\n" +
            "Content-Type: application/json\r\n\r\n" +
            json + "\r\n" +
            $"--{Boundary}\r\n" +
            $"Content-Disposition: form-data; name=\"image\"; filename=\"{FileName}\"\r\n" +
            "Content-Type: application/octet-stream\r\n\r\n");
        _tail = Encoding.ASCII.GetBytes($"\r\n--{Boundary}--\r\n");
    }

    public string Boundary { get; }

    public string FileName { get; }

    /// <summary>The Content-Type header value (boundary unquoted, as requests-toolbelt writes it).</summary>
    public string ContentType => $"multipart/form-data; boundary={Boundary}";

    /// <summary>The exact number of body bytes <see cref="WriteAsync"/> writes.</summary>
    public long ContentLength => _head.Length + _fileLength + _tail.Length;

    /// <summary>Writes the body; <paramref name="file"/> must yield exactly the announced length.</summary>
    public async Task WriteAsync(Stream output, Stream file, CancellationToken cancellation = default)
    {
        await output.WriteAsync(_head, cancellation);
        long copied = 0;
        var buffer = new byte[1 << 16];
        int n;
        while ((n = await file.ReadAsync(buffer, cancellation)) > 0)
        {
            if (copied + n > _fileLength) throw new InvalidOperationException($"the result file grew beyond the announced {_fileLength} bytes");
            await output.WriteAsync(buffer.AsMemory(0, n), cancellation);
            copied += n;
        }
        if (copied != _fileLength) throw new InvalidOperationException($"the result file has {copied} bytes, {_fileLength} were announced");
        await output.WriteAsync(_tail, cancellation);
    }

    /// <summary>A uuid4 in 32 lowercase hex digits, re-drawn in the (astronomically unlikely) case the
    /// params text contains it.</summary>
    private static string NewBoundary(string paramsJson)
    {
        string b;
        do b = Guid.NewGuid().ToString("N");
        while (paramsJson.Contains(b, StringComparison.Ordinal));
        return b;
    }

    /// <summary>The last path component, without characters that would break the quoted header value.</summary>
    public static string BareFileName(string name)
    {
        string bare = name[(name.LastIndexOfAny(['/', '\\']) + 1)..];
        var clean = new StringBuilder(bare.Length);
        foreach (char c in bare) if (c >= 0x20 && c != '"' && c != 0x7f) clean.Append(c);
        return clean.Length > 0 ? clean.ToString() : "result";
    }
}
