using CtSegLabel.Server.Datastore;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CtSegLabel.Server.Validation.Requests;

/// <summary><c>PUT /datastore/image?image=ID</c> (and the deprecated <c>PUT /datastore/</c>): multipart
/// <c>file</c> and optional <c>params</c> (JSON object text).</summary>
public sealed class UploadImageRequest
{
    [FromQuery(Name = "image")] public string? Image { get; set; }

    [FromForm(Name = "file")] public IFormFile? File { get; set; }

    [FromForm(Name = "params")] public string? Params { get; set; }
}

public sealed class UploadImageRequestValidator : AbstractValidator<UploadImageRequest>
{
    public UploadImageRequestValidator(FileNameRules names)
    {
        RuleFor(x => x.Image).ValidId().InQuery("image");
        RuleFor(x => x.File).RequiredFile().InBody("file");
        RuleFor(x => x.File!.FileName)
            .Must(n => FileNameRules.ExtensionOf(n, names.ImageExtensions) is not null)
            .WithMessage((_, n) => $"file name '{FileNameRules.BareName(n)}' has none of the image extensions {string.Join(", ", names.ImageExtensions)}")
            .WithErrorCode("value_error.extension")
            .InBody("file")
            .When(x => x.File is not null);
        RuleFor(x => x.File!.FileName)
            .Must(n => IdRules.IsValid(IdFromFileName(n, names)))
            .WithMessage((_, n) => $"no usable image id in file name '{FileNameRules.BareName(n)}' ({IdRules.Problem(IdFromFileName(n, names))}); pass ?image=ID")
            .WithErrorCode("value_error.id")
            .InBody("file")
            .When(x => x.File is not null && x.Image is null && FileNameRules.ExtensionOf(x.File.FileName, names.ImageExtensions) is not null);
        RuleFor(x => x.Params).JsonObjectText().InBody("params");
    }

    /// <summary>MONAI Label's rule when no id is given: the uploaded file's name without its extension.</summary>
    public static string IdFromFileName(string fileName, FileNameRules names)
    {
        string bare = FileNameRules.BareName(fileName);
        string? ext = FileNameRules.ExtensionOf(bare, names.ImageExtensions);
        return ext is null ? bare : bare[..^ext.Length];
    }
}
