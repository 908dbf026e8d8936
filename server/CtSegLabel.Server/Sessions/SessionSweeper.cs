namespace CtSegLabel.Server.Sessions;

/// <summary>Removes expired sessions at start and every five minutes (MONAI Label's interval).</summary>
public sealed class SessionSweeper(SessionStore store, ILogger<SessionSweeper> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        do
        {
            try
            {
                store.Sweep();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Session sweep failed: {Message}", e.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
