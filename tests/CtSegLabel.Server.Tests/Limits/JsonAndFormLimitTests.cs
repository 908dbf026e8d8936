using System.Net;
using System.Text;
using CtSegLabel.AppContract;
using Microsoft.Extensions.DependencyInjection;

namespace CtSegLabel.Server.Tests.Limits;

/// <summary>JSON bodies and form fields past the size or nesting limits, forms with too many parts or oversize part
/// headers, numbers out of range, wrong types and duplicated query parameters: each a 4xx naming the field (or the
/// limit and its setting) — never a 500, never a hang.</summary>
public class JsonAndFormLimitTests
{
    private static string Deep(int depth) => "{\"a\": " + new string('[', depth) + new string(']', depth) + "}";

    private static string Large(int bytes) => "{\"label_info\": \"" + new string('x', bytes) + "\"}";

    [Fact]
    public async Task Json_bodies_past_the_size_limit_are_413_and_past_the_depth_limit_422()
    {
        await using var server = new ServerHarness();
        string strategy = server.Services.GetRequiredService<ISegmentationApp>().Strategies[0].Name;

        var big = await server.Http.PostAsync($"/activelearning/{strategy}", Http.JsonBody(Large(2 << 20)));
        Assert.Contains("Server:MaxJsonBytes", await big.AssertDetailAsync(HttpStatusCode.RequestEntityTooLarge));

        // Without a Content-Length (chunked), the limit stops the read as it passes.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(Large(2 << 20))));
        chunked.Headers.ContentType = new("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/train/") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        Assert.Contains("Server:MaxJsonBytes", await (await server.Http.SendAsync(request)).AssertDetailAsync(HttpStatusCode.RequestEntityTooLarge));

        string msg = await (await server.Http.PostAsync($"/activelearning/{strategy}", Http.JsonBody(Deep(200)))).AssertValidationErrorAsync("body", "body");
        Assert.Contains("depth", msg, StringComparison.OrdinalIgnoreCase);
        await (await server.Http.PostAsync($"/activelearning/{strategy}", Http.JsonBody("{\"label_tag\": 5}"))).AssertValidationErrorAsync("body", "label_tag");
        await (await server.Http.PostAsync($"/activelearning/{strategy}", new ByteArrayContent([0x7B, 0xFF, 0xFE, 0x7D]))).AssertValidationErrorAsync("body", "body");
    }

    [Fact]
    public async Task Params_form_fields_past_the_size_limit_are_413_and_past_the_depth_limit_422_naming_params()
    {
        await using var server = new ServerHarness();
        string ct = TestVolumes.WriteCt(server.Scratch, "a.nii.gz");
        MultipartFormDataContent Form(string parameters) => new()
        {
            { new StringContent(parameters), "params" },
            { new ByteArrayContent(File.ReadAllBytes(ct)), "file", "a.nii.gz" },
        };
        using (var form = Form(Large(2 << 20)))
            Assert.Contains("Server:MaxJsonBytes", await (await server.Http.PutAsync("/datastore/image?image=a", form)).AssertDetailAsync(HttpStatusCode.RequestEntityTooLarge));
        using (var form = Form(Deep(200)))
            Assert.Contains("depth", await (await server.Http.PutAsync("/datastore/image?image=a", form)).AssertValidationErrorAsync("body", "params"), StringComparison.OrdinalIgnoreCase);
        Assert.False(File.Exists(Path.Combine(server.Studies, "a.nii.gz")));
    }

    [Fact]
    public async Task A_form_of_10000_parts_or_with_a_1_MB_part_header_is_refused_before_it_is_parsed()
    {
        await using var server = new ServerHarness();
        var parts = new MultipartFormDataContent();
        for (int n = 0; n < 10_000; n++) parts.Add(new StringContent("x"), $"f{n}");
        string detail = await (await server.Http.PutAsync("/datastore/image?image=a", parts)).AssertDetailAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("Server:MaxFormParts", detail);

        // One part whose Content-Disposition carries a megabyte-long file name.
        string boundary = "b0undary";
        string body = $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{new string('a', 1 << 20)}.nii.gz\"\r\n\r\nxyz\r\n--{boundary}--\r\n";
        var huge = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        huge.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        detail = await (await server.Http.PutAsync("/datastore/image?image=a", huge)).AssertDetailAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("headers", detail);

        var longName = new MultipartFormDataContent { { new StringContent("{}"), new string('p', 5000) } };
        Assert.Contains("name", await (await server.Http.PutAsync("/datastore/image?image=a", longName)).AssertDetailAsync(HttpStatusCode.RequestEntityTooLarge));
        Assert.Empty(Directory.EnumerateFiles(server.Studies, "*.nii.gz"));
    }

    [Fact]
    public async Task Query_numbers_out_of_range_wrong_types_and_duplicates_are_422_naming_the_parameter()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("img");
        await (await server.Http.GetAsync("/logs/?lines=99999999999")).AssertValidationErrorAsync("query", "lines");
        await (await server.Http.GetAsync("/logs/?lines=1e3")).AssertValidationErrorAsync("query", "lines");
        await (await server.Http.GetAsync("/logs/?refresh=-1")).AssertValidationErrorAsync("query", "refresh");
        await (await server.Http.GetAsync("/logs/?refresh=2147483647")).AssertValidationErrorAsync("query", "refresh");
        await (await server.Http.GetAsync("/datastore/dataset?limit_cases=0x10")).AssertValidationErrorAsync("query", "limit_cases");
        await (await server.Http.GetAsync("/train/?all=maybe")).AssertValidationErrorAsync("query", "all");
        await (await server.Http.GetAsync("/datastore/?output=everything")).AssertValidationErrorAsync("query", "output");
        Assert.Contains("2 times", await (await server.Http.GetAsync("/datastore/image/info?image=img&image=img2")).AssertValidationErrorAsync("query", "image"));
        Assert.Contains("2 times", await (await server.Http.DeleteAsync("/datastore/image?id=img&id=img")).AssertValidationErrorAsync("query", "id"));
        Assert.True(File.Exists(Path.Combine(server.Studies, "img.nii.gz")));
    }
}
