using CtSegLabel.AppContract;
using CtSegLabel.Server.Inference;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc;

namespace CtSegLabel.Server.Validation.Requests;

/// <summary><c>POST /infer/{model}?image=ID[&amp;session_id=SID][&amp;output=image|json|all|dicom_seg]</c> with
/// multipart <c>params</c> (JSON object text) and optional files <c>file</c> (the image itself) and
/// <c>label</c> (e.g. scribbles).</summary>
public sealed class InferApiRequest
{
    [FromRoute(Name = "model")] public string Model { get; set; } = "";

    [FromQuery(Name = "image")] public string? Image { get; set; }

    [FromQuery(Name = "session_id")] public string? SessionId { get; set; }

    [FromQuery(Name = "output")] public string? Output { get; set; }

    [FromForm(Name = "params")] public string? Params { get; set; }

    [FromForm(Name = "file")] public IFormFile? File { get; set; }

    [FromForm(Name = "label")] public IFormFile? Label { get; set; }
}

public sealed class InferApiRequestValidator : AbstractValidator<InferApiRequest>
{
    public InferApiRequestValidator(ISegmentationApp app)
    {
        RuleFor(x => (string?)x.Model).KnownName("Model", () => app.InferTasks.Select(t => t.Name)).InPath("model");
        RuleFor(x => x.Output).OneOf("image", "json", "all", "dicom_seg").InQuery("output");
        RuleFor(x => x.SessionId).ValidId().InQuery("session_id");
        RuleFor(x => x.Image).ValidId().InQuery("image")
            .When(x => !string.IsNullOrEmpty(x.Image) && string.IsNullOrEmpty(x.SessionId) && x.File is null);
        RuleFor(x => x.Image)
            .Must((x, image) => !string.IsNullOrEmpty(image) || x.File is not null || !string.IsNullOrEmpty(x.SessionId))
            .WithMessage("Neither image nor file nor session_id input is provided")
            .WithErrorCode("value_error.missing")
            .InQuery("image");
        RuleFor(x => x.Params).JsonObjectText().InBody("params");
        RuleFor(x => x).Custom((x, ctx) =>
        {
            if (x.Params is not null && JsonText.ProblemAsObject(x.Params) is not null) return;
            var p = JsonText.ParseObject(x.Params);
            foreach (var (key, problem) in ResultFormat.Problems(p))
                ctx.AddFailure(new ValidationFailure(key, problem) { CustomState = WireLocation.Body, ErrorCode = "value_error" });
        });
        this.BodyMatchesConfig(
            x => x.Params is not null && JsonText.ProblemAsObject(x.Params) is not null ? null
                : app.InferTasks.FirstOrDefault(t => t.Name == x.Model)?.Config,
            x => JsonText.ParseObject(x.Params));
    }
}
