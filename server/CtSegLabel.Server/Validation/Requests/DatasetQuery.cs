using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CtSegLabel.Server.Validation.Requests;

/// <summary><c>GET /datastore/dataset?limit_cases=N</c>.</summary>
public sealed class DatasetQuery
{
    [FromQuery(Name = "limit_cases")] public string? LimitCases { get; set; }
}

public sealed class DatasetQueryValidator : AbstractValidator<DatasetQuery>
{
    public DatasetQueryValidator()
    {
        RuleFor(x => x.LimitCases).Int().InQuery("limit_cases");
    }
}
