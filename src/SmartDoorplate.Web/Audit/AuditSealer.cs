using Npgsql;

namespace SmartDoorplate.Audit;

public sealed class AuditSealOptions
{
    public const string Section = "Audit";

    // How long an event may wait for its link in the chain. Short, because until sealed a row is
    // protected by the app role's grants only, not yet by the hash chain.
    public TimeSpan SealEvery { get; set; } = TimeSpan.FromMilliseconds(500);
}

// Chains committed audit rows (audit_seal() in the database does the work under one advisory lock,
// so any number of app instances may run this at once). See AuditEvent for why appending and
// chaining are two steps.
public static class AuditSeal
{
    private const int BatchSize = 5000;

    // Seals every row committed before the call; returns how many it sealed.
    public static async Task<long> SealAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        long total = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand("select audit_seal($1)");
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = BatchSize });
            var sealedNow = (int)(await command.ExecuteScalarAsync(cancellationToken))!;
            total += sealedNow;
            if (sealedNow < BatchSize) return total;
        }
    }
}

public sealed class AuditSealer(NpgsqlDataSource dataSource, Microsoft.Extensions.Options.IOptions<AuditSealOptions> options,
    TimeProvider clock, ILogger<AuditSealer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SealEvery, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await AuditSeal.SealAsync(dataSource, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Nothing is lost: unsealed rows stay in the queue for the next tick.
                    logger.LogWarning(ex, "Sealing audit events failed; trying again in {SealEvery}", options.Value.SealEvery);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
