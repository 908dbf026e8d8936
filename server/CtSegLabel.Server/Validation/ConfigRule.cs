using System.Text.Json.Nodes;
using FluentValidation;
using FluentValidation.Results;

namespace CtSegLabel.Server.Validation;

public static class ConfigRule
{
    /// <summary>Adds one 422 item per body key that contradicts the task's published config
    /// (see <see cref="ConfigParams"/>). <paramref name="config"/> returns null when the task is unknown
    /// (the handler answers 404 for that) or the body is already invalid.</summary>
    public static void BodyMatchesConfig<T>(this AbstractValidator<T> validator, Func<T, JsonObject?> config, Func<T, JsonObject> body) =>
        validator.RuleFor(x => x).Custom((x, ctx) =>
        {
            if (config(x) is not { } c) return;
            foreach (var (key, problem) in ConfigParams.Problems(c, body(x)))
                ctx.AddFailure(new ValidationFailure(key, problem) { CustomState = WireLocation.Body, ErrorCode = "type_error" });
        });
}
