using CtSegLabel.AppContract;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CtSegLabel.Server.Validation.Requests;

/// <summary><c>PUT /model/{model}</c> with the new weights in multipart field <c>file</c>.</summary>
public sealed class ModelUploadRequest
{
    [FromRoute(Name = "model")] public string Model { get; set; } = "";

    [FromForm(Name = "file")] public IFormFile? File { get; set; }
}

public sealed class ModelUploadRequestValidator : AbstractValidator<ModelUploadRequest>
{
    public ModelUploadRequestValidator(ISegmentationApp app)
    {
        RuleFor(x => (string?)x.Model).KnownName("Model", () => app.InferTasks.Select(t => t.Name)).InPath("model");
        RuleFor(x => x.File).RequiredFile().InBody("file");
        RuleFor(x => x.File!.Length).GreaterThan(0).WithMessage("the model file is empty").WithErrorCode("value_error").InBody("file")
            .When(x => x.File is not null);
    }
}
