using System.Text.Json.Serialization;

namespace CtSegLabel.PluginAdapter.Wire;

/// <summary>An error as FastAPI's HTTPException writes it: <c>{"detail": "..."}</c>.</summary>
public sealed record ErrorDto([property: JsonPropertyName("detail")] string Detail);

/// <summary>A request-validation error as FastAPI writes it: <c>{"detail": [{"loc", "msg", "type"}]}</c>.</summary>
public sealed record ValidationErrorDto([property: JsonPropertyName("detail")] IReadOnlyList<ValidationItemDto> Detail);

/// <summary>One offending field: where it was (<c>["query", "image"]</c>, <c>["body", "params"]</c>), what is wrong, an error type.</summary>
public sealed record ValidationItemDto(
    [property: JsonPropertyName("loc")] IReadOnlyList<string> Loc,
    [property: JsonPropertyName("msg")] string Msg,
    [property: JsonPropertyName("type")] string Type);
