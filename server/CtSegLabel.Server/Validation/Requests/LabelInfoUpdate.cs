using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CtSegLabel.Server.Validation.Requests;

/// <summary><c>PUT /datastore/label/info?label=ID&amp;tag=TAG</c> with form field <c>info</c>, and the
/// deprecated <c>PUT /datastore/updatelabelinfo</c> whose field is <c>params</c> (the Reviewer module
/// sends it urlencoded).</summary>
public sealed class LabelInfoUpdate
{
    [FromQuery(Name = "label")] public string? Label { get; set; }

    [FromQuery(Name = "tag")] public string? Tag { get; set; }

    [FromForm(Name = "info")] public string? Info { get; set; }

    [FromForm(Name = "params")] public string? Params { get; set; }
}

public sealed class LabelInfoUpdateValidator : AbstractValidator<LabelInfoUpdate>
{
    public LabelInfoUpdateValidator()
    {
        RuleFor(x => x.Label).Required().InQuery("label");
        RuleFor(x => x.Label).ValidId().InQuery("label");
        RuleFor(x => x.Tag).Required().InQuery("tag");
        RuleFor(x => x.Tag).ValidId().InQuery("tag");
        RuleFor(x => x.Info ?? x.Params).Required().InBody("info");
        RuleFor(x => x.Info ?? x.Params).JsonObjectText().InBody("info");
    }
}
