using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CtSegLabel.Server.Validation.Requests;

/// <summary><c>PUT /datastore/image/info?image=ID</c> with form field <c>info</c> (JSON object text).</summary>
public sealed class ImageInfoUpdate
{
    [FromQuery(Name = "image")] public string? Image { get; set; }

    [FromForm(Name = "info")] public string? Info { get; set; }
}

public sealed class ImageInfoUpdateValidator : AbstractValidator<ImageInfoUpdate>
{
    public ImageInfoUpdateValidator()
    {
        RuleFor(x => x.Image).Required().InQuery("image");
        RuleFor(x => x.Image).ValidId().InQuery("image");
        RuleFor(x => x.Info).Required().InBody("info");
        RuleFor(x => x.Info).JsonObjectText().InBody("info");
    }
}
