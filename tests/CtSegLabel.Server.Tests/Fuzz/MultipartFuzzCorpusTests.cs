using System.Net;
using CtSegLabel.Fuzz.Running;
using CtSegLabel.Fuzz.Targets;

namespace CtSegLabel.Server.Tests.Fuzz;

/// <summary>
/// The committed multipart fuzz inputs: the plugin adapter's parser ends each in parts or its typed
/// MultipartFormatException; the form reader the server uses ends each in a form or its typed errors;
/// and each form input sent to the running server as an image upload and as a label submission gets a
/// 2xx or 4xx answer, never a 500 or no answer. Short fuzz runs of both targets find nothing.
/// </summary>
public class MultipartFuzzCorpusTests
{
    public static TheoryData<string, string> Corpus()
    {
        var data = new TheoryData<string, string>();
        foreach (string target in new[] { "multipart-infer", "multipart-form" })
            foreach (string name in FixedCorpus.Names(target)) data.Add(target, name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Corpus))]
    public void CorpusInputEndsInPartsOrTypedError(string target, string name)
    {
        var outcome = FixedCorpus.Replay(target, name);
        Assert.False(outcome.IsFinding, $"{target}/{name}: {outcome.Key}\n{outcome.Detail}");
    }

    [Fact]
    public async Task ServerAnswersEveryFormInputWithoutServerError()
    {
        await using var server = new ServerHarness();
        await server.UploadCtAsync("fuzzimage");
        var statuses = new List<int>();
        foreach (string name in FixedCorpus.Names("multipart-form"))
        {
            var (contentType, body) = MultipartInput.Split(File.ReadAllBytes(Path.Combine(FixedCorpus.Folder("multipart-form"), name)));
            foreach (string route in new[] { "/datastore/?image=fuzzupload", "/datastore/label?image=fuzzimage&tag=fuzz" })
            {
                using var content = new ByteArrayContent(body);
                // A Content-Type the HTTP client itself refuses to send (a line break in it) cannot reach a server.
                if (!content.Headers.TryAddWithoutValidation("Content-Type", contentType)) continue;
                using var request = new HttpRequestMessage(HttpMethod.Put, route) { Content = content };
                // The hang guard: an answer that never comes fails the test (as a cancellation).
                using var hang = new CancellationTokenSource(FixedCorpus.HangGuard);
                using var response = await server.Http.SendAsync(request, hang.Token);
                Assert.True((int)response.StatusCode < 500,
                    $"{name} → PUT {route}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                statuses.Add((int)response.StatusCode);
            }
        }
        Assert.True(statuses.Count >= 20, $"only {statuses.Count} requests could be sent");
        // The corpus reaches both ends: uploads stored and bodies refused with a 4xx.
        Assert.Contains(200, statuses);
        Assert.Contains(statuses, s => s is >= 400 and < 500);
        // The server still works after the garbage.
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/info/")).StatusCode);
    }

    /// <summary>Fuzz finding: a part header "filename*" without a value made ASP.NET's form reader throw
    /// ArgumentNullException, answered 500; it is a malformed request (400 naming the header).</summary>
    [Fact]
    public async Task PartHeaderFilenameStarWithoutValueIsBadRequest()
    {
        await using var server = new ServerHarness();
        var (contentType, body) = MultipartInput.Split(File.ReadAllBytes(Path.Combine(FixedCorpus.Folder("multipart-form"), "finding-filename-star-without-value.bin")));
        using var content = new ByteArrayContent(body);
        Assert.True(content.Headers.TryAddWithoutValidation("Content-Type", contentType));
        using var response = await server.Http.PutAsync("/datastore/?image=fuzz", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("multipart part header", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("multipart-infer")]
    [InlineData("multipart-form")]
    public void ShortFuzzRunFindsNothing(string target)
    {
        var report = FixedCorpus.ShortRun(target);
        Assert.Equal(FixedCorpus.ShortRunInputs, report.InputsTried);
        Assert.True(report.Findings.Count == 0, string.Join("\n", report.Findings.Select(f => $"{f.Outcome.Key}: {f.Outcome.Detail}")));
        Assert.True(report.CorpusSize > report.SeedCount, $"no mutant reached an outcome the {report.SeedCount} seeds did not");
    }
}
