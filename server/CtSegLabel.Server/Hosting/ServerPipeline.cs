using CtSegLabel.Server.Errors;
using CtSegLabel.Server.Routes;
using Scalar.AspNetCore;

namespace CtSegLabel.Server.Hosting;

public static class ServerPipeline
{
    /// <summary>Request logging, error mapping, the upload limit, CORS as MONAI Label allows it (any origin), authentication and the per-route roles.</summary>
    public static WebApplication UseServerPipeline(this WebApplication app)
    {
        app.UseServerRequestLogging();
        app.UseMiddleware<ErrorHandlingMiddleware>();
        app.UseMiddleware<UploadLimitMiddleware>();
        app.UseCors(cors => cors.SetIsOriginAllowed(_ => true).AllowAnyMethod().AllowAnyHeader().AllowCredentials());
        // After the error mapping (an unreachable issuer is a 502 with a detail) and CORS (preflights carry no token).
        app.UseAuthentication();
        app.UseAuthorization();
        return app;
    }

    /// <summary>The MONAI Label routes, the OpenAPI document (at <c>/openapi/v1.json</c> and MONAI Label's
    /// <c>/openapi.json</c>) and the interactive documentation at <c>/docs</c>.</summary>
    public static WebApplication MapServerEndpoints(this WebApplication app)
    {
        app.MapMonaiLabelApis();
        app.MapOpenApi();
        app.MapOpenApi("/openapi.json");
        app.MapScalarApiReference("/docs", scalar => scalar
            .WithTitle("CtSegLabel server")
            .WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return app;
    }
}
