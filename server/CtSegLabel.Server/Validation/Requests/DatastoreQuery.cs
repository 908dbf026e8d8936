using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CtSegLabel.Server.Validation.Requests;

/// <summary><c>GET /datastore/?output=stats|all|train</c>.</summary>
public sealed class DatastoreQuery
{
    [FromQuery(Name = "output")] public string? Output { get; set; }
}

public sealed class DatastoreQueryValidator : AbstractValidator<DatastoreQuery>
{
    public DatastoreQueryValidator()
    {
        RuleFor(x => x.Output).OneOf("stats", "all", "train").InQuery("output");
    }
}
