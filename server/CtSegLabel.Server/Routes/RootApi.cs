using CtSegLabel.AppContract;
using CtSegLabel.Server.Datastore;

namespace CtSegLabel.Server.Routes;

/// <summary><c>GET /</c> (a landing page pointing at the docs) and <c>POST /reload</c> (re-read the
/// studies folder now, e.g. after copying many images in).</summary>
public static class RootApi
{
    public static IEndpointRouteBuilder MapRootApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", Landing).WithTags("Server").ExcludeFromDescription();
        routes.MapPost("/reload", Reload).WithTags("Server").WithSummary("Reconcile the datastore with the studies folder now");
        return routes;
    }

    public static IResult Landing(ISegmentationApp app) => TypedResults.Content($$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>{{System.Net.WebUtility.HtmlEncode(app.Name)}}</title></head>
        <body style="font-family:sans-serif">
        <h2>{{System.Net.WebUtility.HtmlEncode(app.Name)}}</h2>
        <p>A MONAI Label–compatible server: connect 3D Slicer's MONAI Label module to this address.</p>
        <ul>
        <li><a href="/docs">/docs</a> — interactive API documentation</li>
        <li><a href="/openapi.json">/openapi.json</a> — OpenAPI document</li>
        <li><a href="/info/">/info/</a> — the app and the datastore summary</li>
        <li><a href="/logs/">/logs/</a> — the server log</li>
        </ul>
        </body></html>
        """, "text/html; charset=utf-8");

    public static IResult Reload(LocalDatastore datastore)
    {
        datastore.Reconcile();
        return JsonResults.Empty();
    }
}
