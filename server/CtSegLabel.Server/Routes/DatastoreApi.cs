using System.IO.Compression;
using System.Security.Claims;
using System.Text.Json.Nodes;
using CtSegLabel.AppContract;
using CtSegLabel.PluginAdapter.Wire;
using CtSegLabel.Server.Auth;
using CtSegLabel.Server.Datastore;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Validation;
using CtSegLabel.Server.Validation.Requests;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace CtSegLabel.Server.Routes;

/// <summary>
/// <c>/datastore/...</c>: listing, image upload/download/removal, label submission/download/removal and
/// their info objects, the dataset archive. Paths and parameter names are MONAI Label's, including the
/// deprecated spellings Slicer still uses (<c>PUT /datastore/?image=</c>).
/// </summary>
public static class DatastoreApi
{
    public static IEndpointRouteBuilder MapDatastoreApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/datastore").WithTags("Datastore").DisableAntiforgery();

        api.MapGet("/", GetDatastore).Validate<DatastoreQuery>()
            .WithSummary("Datastore summary (output=stats), whole model (all) or training pairs (train)");
        api.MapPut("/image", UploadImage).Validate<UploadImageRequest>().WithSummary("Upload an image");
        api.MapPut("/", UploadImage).Validate<UploadImageRequest>().WithSummary("Upload an image (deprecated spelling, used by Slicer)");
        api.MapDelete("/image", RemoveImage).Validate<ImageIdQuery>().WithSummary("Remove an image and its labels");
        api.MapDelete("/", RemoveImage).Validate<ImageIdQuery>().WithSummary("Remove an image and its labels (deprecated spelling)");
        api.MapMethods("/image", [HttpMethods.Head], CheckImage).Validate<ImageQuery>().WithSummary("Does the image exist (and match check_sum)?");
        api.MapGet("/image", DownloadImage).Validate<ImageQuery>().WithSummary("Download an image");
        api.MapGet("/image/info", GetImageInfo).Validate<ImageQuery>().WithSummary("Image info plus its server path ({} if unknown)");
        api.MapPut("/image/info", UpdateImageInfo).Validate<ImageInfoUpdate>().WithSummary("Merge into the image info");

        api.MapPut("/label", SaveLabel).Validate<SaveLabelRequest>().WithSummary("Submit a label (no tag = final)");
        api.MapDelete("/label", RemoveLabel).Validate<LabelIdQuery>().WithSummary("Remove a label");
        api.MapMethods("/label", [HttpMethods.Head], CheckLabel).Validate<LabelHeadQuery>().WithSummary("Does the image have a label with this tag?");
        api.MapGet("/label", DownloadLabel).Validate<LabelQuery>().WithSummary("Download a label");
        api.MapGet("/label/info", GetLabelInfo).Validate<LabelQuery>().WithSummary("Label info ({} if none); with version=N, that version's record");
        api.MapPut("/label/info", UpdateLabelInfo).Validate<LabelInfoUpdate>().WithSummary("Merge into the label info (form field info)");
        api.MapPut("/updatelabelinfo", UpdateLabelInfo).Validate<LabelInfoUpdate>().WithSummary("Merge into the label info (deprecated; form field params)");

        api.MapGet("/dataset", GetDataset).Validate<DatasetQuery>().WithSummary("ZIP of labeled images, their final labels and metadata.json");
        return routes;
    }

    public static IResult GetDatastore([AsParameters] DatastoreQuery query, LocalDatastore datastore) => query.Output switch
    {
        "all" => JsonResults.Raw(datastore.AllJson()),
        "train" => TypedResults.Ok(datastore.TrainPairs()),
        _ => TypedResults.Ok(datastore.Summary()),
    };

    public static async Task<Ok<UploadImageAnswer>> UploadImage([AsParameters] UploadImageRequest request, LocalDatastore datastore,
        ILogger<LocalDatastore> logger, UploadedVolumes volumes, ClaimsPrincipal user, CancellationToken ct)
    {
        var file = request.File!;
        string ext = FileNameRules.ExtensionOf(file.FileName, datastore.Names.ImageExtensions)!;
        string id = request.Image ?? UploadImageRequestValidator.IdFromFileName(file.FileName, datastore.Names);
        var info = JsonText.ParseObject(request.Params);
        info["user"] = RequestUser.Name(user);
        string temp = await Uploads.SaveAsync(file, datastore.ImagesPath, ext, ct);
        try
        {
            await Task.Run(() => volumes.EnsureReadable(temp, "file", file.FileName), ct);
            await datastore.AddImageAsync(id, ext, temp, info, ct);
        }
        finally
        {
            Uploads.Discard(temp);
        }
        return TypedResults.Ok(new UploadImageAnswer(id));
    }

    public static async Task<IResult> RemoveImage([AsParameters] ImageIdQuery query, LocalDatastore datastore) =>
        await datastore.RemoveImageAsync(query.Id!) ? JsonResults.Empty() : throw ImageNotFound(query.Id!);

    public static IResult CheckImage([AsParameters] ImageQuery query, LocalDatastore datastore)
    {
        var image = datastore.FindImage(query.Image!);
        if (image is null || !File.Exists(image.Value.Path)) throw ApiException.NotFound("Image NOT Found or is a directory");
        if (query.CheckSum is { } sum && !FileChecksum.Matches(image.Value.Path, sum))
            throw ApiException.NotFound($"Image checksum does not match {sum}");
        return JsonResults.Empty();
    }

    public static IResult DownloadImage([AsParameters] ImageQuery query, LocalDatastore datastore)
    {
        var image = datastore.FindImage(query.Image!);
        if (image is null || !File.Exists(image.Value.Path)) throw ApiException.NotFound("Image NOT Found or is a directory");
        return FileResults.Download(image.Value.Path, query.Image + image.Value.Ext);
    }

    public static Ok<JsonObject> GetImageInfo([AsParameters] ImageQuery query, LocalDatastore datastore) =>
        TypedResults.Ok(datastore.ImageInfoWithPath(query.Image!) ?? []);

    public static async Task<IResult> UpdateImageInfo([AsParameters] ImageInfoUpdate request, LocalDatastore datastore, ClaimsPrincipal user)
    {
        var info = JsonText.ParseObject(request.Info);
        info["user"] = RequestUser.Name(user);
        return await datastore.MergeImageInfoAsync(request.Image!, info) ? JsonResults.NullValue() : throw ImageNotFound(request.Image!);
    }

    public static async Task<Ok<SaveLabelAnswer>> SaveLabel([AsParameters] SaveLabelRequest request, LocalDatastore datastore,
        LabelGridCheck gridCheck, ClaimsPrincipal user, CancellationToken ct)
    {
        string id = request.Image!, tag = request.EffectiveTag;
        var image = datastore.FindImage(id) ?? throw ImageNotFound(id);
        var file = request.Label!;
        string ext = FileNameRules.ExtensionOf(file.FileName, datastore.Names.LabelExtensions)!;
        string temp = await Uploads.SaveAsync(file, datastore.LabelFolder(tag), ext, ct);
        try
        {
            await Task.Run(() => gridCheck.EnsureMatches(id, image.Path, temp, file.FileName), ct);
            var info = JsonText.ParseObject(request.Params);
            info["user"] = RequestUser.Name(user);
            await datastore.SaveLabelAsync(id, tag, ext, temp, info);
        }
        finally
        {
            Uploads.Discard(temp);
        }
        return TypedResults.Ok(new SaveLabelAnswer(id, id));
    }

    public static async Task<IResult> RemoveLabel([AsParameters] LabelIdQuery query, LocalDatastore datastore) =>
        await datastore.RemoveLabelAsync(query.Id!, query.Tag!) ? JsonResults.Empty() : throw LabelNotFound();

    public static IResult CheckLabel([AsParameters] LabelHeadQuery query, LocalDatastore datastore) =>
        datastore.FindLabel(query.Image!, query.Tag!) is { } label && File.Exists(label.Path) ? JsonResults.Empty() : throw LabelNotFound();

    public static IResult DownloadLabel([AsParameters] LabelQuery query, LocalDatastore datastore)
    {
        if (query.Version is { } text)
        {
            int version = int.Parse(text, System.Globalization.CultureInfo.InvariantCulture); // checked by LabelQueryValidator
            var old = datastore.FindLabelVersion(query.Label!, query.Tag!, version) ?? throw VersionNotFound(query, version);
            return FileResults.Download(old.Path, query.Label + old.Ext);
        }
        var label = datastore.FindLabel(query.Label!, query.Tag!);
        if (label is null || !File.Exists(label.Value.Path)) throw LabelNotFound();
        return FileResults.Download(label.Value.Path, query.Label + label.Value.Ext);
    }

    /// <summary>The label's info ({} when there is no label); with <c>version=N</c>, that version's history record, or
    /// 404 naming the version when it is not kept (as <c>GET /datastore/label?version=N</c>).</summary>
    public static Ok<JsonObject> GetLabelInfo([AsParameters] LabelQuery query, LocalDatastore datastore)
    {
        if (query.Version is { } text)
        {
            int version = int.Parse(text, System.Globalization.CultureInfo.InvariantCulture); // checked by LabelQueryValidator
            return TypedResults.Ok(datastore.LabelVersionInfo(query.Label!, query.Tag!, version) ?? throw VersionNotFound(query, version));
        }
        return TypedResults.Ok(datastore.FindLabel(query.Label!, query.Tag!) is null ? [] : datastore.LabelInfo(query.Label!, query.Tag!));
    }

    private static ApiException VersionNotFound(LabelQuery query, int version) =>
        ApiException.NotFound($"Label '{query.Label}' (tag '{query.Tag}') has no version {version}");

    public static async Task<IResult> UpdateLabelInfo([AsParameters] LabelInfoUpdate request, LocalDatastore datastore, ClaimsPrincipal user)
    {
        var info = JsonText.ParseObject(request.Info ?? request.Params);
        info["user"] = RequestUser.Name(user);
        return await datastore.MergeLabelInfoAsync(request.Label!, request.Tag!, info) ? JsonResults.NullValue() : throw LabelNotFound();
    }

    public static async Task<IResult> GetDataset([AsParameters] DatasetQuery query, LocalDatastore datastore, CancellationToken ct)
    {
        var pairs = datastore.TrainPairs();
        int limit = QueryValues.Int(query.LimitCases, 0);
        if (limit > 0) pairs = pairs.Take(limit).ToList();
        if (pairs.Count == 0) throw ApiException.NotFound($"No image has a '{IDatastoreView.FinalTag}' label: nothing to put in a dataset");

        string folder = Path.Combine(Path.GetTempPath(), "ctseg-dataset", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        string zip = Path.Combine(folder, "dataset.zip");
        await Task.Run(() =>
        {
            using var archive = ZipFile.Open(zip, ZipArchiveMode.Create);
            foreach (var pair in pairs)
            {
                ct.ThrowIfCancellationRequested();
                // Volumes are gzip'd already: storing is as small and much faster than deflating again.
                archive.CreateEntryFromFile(pair.Image, "image/" + Path.GetFileName(pair.Image), CompressionLevel.NoCompression);
                archive.CreateEntryFromFile(pair.Label, "label/" + Path.GetFileName(pair.Label), CompressionLevel.NoCompression);
            }
            var metadata = archive.CreateEntry("metadata.json", CompressionLevel.Fastest);
            using var stream = metadata.Open();
            stream.Write(datastore.AllJson());
        }, ct);
        return new DeleteFolderAfter(FileResults.Download(zip, "dataset.zip"), folder);
    }

    private static ApiException ImageNotFound(string id) => ApiException.NotFound($"Image '{id}' not found in the datastore");

    private static ApiException LabelNotFound() => ApiException.NotFound("Label NOT Found or is a directory");

    private sealed class DeleteFolderAfter(IResult inner, string folder) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            try
            {
                await inner.ExecuteAsync(context);
            }
            finally
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (IOException) { /* temp space; the OS cleans it */ }
            }
        }
    }
}
