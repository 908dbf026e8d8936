using CtSegLabel.Server.Datastore;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CtSegLabel.Server.Validation.Requests;

/// <summary><c>PUT /datastore/label?image=ID[&amp;tag=TAG]</c>: multipart <c>label</c> file and optional
/// <c>params</c>. No tag (or an empty one) means <c>final</c>.</summary>
public sealed class SaveLabelRequest
{
    [FromQuery(Name = "image")] public string? Image { get; set; }

    [FromQuery(Name = "tag")] public string? Tag { get; set; }

    [FromForm(Name = "label")] public IFormFile? Label { get; set; }

    [FromForm(Name = "params")] public string? Params { get; set; }

    public string EffectiveTag => string.IsNullOrEmpty(Tag) ? AppContract.IDatastoreView.FinalTag : Tag;
}

public sealed class SaveLabelRequestValidator : AbstractValidator<SaveLabelRequest>
{
    public SaveLabelRequestValidator(FileNameRules names)
    {
        RuleFor(x => x.Image).Required().InQuery("image");
        RuleFor(x => x.Image).ValidId().InQuery("image");
        RuleFor(x => x.Tag).ValidId().InQuery("tag").When(x => !string.IsNullOrEmpty(x.Tag));
        RuleFor(x => x.Label).RequiredFile().InBody("label");
        RuleFor(x => x.Label!.FileName)
            .Must(n => FileNameRules.ExtensionOf(n, names.LabelExtensions) is not null)
            .WithMessage((_, n) => $"label file name '{FileNameRules.BareName(n)}' has none of the label extensions {string.Join(", ", names.LabelExtensions)}")
            .WithErrorCode("value_error.extension")
            .InBody("label")
            .When(x => x.Label is not null);
        RuleFor(x => x.Params).JsonObjectText().InBody("params");
    }
}
