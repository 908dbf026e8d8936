using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CtSegLabel.Server.Validation.Requests;

/// <summary><c>GET /logs/?lines=N&amp;html=BOOL&amp;text=BOOL&amp;refresh=SECONDS</c>.</summary>
public sealed class LogsQuery
{
    [FromQuery(Name = "lines")] public string? Lines { get; set; }

    [FromQuery(Name = "html")] public string? Html { get; set; }

    [FromQuery(Name = "text")] public string? Text { get; set; }

    [FromQuery(Name = "refresh")] public string? Refresh { get; set; }

    /// <summary>Plain text unless the defaults (html on, text off) ask for the page.</summary>
    public bool WantsText => QueryValues.Bool(Text) || !QueryValues.Bool(Html, fallback: true);
}

public sealed class LogsQueryValidator : AbstractValidator<LogsQuery>
{
    /// <summary>A day: the page's timer is in milliseconds and must not overflow.</summary>
    public const int MaxRefreshSeconds = 86_400;

    public LogsQueryValidator()
    {
        RuleFor(x => x.Lines).Int().InQuery("lines");
        RuleFor(x => x.Html).Bool().InQuery("html");
        RuleFor(x => x.Text).Bool().InQuery("text");
        RuleFor(x => x.Refresh).Int().InQuery("refresh");
        RuleFor(x => x.Refresh).Must(r => QueryValues.Int(r, 0) is >= 0 and <= MaxRefreshSeconds)
            .WithMessage($"must be 0 to {MaxRefreshSeconds} seconds").WithErrorCode("value_error.number.range").InQuery("refresh");
    }
}
