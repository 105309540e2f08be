using Npgsql;
using SmartDoorplate.Data;

namespace SmartDoorplate.Map;

// Keeps one connection of its own LISTENing on BoundaryTileCache.ChangeChannel and empties the cache
// on every notice (see BoundaryTileCache). A connection of its own, outside the app's pools: it is
// held for the life of the process and must not take a slot from the requests.
//
// A notice sent while no connection listened is lost, so the cache only serves while this one is
// known to be alive: it checks the connection whenever it has heard nothing for IdleCheck, and on any
// failure stops the cache following, then connects again after RetryAfter.
public sealed class BoundaryChangeListener(BoundaryTileCache cache, IConfiguration configuration, ILogger<BoundaryChangeListener> logger)
    : BackgroundService
{
    public const string ApplicationName = "smartdoorplate boundary listener";

    public static readonly TimeSpan IdleCheck = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!cache.Enabled) return;
        var settings = new NpgsqlConnectionStringBuilder(DataServices.ConnectionString(configuration, DatabasePrincipal.App))
        {
            Pooling = false,
            ApplicationName = ApplicationName,
        };
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ListenAsync(settings.ConnectionString, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                cache.StopFollowing();
                logger.LogWarning(ex, "Listening for boundary changes failed; boundaries tiles are rendered uncached until it listens again (next try in {RetryAfter})", RetryAfter);
            }
            try
            {
                await Task.Delay(RetryAfter, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        cache.StopFollowing();
    }

    private async Task ListenAsync(string connectionString, CancellationToken stoppingToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken);
        connection.Notification += (_, _) => cache.Forget();
        await using (var listen = new NpgsqlCommand($"LISTEN {BoundaryTileCache.ChangeChannel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }
        // From here every committed change is heard; what was kept before is dropped.
        cache.StartFollowing();
        await using var ping = new NpgsqlCommand("select 1", connection) { CommandTimeout = 10 };
        while (true)
        {
            if (!await connection.WaitAsync(IdleCheck, stoppingToken))
            {
                // Nothing heard for a while: a connection that died without a word would look the same.
                await ping.ExecuteScalarAsync(stoppingToken);
            }
        }
    }
}
