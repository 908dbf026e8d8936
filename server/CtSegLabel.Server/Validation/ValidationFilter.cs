using CtSegLabel.PluginAdapter.Wire;
using CtSegLabel.Server.Errors;
using FluentValidation;

namespace CtSegLabel.Server.Validation;

/// <summary>Validates the endpoint's <typeparamref name="T"/> argument before the handler runs; failures
/// answer 422 <c>{"detail": [{"loc", "msg", "type"}]}</c> naming every offending field, except an unknown model/strategy
/// name alone, which is 404 <c>{"detail"}</c> naming it, as MONAI Label answers.</summary>
public sealed class ValidationFilter<T>(IValidator<T> validator) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.Arguments.OfType<T>().FirstOrDefault();
        if (request is null) return await next(context);
        var result = await validator.ValidateAsync(request, context.HttpContext.RequestAborted);
        // A parameter given twice (?image=a&image=b) would bind as "a,b": refuse it rather than guess which one was meant.
        foreach (var (key, values) in context.HttpContext.Request.Query.Where(q => q.Value.Count > 1))
            result.Errors.Add(new FluentValidation.Results.ValidationFailure(key, $"given {values.Count} times; give it once")
                { CustomState = WireLocation.Query, ErrorCode = "value_error.duplicate" });
        if (result.IsValid) return await next(context);
        if (result.Errors.All(e => e.ErrorCode == RuleExtensions.NotFoundCode))
        {
            await ErrorWriter.WriteDetailAsync(context.HttpContext, StatusCodes.Status404NotFound, result.Errors[0].ErrorMessage);
            return EmptyResult;
        }

        var items = result.Errors.Select(e => new ValidationItemDto(
            [e.CustomState as string ?? WireLocation.Body, e.PropertyName],
            e.ErrorMessage,
            string.IsNullOrEmpty(e.ErrorCode) || e.ErrorCode.EndsWith("Validator", StringComparison.Ordinal) ? "value_error" : e.ErrorCode)).ToList();
        await ErrorWriter.WriteValidationAsync(context.HttpContext, items);
        return EmptyResult;
    }

    /// <summary>The response is already written; the framework must not write another.</summary>
    private static readonly IResult EmptyResult = Results.Empty;
}

public static class ValidationFilterExtensions
{
    /// <summary>Runs <typeparamref name="T"/>'s FluentValidation validator before the handler.</summary>
    public static RouteHandlerBuilder Validate<T>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<ValidationFilter<T>>()
               .Produces<ValidationErrorDto>(StatusCodes.Status422UnprocessableEntity);
}
