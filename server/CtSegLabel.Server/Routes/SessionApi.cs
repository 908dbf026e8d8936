using CtSegLabel.PluginAdapter.Wire;
using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Sessions;
using CtSegLabel.Server.Validation;
using CtSegLabel.Server.Validation.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CtSegLabel.Server.Routes;

/// <summary><c>/session/</c>: upload an image for inference without adding it to the datastore
/// (Slicer does this for locally loaded volumes), then infer with <c>?session_id=</c>.</summary>
public static class SessionApi
{
    public static IEndpointRouteBuilder MapSessionApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/session").WithTags("Session").DisableAntiforgery();
        api.MapPut("/", Create).Validate<CreateSessionRequest>().WithSummary("Create a session from uploaded file(s) (field 'files')");
        api.MapGet("/{session_id}", Get).Validate<SessionQuery>().WithSummary("Session info, or its image with image=true");
        api.MapDelete("/{session_id}", Remove).WithSummary("Remove a session: its info");
        return routes;
    }

    public static async Task<Ok<CreateSessionDto>> Create([AsParameters] CreateSessionRequest request, SessionStore sessions,
        UploadedVolumes volumes, CancellationToken ct)
    {
        EnsureEnabled(sessions);
        foreach (var file in request.SessionFiles) await volumes.EnsureReadableAsync(file, "files", ct);
        return TypedResults.Ok(await sessions.CreateAsync(request.SessionFiles, QueryValues.Bool(request.Uncompress),
            QueryValues.Int(request.Expiry, 0), ct));
    }

    public static IResult Get([AsParameters] SessionQuery query, SessionStore sessions)
    {
        EnsureEnabled(sessions);
        var info = sessions.Get(query.SessionId, QueryValues.Bool(query.UpdateTs)) ?? throw NotFound(query.SessionId);
        if (!QueryValues.Bool(query.Image)) return TypedResults.Ok(info);
        if (!File.Exists(info.Image))
            throw ApiException.Unprocessable($"Session ({query.SessionId}) holds several files, not one image file");
        return FileResults.Download(info.Image, Path.GetFileName(info.Image));
    }

    public static Ok<SessionInfoDto> Remove(string session_id, SessionStore sessions)
    {
        EnsureEnabled(sessions);
        return TypedResults.Ok(sessions.Remove(session_id) ?? throw NotFound(session_id));
    }

    private static void EnsureEnabled(SessionStore sessions)
    {
        if (!sessions.Enabled) throw new ApiException(StatusCodes.Status406NotAcceptable, "Session Feature is Not Enabled");
    }

    private static ApiException NotFound(string id) => ApiException.NotFound($"Session ({id}) Not Found");
}
