using FluentValidation;

namespace CtSegLabel.Server.Validation;

/// <summary>
/// Names a rule's field the way FastAPI reports it: <c>loc = [where, wire name]</c>, plus an error type.
/// The location travels in the failure's CustomState, the wire name as the property name.
/// </summary>
public static class WireLocation
{
    public const string Query = "query";
    public const string Body = "body";
    public const string Path = "path";

    public static IRuleBuilderOptions<T, TProperty> InQuery<T, TProperty>(this IRuleBuilderOptions<T, TProperty> rule, string name) =>
        rule.At(Query, name);

    public static IRuleBuilderOptions<T, TProperty> InBody<T, TProperty>(this IRuleBuilderOptions<T, TProperty> rule, string name) =>
        rule.At(Body, name);

    public static IRuleBuilderOptions<T, TProperty> InPath<T, TProperty>(this IRuleBuilderOptions<T, TProperty> rule, string name) =>
        rule.At(Path, name);

    private static IRuleBuilderOptions<T, TProperty> At<T, TProperty>(this IRuleBuilderOptions<T, TProperty> rule, string where, string name) =>
        rule.OverridePropertyName(name).WithState(_ => where);
}
