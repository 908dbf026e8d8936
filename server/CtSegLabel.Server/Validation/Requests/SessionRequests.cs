using FluentValidation;
using Microsoft.AspNetCore.Mvc;

namespace CtSegLabel.Server.Validation.Requests;

/// <summary><c>PUT /session/?uncompress=BOOL&amp;expiry=SECONDS</c> with one or more files in field <c>files</c>.</summary>
public sealed class CreateSessionRequest
{
    [FromQuery(Name = "uncompress")] public string? Uncompress { get; set; }

    [FromQuery(Name = "expiry")] public string? Expiry { get; set; }

    [FromForm] public IFormFileCollection? Files { get; set; }

    public IReadOnlyList<IFormFile> SessionFiles => Files?.GetFiles("files") ?? [];
}

public sealed class CreateSessionRequestValidator : AbstractValidator<CreateSessionRequest>
{
    public CreateSessionRequestValidator()
    {
        RuleFor(x => x.Uncompress).Bool().InQuery("uncompress");
        RuleFor(x => x.Expiry).Int().InQuery("expiry");
        RuleFor(x => x.Expiry).Must(e => QueryValues.Int(e, 0) >= 0).WithMessage("must not be negative").WithErrorCode("value_error").InQuery("expiry");
        RuleFor(x => x.SessionFiles).Must(f => f.Count > 0).WithMessage("field required (one or more file parts named 'files')")
            .WithErrorCode("value_error.missing").InBody("files");
    }
}

/// <summary><c>GET /session/{session_id}?update_ts=BOOL&amp;image=BOOL</c>.</summary>
public sealed class SessionQuery
{
    [FromRoute(Name = "session_id")] public string SessionId { get; set; } = "";

    [FromQuery(Name = "update_ts")] public string? UpdateTs { get; set; }

    [FromQuery(Name = "image")] public string? Image { get; set; }
}

public sealed class SessionQueryValidator : AbstractValidator<SessionQuery>
{
    public SessionQueryValidator()
    {
        RuleFor(x => (string?)x.SessionId).ValidId().InPath("session_id");
        RuleFor(x => x.UpdateTs).Bool().InQuery("update_ts");
        RuleFor(x => x.Image).Bool().InQuery("image");
    }
}
