using CtSegLabel.AppContract;
using FluentValidation;

namespace CtSegLabel.Server.Validation.Requests;

/// <summary><c>POST /activelearning/{strategy}</c> with an optional JSON object of strategy parameters.</summary>
public sealed class NextSampleRequest
{
    public string Strategy { get; init; } = "";

    public JsonBody Body { get; init; } = JsonBody.Of([]);

    /// <summary>The query parameters <see cref="BindAsync"/> reads: none (everything is in the body).</summary>
    public static IReadOnlyList<string> QueryNames { get; } = [];

    public static async ValueTask<NextSampleRequest?> BindAsync(HttpContext context) => new()
    {
        Strategy = context.Request.RouteValues["strategy"] as string ?? "",
        Body = await JsonBody.ReadAsync(context),
    };
}

public sealed class NextSampleRequestValidator : AbstractValidator<NextSampleRequest>
{
    public NextSampleRequestValidator(ISegmentationApp app)
    {
        RuleFor(x => (string?)x.Strategy).KnownName("Strategy", () => app.Strategies.Select(t => t.Name)).InPath("strategy");
        RuleFor(x => x.Body).ValidJsonBody();
        RuleFor(x => x.Body.Value["label_tag"])
            .Must(t => t is null || (t.GetValueKind() == System.Text.Json.JsonValueKind.String && IdRules.IsValid(t.GetValue<string>())))
            .WithMessage((_, t) => $"must be a valid label tag (got {t?.ToJsonString()})")
            .WithErrorCode("value_error.id")
            .InBody("label_tag")
            .When(x => x.Body.Problem is null);
        this.BodyMatchesConfig(
            x => x.Body.Problem is null ? app.Strategies.FirstOrDefault(s => s.Name == x.Strategy)?.Config : null,
            x => x.Body.Value);
    }
}
