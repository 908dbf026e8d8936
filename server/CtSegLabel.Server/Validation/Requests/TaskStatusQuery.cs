using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CtSegLabel.Server.Validation.Requests;

/// <summary><c>GET /train/</c>, <c>/scoring/</c>, <c>/batch/infer</c>: <c>all</c> lists every task,
/// <c>check_if_running</c> answers 404 unless one is RUNNING.</summary>
public sealed class TaskStatusQuery
{
    [FromQuery(Name = "all")] public string? All { get; set; }

    [FromQuery(Name = "check_if_running")] public string? CheckIfRunning { get; set; }
}

public sealed class TaskStatusQueryValidator : AbstractValidator<TaskStatusQuery>
{
    public TaskStatusQueryValidator()
    {
        RuleFor(x => x.All).Bool().InQuery("all");
        RuleFor(x => x.CheckIfRunning).Bool().InQuery("check_if_running");
    }
}
