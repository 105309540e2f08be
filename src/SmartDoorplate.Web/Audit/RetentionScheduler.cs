using Microsoft.Extensions.Options;

namespace SmartDoorplate.Audit;

// Runs retention once at start-up and then every Retention:RunEvery (a day). Running at start means
// an app restarted more often than daily still anonymises on time; several instances may run it at
// once, which row locks make harmless. A failed run is logged and tried again next time.
public sealed class RetentionScheduler(IServiceScopeFactory scopes, IOptions<RetentionOptions> options, TimeProvider clock,
    ILogger<RetentionScheduler> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Scheduled) return;
        using var timer = new PeriodicTimer(options.Value.RunEvery, clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var count = await scope.ServiceProvider.GetRequiredService<ResidenceRetention>().RunAsync(stoppingToken);
                logger.LogInformation("Retention anonymised {Count} persons", count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Retention run failed; it is tried again in {RunEvery}", options.Value.RunEvery);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

public static class RetentionServices
{
    public static IServiceCollection AddRetention(this IServiceCollection services)
    {
        // ValidateOnStart: the web app refuses to start with, say, audit kept for less than 3 years.
        services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RetentionOptions>, RetentionOptionsValidation>();
        services.AddScoped<ResidenceRetention>();
        services.AddHostedService<RetentionScheduler>();
        return services;
    }
}
