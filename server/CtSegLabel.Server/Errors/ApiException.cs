namespace CtSegLabel.Server.Errors;

/// <summary>An error answered as <c>{"detail": "..."}</c> with the given status (FastAPI's HTTPException).</summary>
public class ApiException(int status, string detail) : Exception(detail)
{
    public int Status { get; } = status;

    public string Detail { get; } = detail;

    public static ApiException NotFound(string detail) => new(StatusCodes.Status404NotFound, detail);

    public static ApiException Conflict(string detail) => new(StatusCodes.Status429TooManyRequests, detail);

    public static ApiException Unprocessable(string detail) => new(StatusCodes.Status422UnprocessableEntity, detail);
}
