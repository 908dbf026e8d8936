using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CtSegLabel.Server.Validation.Requests;

/// <summary><c>GET /datastore/label?label=ID&amp;tag=TAG[&amp;version=N]</c> and <c>GET /datastore/label/info</c>: label
/// and tag required; <c>version</c> (an earlier version's number, see docs/datastore.md) optional.</summary>
public sealed class LabelQuery
{
    [FromQuery(Name = "label")] public string? Label { get; set; }

    [FromQuery(Name = "tag")] public string? Tag { get; set; }

    [FromQuery(Name = "version")] public string? Version { get; set; }
}

public sealed class LabelQueryValidator : AbstractValidator<LabelQuery>
{
    public LabelQueryValidator()
    {
        RuleFor(x => x.Label).Required().InQuery("label");
        RuleFor(x => x.Label).ValidId().InQuery("label");
        RuleFor(x => x.Tag).Required().InQuery("tag");
        RuleFor(x => x.Tag).ValidId().InQuery("tag");
        RuleFor(x => x.Version)
            .Must(v => v is null || (int.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int n) && n > 0))
            .WithMessage((_, v) => $"version must be a positive whole number, got '{v}'")
            .WithErrorCode("value_error.integer")
            .InQuery("version");
    }
}

/// <summary><c>HEAD /datastore/label?image=ID&amp;tag=TAG</c> — note <c>image</c>, not <c>label</c>.</summary>
public sealed class LabelHeadQuery
{
    [FromQuery(Name = "image")] public string? Image { get; set; }

    [FromQuery(Name = "tag")] public string? Tag { get; set; }
}

public sealed class LabelHeadQueryValidator : AbstractValidator<LabelHeadQuery>
{
    public LabelHeadQueryValidator()
    {
        RuleFor(x => x.Image).Required().InQuery("image");
        RuleFor(x => x.Image).ValidId().InQuery("image");
        RuleFor(x => x.Tag).Required().InQuery("tag");
        RuleFor(x => x.Tag).ValidId().InQuery("tag");
    }
}

/// <summary><c>DELETE /datastore/label?id=ID&amp;tag=TAG</c>.</summary>
public sealed class LabelIdQuery
{
    [FromQuery(Name = "id")] public string? Id { get; set; }

    [FromQuery(Name = "tag")] public string? Tag { get; set; }
}

public sealed class LabelIdQueryValidator : AbstractValidator<LabelIdQuery>
{
    public LabelIdQueryValidator()
    {
        RuleFor(x => x.Id).Required().InQuery("id");
        RuleFor(x => x.Id).ValidId().InQuery("id");
        RuleFor(x => x.Tag).Required().InQuery("tag");
        RuleFor(x => x.Tag).ValidId().InQuery("tag");
    }
}
