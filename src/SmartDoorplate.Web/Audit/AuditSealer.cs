using Microsoft.Extensions.Options;

namespace SmartDoorplate.Audit;

public sealed class AuditSealer(AuditChain chain, IOptions<AuditSealOptions> options, TimeProvider clock, ILogger<AuditSealer> logger) : BackgroundService
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
                    await chain.SealAsync(stoppingToken);
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

    // The last events before a shutdown get their links and a signed checkpoint, so a stopped app
    // leaves nothing a superuser could remove unseen.
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await chain.SealAsync(cancellationToken, AuditCheckpointing.Now);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Sealing and signing the audit chain at shutdown failed; the next start seals what is left");
        }
    }
}
