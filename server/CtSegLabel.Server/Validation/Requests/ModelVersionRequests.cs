using CtSegLabel.AppContract;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CtSegLabel.Server.Validation.Requests;

/// <summary><c>GET /model/{model}/versions</c>.</summary>
public sealed class ModelVersionsQuery
{
    [FromRoute(Name = "model")] public string Model { get; set; } = "";
}

public sealed class ModelVersionsQueryValidator : AbstractValidator<ModelVersionsQuery>
{
    public ModelVersionsQueryValidator(ISegmentationApp app)
    {
        RuleFor(x => (string?)x.Model).ValidId().InPath("model");
        RuleFor(x => (string?)x.Model).KnownName("Model", () => app.InferTasks.Select(t => t.Name)).InPath("model");
    }
}

/// <summary><c>PUT /model/{model}/versions/current</c> with the version (<c>v3</c> or <c>v3.ctseg</c>) in the query
/// (<c>?version=</c>) or the JSON body (<c>{"version": "v3"}</c>); the query wins when both are given.</summary>
public sealed class SetCurrentVersionRequest
{
    public string Model { get; init; } = "";

    public string? QueryVersion { get; init; }

    public JsonBody Body { get; init; } = JsonBody.Of([]);

    /// <summary>The version asked for; null when neither place names one (or the body's is not a string).</summary>
    public string? Version => QueryVersion ?? BodyVersion;

    private string? BodyVersion =>
        Body.Value["version"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public bool BodyVersionIsNotText => QueryVersion is null && Body.Value["version"] is { } v && v.GetValueKind() != JsonValueKind.String;

    /// <summary>The query parameters <see cref="BindAsync"/> reads (what the route tests inject into).</summary>
    public static IReadOnlyList<string> QueryNames { get; } = ["version"];

    public static async ValueTask<SetCurrentVersionRequest?> BindAsync(HttpContext context) => new()
    {
        Model = context.Request.RouteValues["model"] as string ?? "",
        QueryVersion = context.Request.Query.TryGetValue("version", out var v) ? v.ToString() : null,
        Body = await JsonBody.ReadAsync(context),
    };
}

public sealed class SetCurrentVersionRequestValidator : AbstractValidator<SetCurrentVersionRequest>
{
    public SetCurrentVersionRequestValidator(ISegmentationApp app)
    {
        RuleFor(x => (string?)x.Model).ValidId().InPath("model");
        RuleFor(x => (string?)x.Model).KnownName("Model", () => app.InferTasks.Select(t => t.Name)).InPath("model");
        RuleFor(x => x.Body).ValidJsonBody();
        RuleFor(x => x.BodyVersionIsNotText).Equal(false).WithMessage("must be a string, e.g. \"v3\"").WithErrorCode("type_error.str")
            .InBody("version");
        RuleFor(x => x.Version).Required().WithMessage("field required: the version to serve (?version=v3 or {\"version\": \"v3\"})")
            .InQuery("version").When(x => x.Body.Problem is null && !x.BodyVersionIsNotText);
        RuleFor(x => x.Version).ValidId().OverridePropertyName("version")
            .WithState(x => x.QueryVersion is null ? WireLocation.Body : WireLocation.Query);
    }
}
