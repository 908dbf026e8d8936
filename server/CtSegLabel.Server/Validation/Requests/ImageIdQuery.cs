using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CtSegLabel.Server.Validation.Requests;

/// <summary><c>DELETE /datastore/image?id=ID</c> (and the deprecated <c>DELETE /datastore/</c>).</summary>
public sealed class ImageIdQuery
{
    [FromQuery(Name = "id")] public string? Id { get; set; }
}

public sealed class ImageIdQueryValidator : AbstractValidator<ImageIdQuery>
{
    public ImageIdQueryValidator()
    {
        RuleFor(x => x.Id).Required().InQuery("id");
        RuleFor(x => x.Id).ValidId().InQuery("id");
    }
}
