namespace CtSegLabel.Server.Hosting;

/// <summary>The server's command-line switches, mapped onto <see cref="ServerOptions"/> keys.</summary>
public static class CommandLine
{
    public static readonly IReadOnlyDictionary<string, string> SwitchMappings = new Dictionary<string, string>
    {
        ["--studies"] = "Server:Studies",
        ["--host"] = "Server:Host",
        ["--port"] = "Server:Port",
        ["--app"] = "Server:App",
        ["--models"] = "Server:Models",
        ["--logs"] = "Server:Logs",
        ["--max-upload-bytes"] = "Server:MaxUploadBytes",
        ["--seed-phantoms"] = "Server:SeedPhantoms",
        ["--seed-phantom-size"] = "Server:SeedPhantomSize",
        ["--auto-train-after"] = "Server:AutoTrainAfter",
        ["--auto-train-model"] = "Server:AutoTrainModel",
        ["--workers-endpoint"] = "Server:WorkersEndpoint",
        ["--in-process-worker"] = "Server:InProcessWorker",
        ["--workers-key"] = "Server:WorkersKey",
        ["--worker-queue"] = "Server:WorkerQueue",
        ["--infer-timeout"] = "Server:InferTimeoutSeconds",
        ["--auth-enabled"] = "Server:Auth:Enabled",
        ["--auth-issuer"] = "Server:Auth:Issuer",
        ["--auth-client-id"] = "Server:Auth:ClientId",
        ["--auth-audience"] = "Server:Auth:Audience",
        ["--auth-keys-file"] = "Server:Auth:KeysFile",
        ["--auth-roles-claim"] = "Server:Auth:RolesClaim",
        ["--auth-username-claim"] = "Server:Auth:UsernameClaim",
        ["--auth-clock-skew"] = "Server:Auth:ClockSkewSeconds",
        ["--sample-download-seconds"] = "Server:Auth:SampleDownloadSeconds",
    };

    public const string Usage =
        "dotnet run --project server/CtSegLabel.Server -- --studies DIR [--host 127.0.0.1] [--port 8000] " +
        "[--app APP.dll] [--models DIR] [--logs DIR] [--max-upload-bytes N] [--seed-phantoms N] [--seed-phantom-size 512] " +
        "[--auto-train-after N] [--auto-train-model TRAINER] [--workers-endpoint tcp://127.0.0.1:5557] [--in-process-worker true|false] " +
        "[--workers-key FILE] [--worker-queue N] [--infer-timeout SECONDS] " +
        "[--auth-enabled true --auth-issuer URL [--auth-client-id ID] [--auth-audience AUD] [--auth-keys-file FILE] [--auth-roles-claim PATH] " +
        "[--auth-username-claim NAME] [--auth-clock-skew S] [--sample-download-seconds S]]";

    public static readonly string Help = string.Join(Environment.NewLine,
        "usage: " + Usage,
        "",
        "  --studies DIR            the MONAI Label datastore: images, labels/final, labels/original (default ./studies)",
        "  --host HOST, --port N    where to listen (default 127.0.0.1:8000)",
        "  --models DIR             checkpoints of the CT app (default ./models): one subfolder per model, swinunetr_v2/",
        "                           and slice_transformer/, holding its *.ctseg versions; the one a 'current' file names",
        "                           is served, else the newest. Get one with `ctseg model import weights.pt --arch",
        "                           swinunetr-v2 --out DIR/swinunetr_v2/v1.ctseg` (or `ctseg model init` for random weights)",
        "  --app APP.dll            run the one public ISegmentationApp of that assembly instead of the CT app",
        "  --logs DIR               folder of app.log (default <studies>/logs)",
        "  --max-upload-bytes N     larger request bodies get 413 (default 2 GiB)",
        "  --seed-phantoms N        fill an empty studies folder with N synthetic CTs (--seed-phantom-size, default 512)",
        "  --auto-train-after N     queue a fine-tune after N new final labels since the last training start (default 0: off);",
        "                           the count survives restarts (MODELS/auto-train.json)",
        "  --auto-train-model NAME  the trainer auto-training starts (default: every trainer of the app)",
        "  --workers-endpoint EP    where remote compute workers connect (`ctseg worker --connect EP`); default: none.",
        "                           Not loopback? --workers-key is required (CurveZMQ + access token)",
        "  --in-process-worker B    run inference, training and scoring in this process too (default true)",
        "  --workers-key FILE       the endpoint's keys, created when missing; copy FILE.worker to the worker machines",
        "  --worker-queue N         jobs that may wait for a worker; more get 503 + Retry-After (default 16)",
        "  --infer-timeout S        an infer job fails after S seconds, queue included (default 600)",
        "  --auth-enabled B         require OIDC/JWT bearer tokens and MONAI Label's roles per route (default false);",
        "                           a --host other than loopback is refused while this is off, unless",
        "                           --Server:AllowRemoteWithoutAuth=true (docs/security.md)",
        "  --auth-issuer URL        the token issuer, e.g. a Keycloak realm https://HOST/realms/NAME (tokens' iss; keys via discovery)",
        "  --auth-client-id ID      client POST /auth/token logs in as (default monailabel-app); secret: Server__Auth__ClientSecret",
        "  --auth-audience AUD      require this aud in tokens (default: not checked, like MONAI Label)",
        "  --auth-keys-file FILE    PEM public key(s) or a JWKS file instead of the issuer's keys (air-gapped sites)",
        "  --auth-roles-claim PATH  where the roles are (default realm_access#roles; '#' nests)",
        "  --auth-username-claim C  the user name claim (default preferred_username, else sub)",
        "  --auth-clock-skew S      tolerance on exp/nbf/iat (default 60)",
        "  --sample-download-seconds S  after a next-sample answer, that image may be downloaded without a token from the",
        "                           same address for S seconds, 3 times (Slicer sends none; default 120, 0 = never)",
        "",
        "Every option is also a setting: appsettings.json section \"Server\", or environment variables such as Server__Models=/data/models.",
        "Networks run on CUDA when the build has it and a GPU is present, else on the CPU; CTSEG_DEVICE=cpu|cuda[:N] and",
        "CTSEG_PRECISION=fp32|bf16 choose explicitly.");

    public static bool WantsHelp(IReadOnlyList<string> args) => args.Any(a => a is "--help" or "-h" or "-?");
}
