using System.Text;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.Compute.Apps;
using CtSegLabel.PluginAdapter;
using CtSegLabel.PluginAdapter.Client;
using CtSegLabel.PluginAdapter.Labels;
using CtSegLabel.PluginAdapter.Multipart;
using CtSegLabel.Server.Datastore;
using CtSegLabel.Server.Hosting;
using CtSegLabel.Server.Logs;
using CtSegLabel.Server.Validation;
using Microsoft.Extensions.Logging.Abstractions;

namespace CtSegLabel.Server.Tests;

public class IdAndQueryRuleTests
{
    [Theory]
    [InlineData("spleen_10", true)]
    [InlineData("Volume 1", true)]
    [InlineData("a.b", true)]
    [InlineData("", false)]
    [InlineData("   ", false)]
    [InlineData("..", false)]
    [InlineData("a..b", false)]
    [InlineData("../etc/passwd", false)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    [InlineData(".lock", false)]
    [InlineData("tab\there", false)]
    public void Ids_are_safe_file_names(string id, bool valid) => Assert.Equal(valid, IdRules.IsValid(id));

    [Fact]
    public void Ids_are_bounded() => Assert.False(IdRules.IsValid(new string('x', IdRules.MaxLength + 1)));

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("1", true)]
    [InlineData("yes", true)]
    [InlineData("false", false)]
    [InlineData("0", false)]
    [InlineData("off", false)]
    public void Booleans_parse_like_fastapi(string text, bool value) => Assert.Equal(value, QueryValues.ParseBool(text));

    [Fact]
    public void Quote_plus_matches_python()
    {
        Assert.Equal("conformance+second+12", QuotePlus.Encode("conformance second 12"));
        Assert.Equal("a%2Fb%3Fc%26d%3D%C3%BC~_.-", QuotePlus.Encode("a/b?c&d=ü~_.-"));
    }

    [Fact]
    public void File_names_split_at_the_longest_known_extension()
    {
        var rules = new FileNameRules([".nii.gz", ".nii", ".nrrd"]);
        Assert.True(rules.TrySplitImage("a.b.nii.gz", out string id, out string ext));
        Assert.Equal(("a.b", ".nii.gz"), (id, ext));
        Assert.True(rules.TrySplitLabel("x.seg.nrrd", out id, out ext));
        Assert.Equal(("x", ".seg.nrrd"), (id, ext));
        Assert.True(rules.TrySplitImage("x.seg.nrrd", out id, out ext)); // MONAI Label's image rule: ext .nrrd
        Assert.Equal(("x.seg", ".nrrd"), (id, ext));
        Assert.False(rules.TrySplitImage("notes.txt", out _, out _));
        Assert.Equal(".NII.GZ", FileNameRules.ExtensionOf(@"C:\tmp\SCAN.NII.GZ", rules.ImageExtensions));
    }

    [Fact]
    public void Params_are_checked_against_the_published_config()
    {
        var config = new JsonObject { ["max_epochs"] = 50, ["val_split"] = 0.2, ["pretrained"] = true, ["name"] = "x", ["device"] = new JsonArray("cpu", "cuda") };
        Assert.Empty(ConfigParams.Problems(config, new JsonObject { ["max_epochs"] = 3, ["val_split"] = 1, ["pretrained"] = false, ["device"] = "cuda", ["extra"] = "ok" }));
        var problems = ConfigParams.Problems(config, JsonNode.Parse("""{"max_epochs": 2.5, "val_split": "a", "pretrained": 1, "name": 3, "device": "tpu"}""")!.AsObject()).ToList();
        Assert.Equal(["max_epochs", "val_split", "pretrained", "name", "device"], problems.Select(p => p.Key));
        Assert.Equal(50, ConfigParams.FirstValues(config)["max_epochs"]!.GetValue<int>());
        Assert.Equal("cpu", ConfigParams.FirstValues(config)["device"]!.GetValue<string>());
    }
}

public class WireTests
{
    [Fact]
    public void Label_table_orders_by_value_drops_background_and_knows_contiguity()
    {
        var table = LabelTable.FromNames(new Dictionary<string, int> { ["lung"] = 2, ["background"] = 0, ["bone"] = 1 });
        Assert.Equal(["bone", "lung"], table.Entries.Select(e => e.Name));
        Assert.True(table.IsContiguous);
        Assert.Equal("{\"bone\":1,\"lung\":2}", table.ToLabelNames().ToJsonString());
        Assert.False(LabelTable.FromNames(new Dictionary<string, int> { ["a"] = 1, ["b"] = 3 }).IsContiguous);
        Assert.Equal(Imaging.Anatomy.CtClassTable.ByName("liver").Color, LabelColors.For("liver", 9));
        Assert.Equal([1, 2], table.ToSegments().Select(s => s.LabelValue));
    }

    [Fact]
    public void Wire_config_lists_hold_strings()
    {
        var wire = InfoBuilder.WireConfig(new JsonObject { ["sizes"] = new JsonArray(96, 128), ["device"] = new JsonArray("cpu"), ["epochs"] = 5 });
        Assert.Equal("[\"96\",\"128\"]", wire["sizes"]!.ToJsonString());
        Assert.Equal(5, wire["epochs"]!.GetValue<int>());
    }

    [Fact]
    public void Slicer_encoded_body_round_trips_through_the_parser()
    {
        using var dir = new TestDir();
        string file = Path.Combine(dir.Path, "tmp1.nii.gz");
        File.WriteAllBytes(file, [0x1f, 0x8b, 0, 13, 10, 45, 45]);
        byte[] body = SlicerMultipartEncoder.Encode([new("params", "{\"a\": 1}")], [new("label", file)]);
        Assert.EndsWith("--" + SlicerMultipartEncoder.Boundary + "--\r\n", Encoding.Latin1.GetString(body));
        var parts = MultipartParser.Parse(SlicerMultipartEncoder.ContentType, body);
        Assert.Equal(("params", (string?)null), (parts[0].Name, parts[0].FileName));
        Assert.Equal(("label", file), (parts[1].Name, parts[1].FileName));
        Assert.Equal(File.ReadAllBytes(file), parts[1].Data);
    }

    [Fact]
    public void Download_file_names_are_read_like_the_slicer_client()
    {
        Assert.Equal("a b.nii.gz", DownloadFileName.FromContentDisposition("attachment; filename*=utf-8''a%20b.nii.gz"));
        Assert.Equal("x.nrrd", DownloadFileName.FromContentDisposition("attachment; filename=\"x.nrrd\""));
        Assert.Throws<FormatException>(() => DownloadFileName.FromContentDisposition("attachment; filename=x.nrrd"));
        Assert.Equal("attachment; filename=\"x.nii.gz\"", Routes.FileResults.ContentDisposition("x.nii.gz"));
        Assert.Equal("attachment; filename*=utf-8''a%20%C3%BC.nrrd", Routes.FileResults.ContentDisposition("a ü.nrrd"));
    }
}

public class LogFilesTests
{
    [Theory]
    [InlineData("a\nb\nc\n", 2, "b\nc\n")]
    [InlineData("a\nb\nc", 2, "b\nc")]
    [InlineData("a\nb\nc\n", 10, "a\nb\nc\n")]
    [InlineData("a\nb\nc\n", 0, "a\nb\nc\n")]
    [InlineData("", 5, "")]
    public void Tail_returns_the_last_lines(string content, int lines, string expected)
    {
        using var dir = new TestDir();
        string path = Path.Combine(dir.Path, "app.log");
        File.WriteAllText(path, content);
        Assert.Equal(expected, LogFiles.Tail(path, lines));
    }

    [Fact]
    public void Tail_of_a_large_file_crosses_chunk_boundaries()
    {
        using var dir = new TestDir();
        string path = Path.Combine(dir.Path, "app.log");
        File.WriteAllLines(path, Enumerable.Range(0, 20_000).Select(n => $"line {n} " + new string('x', n % 50)));
        string tail = LogFiles.Tail(path, 3000);
        var lines = tail.TrimEnd('\n').Split('\n');
        Assert.Equal(3000, lines.Length);
        Assert.StartsWith("line 17000 ", lines[0]);
        Assert.StartsWith("line 19999 ", lines[^1]);
    }
}

public class AppLoaderTests
{
    private static string TestAppDll => typeof(TestApp.ThresholdApp).Assembly.Location;

    [Fact]
    public void Loads_the_app_from_an_assembly_path_with_its_environment()
    {
        using var dir = new TestDir();
        var options = new ServerOptions { Studies = dir.Sub("s"), Models = Path.Combine(dir.Path, "m"), App = TestAppDll };
        var app = AppLoader.Load(options, NullLogger.Instance);
        Assert.Equal("CtSegLabel test app (HU thresholds)", app.Name);
        Assert.Equal(Path.Combine(options.ModelsPath, "threshold_bones.json"), app.InferTasks.Single().ModelPath);
        Assert.True(Directory.Exists(options.ModelsPath));
    }

    [Fact]
    public void Without_an_app_runs_the_ct_app_on_the_models_folder_and_a_bad_path_is_named()
    {
        using var dir = new TestDir();
        var app = AppLoader.Load(new ServerOptions { Models = dir.Path }, NullLogger.Instance);
        var ct = Assert.IsType<CtApp.CtSegmentationApp>(app);
        Assert.Equal(dir.Path, ct.Store.Root);
        Assert.Equal(["swinunetr_v2", "slice_transformer"], app.InferTasks.Select(t => t.Name));
        Assert.All(app.InferTasks, t => Assert.Null(t.ModelPath));
        ct.Dispose();
        var e = Assert.Throws<AppLoadException>(() => AppLoader.Load(new ServerOptions { Models = dir.Path, App = "/no/such.dll" }, NullLogger.Instance));
        Assert.Contains("/no/such.dll", e.Message);
        var wrong = Assert.Throws<AppLoadException>(() => AppLoader.Load(new ServerOptions { Models = dir.Path, App = typeof(LabelTable).Assembly.Location }, NullLogger.Instance));
        Assert.Contains("found 0", wrong.Message);
    }

    [Fact]
    public async Task The_server_loads_the_app_named_by_configuration()
    {
        await using var server = new ServerHarness(testApp: false, settings: new Dictionary<string, string?> { ["Server:App"] = TestAppDll });
        var info = await server.Client.InfoAsync();
        Assert.True(info.Models.ContainsKey("threshold_bones"));
        Assert.IsAssignableFrom<ISegmentationApp>(server.Services.GetService(typeof(ISegmentationApp)));
    }
}

public class CommandLineTests
{
    [Fact]
    public void Help_explains_every_switch_and_where_models_go()
    {
        foreach (string option in CommandLine.SwitchMappings.Keys) Assert.Contains(option, CommandLine.Help);
        Assert.Contains("swinunetr_v2/", CommandLine.Help);
        Assert.Contains("current", CommandLine.Help);
        Assert.True(CommandLine.WantsHelp(["--studies", "x", "--help"]));
        Assert.False(CommandLine.WantsHelp(["--studies", "help"]));
    }
}
