using CtSegLabel.AppContract;
using FluentValidation;

namespace CtSegLabel.Server.Validation.Requests;

/// <summary>
/// Starting a background task: <c>POST /train/{model}</c>, <c>/scoring/{method}</c>,
/// <c>/batch/infer/{model}</c> with a JSON object of parameters and the query flags <c>run_sync</c>,
/// <c>enqueue</c> and (batch infer) <c>images=all|labeled|unlabeled</c>. An empty name means "every
/// task of the kind" (the deprecated <c>POST /train/</c>, <c>POST /scoring/</c>).
/// </summary>
public sealed class StartTaskRequest
{
    public string Name { get; init; } = "";

    public string Kind { get; init; } = "";

    public string? RunSync { get; init; }

    public string? Enqueue { get; init; }

    public string? Images { get; init; }

    public JsonBody Body { get; init; } = JsonBody.Of([]);

    /// <summary>The query parameters <see cref="BindAsync"/> reads (what the route tests inject into).</summary>
    public static IReadOnlyList<string> QueryNames { get; } = ["run_sync", "enqueue", "images"];

    public static async ValueTask<StartTaskRequest?> BindAsync(HttpContext context)
    {
        var route = context.Request.RouteValues;
        string? Query(string key) => context.Request.Query.TryGetValue(key, out var v) ? v.ToString() : null;
        return new StartTaskRequest
        {
            Name = (route["model"] ?? route["method"]) as string ?? "",
            Kind = context.Request.Path.StartsWithSegments("/scoring") ? TaskKind.Scoring
                : context.Request.Path.StartsWithSegments("/batch") ? TaskKind.BatchInfer
                : TaskKind.Train,
            RunSync = Query("run_sync"),
            Enqueue = Query("enqueue"),
            Images = Query("images"),
            Body = await JsonBody.ReadAsync(context),
        };
    }
}

public static class TaskKind
{
    public const string Train = "train";
    public const string Scoring = "scoring";
    public const string BatchInfer = "batch_infer";
}

public sealed class StartTaskRequestValidator : AbstractValidator<StartTaskRequest>
{
    public StartTaskRequestValidator(ISegmentationApp app)
    {
        RuleFor(x => (string?)x.Name).KnownName("Trainer", () => app.TrainTasks.Select(t => t.Name)).InPath("model")
            .When(x => x.Kind == TaskKind.Train && x.Name.Length > 0);
        RuleFor(x => (string?)x.Name).KnownName("Scoring method", () => app.ScoringMethods.Select(t => t.Name)).InPath("method")
            .When(x => x.Kind == TaskKind.Scoring && x.Name.Length > 0);
        RuleFor(x => (string?)x.Name).KnownName("Model", () => app.InferTasks.Select(t => t.Name)).InPath("model")
            .When(x => x.Kind == TaskKind.BatchInfer && x.Name.Length > 0);
        RuleFor(x => x.RunSync).Bool().InQuery("run_sync");
        RuleFor(x => x.Enqueue).Bool().InQuery("enqueue");
        RuleFor(x => x.Images).OneOf("all", "labeled", "unlabeled").InQuery("images");
        RuleFor(x => x.Body).ValidJsonBody();
        this.BodyMatchesConfig(x => x.Body.Problem is not null || x.Name.Length == 0 ? null : x.Kind switch
        {
            TaskKind.Train => app.TrainTasks.FirstOrDefault(t => t.Name == x.Name)?.Config,
            TaskKind.Scoring => app.ScoringMethods.FirstOrDefault(t => t.Name == x.Name)?.Config,
            _ => app.InferTasks.FirstOrDefault(t => t.Name == x.Name)?.Config,
        }, x => x.Body.Value);
    }
}
