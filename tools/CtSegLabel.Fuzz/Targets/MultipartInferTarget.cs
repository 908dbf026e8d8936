using System.Text.Json.Nodes;
using CtSegLabel.Fuzz.Mutation;
using CtSegLabel.Fuzz.Running;
using CtSegLabel.Fuzz.Seeds;
using CtSegLabel.Imaging.Formats;
using CtSegLabel.PluginAdapter.Multipart;

namespace CtSegLabel.Fuzz.Targets;

/// <summary>The plugin adapter's multipart parser on /infer answers (what the Slicer-like client reads):
/// seeds are real <see cref="InferAnswer"/> bodies and bodies of the Slicer request encoder.</summary>
public sealed class MultipartInferTarget : IFuzzTarget
{
    public string Name => "multipart-infer";

    public MutationHints Hints { get; } = new([], MultipartInput.Keys);

    public IReadOnlyList<Seed> Seeds()
    {
        byte[] label = SeedVolumes.Bytes("l.nii.gz", p => NiftiFile.Write(p, SeedVolumes.Labels()));
        var seeds = new List<Seed>();
        var resultParams = new JsonObject
        {
            ["label_names"] = new JsonObject { ["liver"] = 1, ["spleen"] = 2 },
            ["latencies"] = new JsonObject { ["pre"] = 0.1, ["infer"] = 1.5, ["total"] = 1.7 },
        };
        foreach (var (file, boundary) in new[] { ("ct.nii.gz", (string?)null), ("dir/seg.seg.nrrd", "0123456789abcdef0123456789abcdef"), ("a\"b.nrrd", null) })
        {
            var answer = new InferAnswer(resultParams, file, label.Length, boundary);
            using var body = new MemoryStream();
            answer.WriteAsync(body, new MemoryStream(label)).GetAwaiter().GetResult();
            seeds.Add(MultipartInput.FromFields($"infer-{seeds.Count}", answer.ContentType, body.ToArray()));
        }
        seeds.Add(MultipartInput.FromFields("quoted-boundary", $"multipart/form-data; boundary=\"{SlicerMultipartEncoder.Boundary}\"", SlicerBody(label)));
        seeds.Add(MultipartInput.FromFields("slicer-request", SlicerMultipartEncoder.ContentType, SlicerBody(label)));
        return seeds;
    }

    /// <summary>A body as the Slicer extension's encoder writes it: params field, then a file with its full local path.</summary>
    public static byte[] SlicerBody(byte[] file, string field = "file", int files = 1)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"ctseg-fuzz-seed-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            var paths = new List<KeyValuePair<string, string>>();
            for (int n = 0; n < files; n++)
            {
                string path = Path.Combine(dir, $"image{n}.nii.gz");
                File.WriteAllBytes(path, file);
                paths.Add(new(field, path));
            }
            return SlicerMultipartEncoder.Encode([new("params", "{\"client_id\":\"slicer\",\"label_info\":[{\"name\":\"bone\",\"idx\":1}]}")], paths);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public string Run(byte[] input, string scratch)
    {
        var (contentType, body) = MultipartInput.Split(input);
        var parts = MultipartParser.Parse(contentType, body);
        int files = parts.Count(p => !string.IsNullOrEmpty(p.FileName));
        bool hasParams = parts.Any(p => p.Name == "params");
        return $"{Signatures.Bucket(parts.Count)}parts:{Signatures.Bucket(files)}files:{(hasParams ? "params" : "noparams")}";
    }

    public string? RejectionOf(Exception e) => e is MultipartFormatException m ? Signatures.OfMessage(m.Message) : null;

    public long AllocationAllowance(byte[] input) => 64L * input.Length + (1 << 20);
}
