using System.Text.Json;
using System.Text.Json.Nodes;
using FluentValidation;

namespace CtSegLabel.Server.Validation;

/// <summary>The rules the request validators share, with FastAPI-like messages and error types.</summary>
public static class RuleExtensions
{
    public static IRuleBuilderOptions<T, string?> Required<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => v is not null).WithMessage("field required").WithErrorCode("value_error.missing");

    public static IRuleBuilderOptions<T, TFile?> RequiredFile<T, TFile>(this IRuleBuilder<T, TFile?> rule) where TFile : class =>
        rule.Must(v => v is not null).WithMessage("field required (a file part)").WithErrorCode("value_error.missing");

    /// <summary>An image id, label tag or similar file-name-like identifier (null passes: combine with Required).</summary>
    public static IRuleBuilderOptions<T, string?> ValidId<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => v is null || IdRules.IsValid(v))
            .WithMessage((_, v) => $"'{v}' {IdRules.Problem(v)}")
            .WithErrorCode("value_error.id");

    /// <summary>A name the app must know (model, trainer, strategy, scoring method). Unknown alone → 404 naming it (as
    /// MONAI Label answers); with other failures it is listed among them in the 422.</summary>
    public static IRuleBuilderOptions<T, string?> KnownName<T>(this IRuleBuilder<T, string?> rule, string what, Func<IEnumerable<string>> known) =>
        rule.Must(v => v is null || known().Contains(v, StringComparer.Ordinal))
            .WithMessage((_, v) => $"{what} '{v}' not found; available: {(known().Any() ? string.Join(", ", known()) : "none")}")
            .WithErrorCode(NotFoundCode);

    /// <summary>The error code of <see cref="KnownName{T}"/>, which <see cref="ValidationFilter{T}"/> answers as 404.</summary>
    public const string NotFoundCode = "value_error.not_found";

    public static IRuleBuilderOptions<T, string?> Bool<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(QueryValues.IsBool).WithMessage((_, v) => $"value could not be parsed to a boolean: '{v}'").WithErrorCode("type_error.bool");

    public static IRuleBuilderOptions<T, string?> Int<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(QueryValues.IsInt).WithMessage((_, v) => $"value is not a valid integer: '{v}'").WithErrorCode("type_error.integer");

    public static IRuleBuilderOptions<T, string?> OneOf<T>(this IRuleBuilder<T, string?> rule, params string[] allowed) =>
        rule.Must(v => v is null || allowed.Contains(v, StringComparer.Ordinal))
            .WithMessage((_, v) => $"value '{v}' is not one of: {string.Join(", ", allowed)}")
            .WithErrorCode("type_error.enum");

    /// <summary>A form field that must hold a JSON object (null = absent = {}).</summary>
    public static IRuleBuilderOptions<T, string?> JsonObjectText<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => v is null || JsonText.ProblemAsObject(v) is null)
            .WithMessage((_, v) => JsonText.ProblemAsObject(v!) ?? "")
            .WithErrorCode("value_error.json");
}

/// <summary>Parsing of JSON text fields (<c>params</c>, <c>info</c>) with a reason when it fails.</summary>
public static class JsonText
{
    /// <summary>Deepest nesting accepted from clients. The protocol's params nest three levels (label_info entries);
    /// the bound keeps a hostile document from costing stack and time. Deeper → 422 naming the field.</summary>
    public const int MaxDepth = 32;

    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = MaxDepth };

    public static string? ProblemAsObject(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try
        {
            return JsonNode.Parse(text, documentOptions: DocumentOptions) is JsonObject ? null : "must be a JSON object";
        }
        catch (JsonException e)
        {
            return $"is not valid JSON: {e.Message}";
        }
    }

    /// <summary>The object (a validated field), {} when absent or blank.</summary>
    public static JsonObject ParseObject(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : JsonNode.Parse(text, documentOptions: DocumentOptions) as JsonObject ?? [];
}

public static class JsonBodyRules
{
    /// <summary>The request body must be absent or a JSON object.</summary>
    public static IRuleBuilderOptions<T, JsonBody> ValidJsonBody<T>(this IRuleBuilder<T, JsonBody> rule) =>
        rule.Must(b => b.Problem is null).WithMessage((_, b) => $"request body {b.Problem}").WithErrorCode("value_error.json").InBody("body");
}
